"""Coordinator groups: each edits and publishes only below its own sections, while the listings gather everything."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.urls import reverse

from wagtail.documents import get_permission_policy
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

import pytest

from events.models import EventIndexPage
from network.services import (
    COORDINATOR_COLLECTION_PERMISSIONS,
    COORDINATOR_PAGE_PERMISSIONS,
    coordinator_group_ensure,
    organisation_collection_ensure,
    personal_data_group_ensure,
)
from tests.events.factories import EventPageFactory
from tests.network.factories import DocumentFactory, InitiativePageFactory, OrganisationPageFactory

pytestmark = pytest.mark.django_db

NETWORK_WIDE = ["view_registrations", "handle_personal_data"]
PERMISSION_DENIED = "Beklager, du har ikke rettigheder til at tilgå dette område"


@pytest.fixture
def network(home, organisation_index, initiative_index):
    """Two coordinating organisations, an initiative coordinated by the first, an event in each section."""
    db = OrganisationPageFactory(parent=organisation_index, title="Danmarks Biblioteksforening", short_name="DB")
    ki = OrganisationPageFactory(parent=organisation_index, title="Kultur og Information", short_name="KI")
    effort = InitiativePageFactory(
        parent=initiative_index, title="Kompetenceudvikling for biblioteksansatte", organiser=db
    )
    return {
        "db": db,
        "ki": ki,
        "effort": effort,
        "db_event": EventPageFactory(parent=db, title="Inspirationsdag i Herning"),
        "effort_event": EventPageFactory(parent=effort, title="Temadag om kompetencelandskaber"),
        "ki_event": EventPageFactory(parent=ki, title="Vidensfestival i Ballerup"),
    }


@pytest.fixture
def groups(network):
    return {
        "db": coordinator_group_ensure(
            name="Koordinatorer – Danmarks Biblioteksforening", sections=[network["db"], network["effort"]]
        ),
        "ki": coordinator_group_ensure(name="Koordinatorer – Kultur og Information", sections=[network["ki"]]),
    }


@pytest.fixture
def db_coordinator(groups):
    user = get_user_model().objects.create_user(
        username="koordinator-db", email="koordinator-db@example.org", password="adgangskode-til-test"
    )
    user.groups.add(groups["db"])
    return user


@pytest.fixture
def db_client(client, db_coordinator):
    client.force_login(db_coordinator)
    return client


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


@pytest.mark.parametrize("key", ["db", "effort", "db_event", "effort_event"])
def test_coordinator_can_edit_and_publish_in_own_sections(network, db_coordinator, key):
    permissions = network[key].permissions_for_user(db_coordinator)
    assert permissions.can_edit()
    assert permissions.can_publish()


@pytest.mark.parametrize("key", ["db", "effort"])
def test_coordinator_can_add_offerings_to_own_sections(network, db_coordinator, key):
    assert network[key].permissions_for_user(db_coordinator).can_add_subpage()


@pytest.mark.parametrize("key", ["db_event", "effort_event"])
def test_coordinator_opens_the_edit_view_of_own_offering(network, db_client, key):
    response = db_client.get(edit_url(network[key]))
    assert response.status_code == 200
    assert network[key].title in response.content.decode()


@pytest.mark.parametrize("key", ["ki", "ki_event"])
def test_coordinator_cannot_edit_or_publish_in_another_groups_section(network, db_coordinator, key):
    permissions = network[key].permissions_for_user(db_coordinator)
    assert not permissions.can_edit()
    assert not permissions.can_publish()
    assert not permissions.can_add_subpage()


def test_coordinator_is_turned_away_from_another_groups_edit_view(network, db_client):
    response = db_client.get(edit_url(network["ki_event"]))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    followed = db_client.get(response["Location"])
    assert PERMISSION_DENIED in followed.content.decode()


def test_coordinator_cannot_edit_the_home_page_or_the_listings(home, network, db_coordinator):
    assert not home.permissions_for_user(db_coordinator).can_edit()
    assert not EventIndexPage.objects.get().permissions_for_user(db_coordinator).can_edit()


def test_coordinator_cannot_post_an_edit_to_another_groups_page(network, db_client):
    event = network["ki_event"]
    response = db_client.post(edit_url(event), {"title": "Overtaget"})

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Vidensfestival i Ballerup"


def test_coordinator_group_is_granted_exactly_the_coordinator_permissions(network, groups):
    granted = set(GroupPagePermission.objects.filter(group=groups["db"]).values_list("page_id", "permission__codename"))
    sections = {network["db"].pk, network["effort"].pk}
    assert granted == {(page, codename) for page in sections for codename in COORDINATOR_PAGE_PERMISSIONS}
    assert groups["db"].permissions.filter(codename="access_admin").exists()


def test_coordinator_group_ensure_is_idempotent_and_follows_the_sections(network, groups):
    again = coordinator_group_ensure(
        name="Koordinatorer – Danmarks Biblioteksforening", sections=[network["db"], network["effort"]]
    )
    assert again.pk == groups["db"].pk
    assert Group.objects.filter(name="Koordinatorer – Danmarks Biblioteksforening").count() == 1
    assert GroupPagePermission.objects.filter(group=again).count() == 2 * len(COORDINATOR_PAGE_PERMISSIONS)

    coordinator_group_ensure(name="Koordinatorer – Danmarks Biblioteksforening", sections=[network["db"]])
    assert set(GroupPagePermission.objects.filter(group=again).values_list("page_id", flat=True)) == {network["db"].pk}


def test_event_listing_gathers_the_events_of_both_groups(network, groups):
    index = EventIndexPage.objects.get()
    request = RequestFactory().get(index.url)

    listing = index.get_context(request)["listing"]

    assert {event.title for event in listing.page.object_list} == {
        "Inspirationsdag i Herning",
        "Temadag om kompetencelandskaber",
        "Vidensfestival i Ballerup",
    }


def test_event_listing_page_shows_the_events_of_both_groups(client, network, groups):
    response = client.get(EventIndexPage.objects.get().url)

    assert response.status_code == 200
    html = response.content.decode()
    for title in ["Inspirationsdag i Herning", "Temadag om kompetencelandskaber", "Vidensfestival i Ballerup"]:
        assert title in html


def test_coordinator_group_ensure_takes_the_network_wide_and_root_collection_rights_of_earlier_versions(network):
    """An existing database: a coordinator group with the site-wide permissions and the root collection's add and
    change (as earlier versions gave them) keeps none of them once ensured again."""
    group = Group.objects.create(name="Koordinatorer – Kultur og Information")
    root = Collection.get_first_root_node()
    for codename in NETWORK_WIDE:
        group.permissions.add(Permission.objects.get(codename=codename))
    for codename in ("add_document", "change_document", "change_image"):
        GroupCollectionPermission.objects.create(
            group=group, collection=root, permission=Permission.objects.get(codename=codename)
        )
    own = organisation_collection_ensure(organisation=network["ki"])

    coordinator_group_ensure(name=group.name, sections=[network["ki"]], collections=[own])

    assert not group.permissions.filter(codename__in=NETWORK_WIDE).exists()
    granted = set(
        GroupCollectionPermission.objects.filter(group=group).values_list("collection", "permission__codename")
    )
    assert granted == {(root.pk, "choose_document"), (root.pk, "choose_image")} | {
        (own.pk, codename) for _app, codename in COORDINATOR_COLLECTION_PERMISSIONS
    }


def test_organisation_collection_ensure_is_idempotent(network):
    first = organisation_collection_ensure(organisation=network["db"])
    assert organisation_collection_ensure(organisation=network["db"]) == first
    assert first.get_parent() == Collection.get_first_root_node()
    assert Collection.objects.filter(name="Danmarks Biblioteksforening").count() == 1


def test_coordinators_change_documents_only_in_their_own_collection_and_choose_from_all(network):
    collections = {key: organisation_collection_ensure(organisation=network[key]) for key in ("db", "ki")}
    users = {}
    for key in ("db", "ki"):
        group = coordinator_group_ensure(
            name=f"Koordinatorer {key}", sections=[network[key]], collections=[collections[key]]
        )
        users[key] = get_user_model().objects.create_user(username=f"k-{key}", password="adgangskode-til-test")
        users[key].groups.add(group)
    documents = {key: DocumentFactory(collection=collections[key]) for key in ("db", "ki")}

    policy = get_permission_policy()
    assert policy.user_has_permission_for_instance(users["db"], "change", documents["db"])
    assert not policy.user_has_permission_for_instance(users["db"], "change", documents["ki"])
    assert set(policy.instances_user_has_permission_for(users["db"], "choose")) == set(documents.values())
    assert [c.name for c in policy.collections_user_has_permission_for(users["db"], "add")] == [collections["db"].name]


def test_personal_data_group_has_the_network_wide_permissions_and_no_page_or_collection_rights(db):
    group = personal_data_group_ensure()
    assert personal_data_group_ensure() == group
    assert set(group.permissions.values_list("codename", flat=True)) == {"access_admin", *NETWORK_WIDE}
    assert not GroupPagePermission.objects.filter(group=group).exists()
    assert not GroupCollectionPermission.objects.filter(group=group).exists()
