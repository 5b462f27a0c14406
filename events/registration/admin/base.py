"""What every registration view in the admin shares: the two permissions, access to an offering, the page frame."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from network.models import OfferingPage

# Seeing one offering's registrations follows the right to edit its page; these two reach across offerings.
VIEW_REGISTRATIONS = "events.view_registrations"
HANDLE_PERSONAL_DATA = "events.handle_personal_data"


def editable_offering(request, page_id: int) -> OfferingPage:
    """The offering, if the user may edit its page (and so see and change its registrations)."""
    page = get_object_or_404(OfferingPage, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return page


def require_permission(request, permission: str) -> None:
    if not request.user.has_perm(permission):
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
