"""The registration scope (`events/registration/scope.py`): the pages a user may edit as path ranges, the same pages
as Wagtail's page permissions give, worked out once per request, and an overview whose queries do not grow with the
coordinator's sections."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import GroupPagePermission
from wagtail.permission_policies.pages import PagePermissionPolicy

import pytest

from events.registration.scope import OfferingScope, PathRange, editable_scope, path_after_subtree
from events.registration.values import ParticipantData
from network.models import OfferingPage
from network.services import coordinator_group_ensure
from tests.events.factories import EventPageFactory
from tests.network.factories import OrganisationPageFactory

from ..conftest import make_user, register

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "after"),
    [("00010002", "00010003"), ("00010009", "0001000A"), ("0001000Z", "0001001"), ("000100ZZ", "000101")],
)
def test_the_path_after_a_subtree_carries_past_the_alphabets_end(path, after):
    assert path_after_subtree(path) == after


def test_a_range_holds_the_section_and_its_descendants_and_nothing_beside_it(organisation, organisation_index):
    child = EventPageFactory(parent=organisation)
    sibling = OrganisationPageFactory(parent=organisation_index, title="Kultur og Information")
    beside = EventPageFactory(parent=sibling)
    scope = OfferingScope(ranges=(PathRange(organisation.path, path_after_subtree(organisation.path)),))
    assert scope.contains(organisation) and scope.contains(child)
    assert not scope.contains(sibling) and not scope.contains(beside)
    assert set(scope.offerings().values_list("pk", flat=True)) == {child.pk}


def wagtail_editable(user) -> set[int]:
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return set(OfferingPage.objects.filter(pk__in=pages.values("pk")).values_list("pk", flat=True))


def scope_editable(user) -> set[int]:
    return set(editable_scope(user).offerings().values_list("pk", flat=True))


@pytest.fixture
def three_sections(organisation, organisation_index):
    """Danmarks Biblioteksforening, Kultur og Information and FKI, an offering in each, and one of the coordinator's
    own below a page of the first (a nested section)."""
    others = [
        OrganisationPageFactory(parent=organisation_index, title=title, short_name=short)
        for title, short in [("Kultur og Information", "KI"), ("FKI", "FKI")]
    ]
    sections = [organisation, *others]
    offerings = [EventPageFactory(parent=section, registration_enabled=True) for section in sections]
    return sections, offerings


def test_the_scope_is_wagtails_editable_pages_for_every_kind_of_user(three_sections, organisation):
    sections, offerings = three_sections
    coordinator = make_user("koordinator", coordinator_group_ensure(name="K1", sections=sections[:2]))
    nested = make_user("indlejret", coordinator_group_ensure(name="K2", sections=[sections[0], offerings[0]]))
    stranger = make_user("fremmed", coordinator_group_ensure(name="K3", sections=[sections[2]]))
    adder = make_user("tilfoejer")  # "add" alone below the first section: the pages they made, and no others
    group = coordinator_group_ensure(name="K4", sections=[])
    GroupPagePermission.objects.create(
        group=group, page=sections[0], permission=Permission.objects.get(codename="add_page")
    )
    adder.groups.add(group)
    own = EventPageFactory(parent=sections[0], owner=adder, registration_enabled=True)
    nobody = make_user("ingen")
    superuser = make_user("admin")
    superuser.is_superuser = True
    superuser.save()
    inactive = make_user("inaktiv", coordinator_group_ensure(name="K5", sections=sections))
    inactive.is_active = False
    inactive.save()

    expected = {
        coordinator: {offerings[0].pk, offerings[1].pk, own.pk},
        nested: {offerings[0].pk, own.pk},
        stranger: {offerings[2].pk},
        adder: {own.pk},
        nobody: set(),
        inactive: set(),
    }
    for user, pks in expected.items():
        assert scope_editable(user) == wagtail_editable(user) == pks, user.username
    assert (
        scope_editable(superuser)
        == wagtail_editable(superuser)
        == set(OfferingPage.objects.values_list("pk", flat=True))
    )
    assert len(editable_scope(nested).ranges) == 1  # the offering's range lies within its section's


def test_the_scope_is_worked_out_once_per_user_object(three_sections):
    """Kept on the user (one per request), as Wagtail keeps its page permissions: the list, the totals and the links of
    one request share it."""
    sections, _offerings = three_sections
    coordinator = make_user("koordinator", coordinator_group_ensure(name="K1", sections=sections))
    assert editable_scope(coordinator) is editable_scope(coordinator)


def overview_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("registration_admin:overview"))
        assert response.status_code == 200
    return len(captured)


def test_the_overview_asks_the_same_queries_for_one_section_as_for_twelve(client, organisation_index, library):
    """The scope's ranges make one condition per section inside the same queries, never a query per section."""
    sections = [
        OrganisationPageFactory(parent=organisation_index, title=f"Organisation {n}", short_name=f"O{n}")
        for n in range(12)
    ]
    for n, section in enumerate(sections):
        event = EventPageFactory(parent=section, registration_enabled=True, capacity=5)
        register(event, library, [ParticipantData("A", f"a{n}@example.org")], contact_email=f"k{n}@example.org")
    group = coordinator_group_ensure(name="Koordinatorer", sections=sections[:1])
    user = make_user("koordinator", group)
    client.force_login(user)
    client.get(reverse("registration_admin:overview"))  # the caches a first visit fills
    one = overview_queries(client)
    assert client.get(reverse("registration_admin:overview")).context["total"] == 1

    coordinator_group_ensure(name="Koordinatorer", sections=sections)
    client.get(reverse("registration_admin:overview"))
    assert overview_queries(client) == one
    response = client.get(reverse("registration_admin:overview"))
    assert response.context["total"] == 12
    assert all(offering.can_manage for offering in response.context["per_offering"])
    assert len(response.context["per_offering"]) == 12


def test_the_overview_links_only_the_offerings_the_network_wide_role_may_edit(client, three_sections, library):
    """Holders of the network-wide permission see every offering; the link follows the right to edit the page."""
    sections, offerings = three_sections
    user = make_user("netvaerk", coordinator_group_ensure(name="K1", sections=sections[:1]))
    user.user_permissions.add(Permission.objects.get(codename="view_registrations"))
    client.force_login(user)
    response = client.get(reverse("registration_admin:overview"))
    managed = {offering.pk: offering.can_manage for offering in response.context["per_offering"]}
    assert managed == {offerings[0].pk: True, offerings[1].pk: False, offerings[2].pk: False}
    assert not response.context["scoped"]
