"""Writes that touch several models: the coordinator groups."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

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
def coordinator_group_ensure(*, name: str, sections: list[Page]) -> Group:
    """A Wagtail group whose members add, edit and publish pages only below the given sections (the organisations
    and initiatives that own their offerings), use the shared documents and images, and see registrations."""
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
