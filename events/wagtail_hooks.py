"""The coordinators' registration tools in the Wagtail admin: URLs, the "Tilmeldinger" menu, buttons on offerings."""

from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permission_policies.base import BaseDjangoAuthPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import register_permission_policy

from events.registration import selectors
from events.registration.admin import urls as admin_urls
from events.registration.admin.base import VIEW_REGISTRATIONS, has_registration_tools, offerings_in_scope
from events.registration.admin.dashboard import CoordinatorDashboardPanel
from events.registration.models import OutboxMessage, Participant
from network.models import OfferingPage

# --- The outbox: a read-only list of the e-mails, with a retry button on failed ones -------------------------------


class OutboxPermissionPolicy(BaseDjangoAuthPermissionPolicy):
    """The outbox is read-only. A coordinator sees the e-mails about their own offerings (those whose page they may
    edit); holders of `events.view_registrations` see every e-mail, also those whose offering has been deleted."""

    def __init__(self):
        super().__init__(OutboxMessage, auth_model=Participant)

    def user_has_permission(self, user, action):
        return action == "view" and has_registration_tools(user)

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return OutboxMessage.objects.none()
        return selectors.outbox_messages(offerings=offerings_in_scope(user, VIEW_REGISTRATIONS))

    def user_has_permission_for_instance(self, user, action, instance):
        return self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        network_wide = self._get_users_with_any_permission_codenames({"view_registrations", "handle_personal_data"})
        coordinators = PagePermissionPolicy().users_with_permission("change", include_superusers=False)
        return (network_wide | coordinators).distinct()


class OutboxIndexView(IndexView):
    template_name = "registration/admin/outbox_index.html"

    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "view")


class OutboxInspectView(InspectView):
    def get_object(self, queryset=None):
        messages = self.permission_policy.instances_user_has_permission_for(self.request.user, "view")
        return get_object_or_404(messages, pk=unquote(str(self.pk)))


class RetryColumn(Column):
    cell_template_name = "registration/admin/outbox_retry_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context["instance"] = instance
        context["csrf_token"] = get_token(request) if request else ""
        context["retry_url"] = reverse("registration_admin:outbox_retry")
        context["next_url"] = request.get_full_path() if request else ""
        return context


OUTBOX_KINDS = {
    "contact_receipt": _("Kvittering til kontaktperson"),
    "contact_cancelled": _("Afmelding til kontaktperson"),
    "contact_promoted": _("Plads fra ventelisten, til kontaktperson"),
    "confirmed": _("Bekræftelse"),
    "waiting": _("Venteliste"),
    "cancelled": _("Afmelding"),
    "promoted": _("Plads fra ventelisten"),
    "reminder": _("Påmindelse"),
    "coordinator_message": _("Besked fra koordinator"),
    "notify_open": _("Besked: tilmeldingen er åben"),
    "notify_receipt": _("Besked: anmodning modtaget"),
}


def outbox_kind(message: OutboxMessage) -> str:
    return OUTBOX_KINDS.get(message.kind, message.kind)


class OutboxViewSet(ModelViewSet):
    model = OutboxMessage
    index_view_class = OutboxIndexView
    inspect_view_class = OutboxInspectView
    name = "udbakke"
    url_prefix = "tilmeldinger/udbakke"
    icon = "mail"
    menu_label = _("Udbakke")
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False
    # network.converters: an id the database cannot hold is a 404, not an OverflowError.
    pk_path_converter = "id"
    # No one may add or edit (see OutboxPermissionPolicy); the form is only there because the viewset requires one.
    exclude_form_fields = []
    list_display = [
        "subject",
        "to_email",
        Column("kind", label=_("Type"), accessor=outbox_kind),
        "status",
        "attempts",
        "last_error",
        "created_at",
        RetryColumn("retry", label=_("Handling"), accessor="status"),
    ]
    list_filter = ["status", "kind"]
    search_fields = ["subject", "to_email"]
    inspect_view_fields = [
        "subject",
        "to_email",
        "kind",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]  # not the body: a receipt holds the contact's secret manage link
    list_per_page = 50


# --- The hooks -----------------------------------------------------------------------------------------------------

register_permission_policy(OutboxMessage, OutboxPermissionPolicy())


@hooks.register("register_admin_urls")
def registration_admin_urls():
    return [path("tilmeldinger/", include(admin_urls))]


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return OutboxViewSet()


class RegistrationMenuItem(MenuItem):
    """Shown to coordinators (each sees their own offerings' part) and to the network-wide role."""

    def is_shown(self, request):
        return has_registration_tools(request.user)


@hooks.register("register_admin_menu_item")
def registration_menu_item():
    items = [
        RegistrationMenuItem(
            _("Oversigt"),
            reverse("registration_admin:overview"),
            name="registration-overview",
            icon_name="table",
            order=100,
        ),
        RegistrationMenuItem(
            _("Kompetencelandskaber"),
            reverse("registration_admin:landscapes"),
            name="registration-landscapes",
            icon_name="table",
            order=150,
        ),
        RegistrationMenuItem(
            _("Rapport til bevillingsgivere"),
            reverse("registration_admin:funders"),
            name="registration-funders",
            icon_name="doc-full",
            order=170,
        ),
        RegistrationMenuItem(
            _("Udbakke"),
            reverse("udbakke:index"),
            name="registration-outbox",
            icon_name="mail",
            order=200,
        ),
        RegistrationMenuItem(
            _("Persondata"),
            reverse("registration_admin:person"),
            name="registration-person",
            icon_name="user",
            order=300,
        ),
    ]
    return SubmenuMenuItem(_("Tilmeldinger"), Menu(items=items), name="registrations", icon_name="group", order=120)


def registration_buttons(page, user, priority: int):
    """ "Tilmeldinger" (and "Fremmøde" on courses) on offerings with registration, for those who may edit them."""
    if not issubclass(page.specific_class or type(page), OfferingPage):
        return
    offering = page.specific_deferred
    if not offering.registration_enabled or not page.permissions_for_user(user).can_edit():
        return
    yield Button(
        _("Tilmeldinger"),
        reverse("registration_admin:offering", args=[page.pk]),
        icon_name="group",
        priority=priority,
    )
    if offering.kind == "course":
        yield Button(
            _("Fremmøde"),
            reverse("registration_admin:attendance", args=[page.pk]),
            icon_name="tasks",
            priority=priority + 1,
        )


@hooks.register("register_page_header_buttons")
def page_header_registration_buttons(page, user, view_name, next_url=None):
    yield from registration_buttons(page, user, priority=40)


@hooks.register("register_page_listing_more_buttons")
def page_listing_registration_buttons(page, user, next_url=None):
    yield from registration_buttons(page, user, priority=45)


@hooks.register("before_move_page")
def move_confirmation_only_for_who_may_move(request, page, destination):
    """Wagtail's move confirmation checks nothing itself (the move does): who may not move the page gets a 403."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


@hooks.register("construct_homepage_panels")
def registration_dashboard_panel(request, panels):
    """The coordinators' panel: next offerings with registration, and figures over time, by region and by theme."""
    panels.append(CoordinatorDashboardPanel(request))


@hooks.register("register_permissions")
def registration_permissions():
    """The two network-wide permissions (the group "Persondataansvarlig"), so the group editor can give them."""
    return Permission.objects.filter(
        content_type__app_label="events", codename__in=["view_registrations", "handle_personal_data"]
    )
