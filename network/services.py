"""Writes that touch several models: the coordinator groups, the organisations' collections, the network-wide
personal-data role."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

# The admin itself. A coordinator sees registrations, e-mails and personal data of the offerings whose page they may
# edit (events.registration.admin), so the page permissions below are all they need for that.
COORDINATOR_PERMISSIONS = [("wagtailadmin", "access_admin")]
# Across the whole network: the group "Persondataansvarlig" alone. Taken from coordinator groups that hold them.
NETWORK_WIDE_PERMISSIONS = [("events", "view_registrations"), ("events", "handle_personal_data")]
PERSONAL_DATA_GROUP = "Persondataansvarlig"
COORDINATOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
# In the organisation's own collections; every collection below the root may be chosen from.
COORDINATOR_COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
]
CHOOSE_PERMISSIONS = [("wagtaildocs", "choose_document"), ("wagtailimages", "choose_image")]


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def coordinator_group_ensure(*, name: str, sections: list[Page], collections: list[Collection] = ()) -> Group:
    """A Wagtail group whose members add, edit and publish pages only below the given sections (the organisations
    and initiatives that own their offerings), add and change documents and images in `collections` and choose from
    all. Idempotent: what the group held beyond that (a section given up, the network-wide permissions, the root
    collection's add and change of earlier versions) is taken away."""
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(*(_permission(*key) for key in COORDINATOR_PERMISSIONS))
    group.permissions.remove(*(_permission(*key) for key in NETWORK_WIDE_PERMISSIONS))
    GroupPagePermission.objects.filter(group=group).exclude(page__in=sections).delete()
    for section in sections:
        for codename in COORDINATOR_PAGE_PERMISSIONS:
            permission = _permission("wagtailcore", codename)
            GroupPagePermission.objects.get_or_create(group=group, page=section, permission=permission)
    wanted = [
        (collection, _permission(*key)) for collection in collections for key in COORDINATOR_COLLECTION_PERMISSIONS
    ]
    root = Collection.get_first_root_node()
    wanted += [(root, _permission(*key)) for key in CHOOSE_PERMISSIONS]
    keep = Q(pk__in=[])
    for collection, permission in wanted:
        keep |= Q(collection=collection, permission=permission)
        GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)
    GroupCollectionPermission.objects.filter(group=group).exclude(keep).delete()
    return group


@transaction.atomic
def organisation_collection_ensure(*, organisation: Page) -> Collection:
    """The organisation's collection of documents and images, below the root and named after it (found by that name
    when it exists)."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=organisation.title).first()
    return collection or root.add_child(name=organisation.title)


@transaction.atomic
def personal_data_group_ensure(*, name: str = PERSONAL_DATA_GROUP) -> Group:
    """The network-wide role for data-protection requests: every organisation's registrations, outbox and one
    person's data across the network; no page, document or image rights."""
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(*(_permission(*key) for key in [*COORDINATOR_PERMISSIONS, *NETWORK_WIDE_PERMISSIONS]))
    return group
