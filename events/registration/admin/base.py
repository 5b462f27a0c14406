"""What every registration view in the admin shares: who may use the tools, what they see, access to an offering,
the page frame."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies.pages import PagePermissionPolicy

from network.models import OfferingPage

from ..scope import registration_scope

# A coordinator sees the registrations, e-mails and personal data of the offerings whose page they may edit; these
# two reach across the whole network (the group "Persondataansvarlig").
VIEW_REGISTRATIONS = "events.view_registrations"
HANDLE_PERSONAL_DATA = "events.handle_personal_data"


def has_registration_tools(user) -> bool:
    """The registration menu, the overviews and the network-wide figures: for those who may edit a page (their own
    offerings' registrations) and for holders of either network-wide permission."""
    return (
        user.has_perm(VIEW_REGISTRATIONS)
        or user.has_perm(HANDLE_PERSONAL_DATA)
        or PagePermissionPolicy().user_has_permission(user, "change")
    )


def offerings_in_scope(user, permission: str) -> QuerySet[OfferingPage] | None:
    """The offerings whose registrations `user` may see: None (all of them, and e-mails whose offering is gone) with
    the network-wide `permission`, else those whose page they may edit (the request's one scope, `scope.py`)."""
    scope = registration_scope(user, permission)
    return None if scope.everything else scope.offerings()


def editable_offering(request, page_id: int) -> OfferingPage:
    """The offering, if the user may edit its page (and so see and change its registrations)."""
    page = get_object_or_404(OfferingPage, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return page


def require_registration_tools(request) -> None:
    if not has_registration_tools(request.user):
        raise PermissionDenied


def back_to_offering(request, offering: OfferingPage):
    """Where a coordinator's action returns to: the page they came from, or the offering's registrations."""
    fallback = reverse("registration_admin:offering", args=[offering.pk])
    return redirect(get_valid_next_url_from_request(request) or fallback)


class AdminTemplateView(WagtailAdminTemplateMixin, View):
    header_icon = "group"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("registration_admin:overview"), "label": _("Tilmeldinger")},
            {"url": "", "label": self.get_page_title()},
        ]

    def render(self, **context):
        return self.render_to_response(self.get_context_data(**context))
