"""Writes that touch several models: the site's page tree and the coordinator groups."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page, Site

from events.models import CourseIndexPage, EventIndexPage
from webinars.models import WebinarIndexPage

from .models import (
    HomePage,
    InitiativeIndexPage,
    OrganisationIndexPage,
    ThemeIndexPage,
    WorkingGroupIndexPage,
)

SITE_NAME = "Bibliotekernes kompetencenetværk"

# The index pages below the home page, in menu order: (model, slug, title).
INDEX_PAGES = [
    (CourseIndexPage, "kurser", "Kurser og forløb"),
    (EventIndexPage, "arrangementer", "Arrangementer"),
    (WebinarIndexPage, "webinarer", "Webinarer"),
    (ThemeIndexPage, "temaer", "Temaer"),
    (InitiativeIndexPage, "indsatser", "Indsatser"),
    (WorkingGroupIndexPage, "arbejdsgrupper", "Arbejdsgrupper"),
    (OrganisationIndexPage, "arrangoerer", "Arrangører"),
]

# The admin itself; the registration overview, outbox and one person's data across offerings (events.registration).
COORDINATOR_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("events", "view_registrations"),
    ("events", "handle_personal_data"),
]
COORDINATOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COORDINATOR_COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
]


@transaction.atomic
def site_ensure_structure(*, hostname: str = "localhost", port: int = 80) -> HomePage:
    """Make sure the site has its home page and one index page of each kind. Safe to run again."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(
                title=SITE_NAME,
                slug="forside",
                intro="Kurser, arrangementer, webinarer og arbejdsgrupper for landets folkebiblioteker.",
            )
        )
        # Wagtail's own placeholder welcome page gives way to ours.
        for page in root.get_children().exclude(pk=home.pk).type(Page).exact_type(Page):
            page.delete()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname=hostname, port=port, root_page=home, is_default_site=True, site_name=SITE_NAME)
    elif site.root_page_id != home.pk or site.site_name != SITE_NAME:
        site.root_page = home
        site.site_name = SITE_NAME
        site.save()
    for model, slug, title in INDEX_PAGES:
        if not model.objects.exists():
            home.add_child(instance=model(title=title, slug=slug, show_in_menus=True))
    return home


@transaction.atomic
def coordinator_group_ensure(*, name: str, sections: list[Page]) -> Group:
    """A Wagtail group whose members add, edit and publish pages only below the given sections.

    The sections are the organisation and initiative pages that own the group's offerings. Members may also use
    the shared collection of documents and images, reach the admin, and see registrations across offerings.
    """
    group, _ = Group.objects.get_or_create(name=name)
    for app_label, codename in COORDINATOR_PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    GroupPagePermission.objects.filter(group=group).exclude(page__in=sections).delete()
    for section in sections:
        for codename in COORDINATOR_PAGE_PERMISSIONS:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=section, permission=permission)
    root_collection = Collection.get_first_root_node()
    for app_label, codename in COORDINATOR_COLLECTION_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        GroupCollectionPermission.objects.get_or_create(group=group, collection=root_collection, permission=permission)
    return group
