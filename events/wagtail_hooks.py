"""The coordinators' registration tools in the Wagtail admin: URLs, the "Tilmeldinger" menu, buttons on offerings."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy

from events.registration import admin_views
from events.registration.dashboard import CoordinatorDashboardPanel
from events.registration.models import OutboxMessage
from network.models import OfferingPage

register_permission_policy(OutboxMessage, admin_views.OutboxPermissionPolicy())


@hooks.register("register_admin_urls")
def registration_admin_urls():
    return [path("tilmeldinger/", include((admin_views.urlpatterns, admin_views.app_name)))]


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return admin_views.OutboxViewSet()


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def registration_menu_item():
    items = [
        PermissionMenuItem(
            _("Oversigt"),
            reverse("registration_admin:overview"),
            name="registration-overview",
            icon_name="table",
            order=100,
            permission=admin_views.VIEW_REGISTRATIONS,
        ),
        PermissionMenuItem(
            _("Kompetencelandskaber"),
            reverse("registration_admin:landscapes"),
            name="registration-landscapes",
            icon_name="table",
            order=150,
            permission=admin_views.VIEW_REGISTRATIONS,
        ),
        PermissionMenuItem(
            _("Udbakke"),
            reverse("udbakke:index"),
            name="registration-outbox",
            icon_name="mail",
            order=200,
            permission=admin_views.VIEW_REGISTRATIONS,
        ),
        PermissionMenuItem(
            _("Persondata"),
            reverse("registration_admin:person"),
            name="registration-person",
            icon_name="user",
            order=300,
            permission=admin_views.HANDLE_PERSONAL_DATA,
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


@hooks.register("construct_homepage_panels")
def registration_dashboard_panel(request, panels):
    """The coordinators' panel: next offerings with registration, and figures over time, by region and by theme."""
    panels.append(CoordinatorDashboardPanel(request))


@hooks.register("register_permissions")
def registration_permissions():
    """The two permissions across offerings, so they can be given to groups in the admin's group editor."""
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="events", codename__in=["view_registrations", "handle_personal_data"]
    )
