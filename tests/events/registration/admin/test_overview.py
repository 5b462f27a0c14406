"""The overview across offerings: per library, region and offering, filtered by start date."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from events.registration.values import ParticipantData
from tests.events.factories import EventPageFactory

from ..conftest import register
from .conftest import denied, editor, offering_url

pytestmark = pytest.mark.django_db


def overview(client, **params):
    return client.get(reverse("registration_admin:overview"), params)


def test_overview_per_library_region_and_offering(admin_client, filled, course_filled):
    response = overview(admin_client)
    assert response.status_code == 200
    context = response.context
    assert context["total"] == 5  # 3 on the event, 2 on the course
    libraries = {row["library"]: row["confirmed"] for row in context["per_library"]}
    assert sorted(libraries.values()) == [1, 4]
    regions = {row["region"]: row["confirmed"] for row in context["per_region"]}
    assert regions["Region Midtjylland"] == 4  # Herning
    assert regions["Region Hovedstaden"] == 1  # Ballerup
    by_offering = {o.title: (o.confirmed, o.waiting) for o in context["per_offering"]}
    assert by_offering["Temadag om læselyst"] == (3, 2)
    assert by_offering["Formidling i praksis"] == (2, 0)


def test_overview_date_range_filters_on_the_offering_start(admin_client, filled, course_filled):
    in_25_days = timezone.localdate() + dt.timedelta(days=25)
    response = overview(admin_client, start_from=in_25_days.isoformat())
    assert {o.title for o in response.context["per_offering"]} == {"Temadag om læselyst"}  # starts in 30 days
    assert response.context["total"] == 3
    response = overview(admin_client, start_to=in_25_days.isoformat())
    assert response.context["total"] == 2


@pytest.mark.parametrize(
    "params",
    [{"start_from": "i morgen"}, {"start_to": "2026-13-45"}, {"start_from": "2027-01-02", "start_to": "2027-01-01"}],
)
def test_overview_bad_dates_give_a_danish_message(admin_client, filled, params):
    response = overview(admin_client, **params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Indtast en gyldig dato" in html or "Fra-datoen skal ligge før til-datoen" in html


@pytest.mark.parametrize("user", ["admin_client", "coordinator_client"])  # network-wide, and scoped by page rights
def test_overview_query_count_does_not_grow_with_offerings(request, user, organisation, library):
    client = request.getfixturevalue(user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert overview(client).status_code == 200
        return len(captured)

    def offering_with_one(n: int):
        event = EventPageFactory(parent=organisation, registration_enabled=True, capacity=5)
        register(event, library, [ParticipantData("A", f"a{n}@example.org")])

    offering_with_one(1)
    few = queries()
    for n in range(2, 6):
        offering_with_one(n)
    assert queries() == few


def test_overview_lists_only_the_offerings_the_user_may_edit(stranger_client, coordinator_client, filled):
    url = offering_url(filled)
    own = overview(coordinator_client)
    assert url in own.content.decode()
    assert own.context["total"] == 3
    other = overview(stranger_client)
    assert other.status_code == 200
    assert "Temadag om læselyst" not in other.content.decode()
    assert other.context["per_offering"] == [] and other.context["total"] == 0
    assert other.context["per_library"] == []
    assert "Tallene gælder de tilbud, du kan redigere" in other.content.decode()


def test_overview_shows_every_offering_to_the_personal_data_officer_without_links(officer_client, filled):
    response = overview(officer_client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Temadag om læselyst" in html and response.context["total"] == 3
    assert offering_url(filled) not in html  # one offering's participants follow the right to edit its page


def test_overview_for_coordinators_with_the_permission_only(coordinator_client, client, filled):
    assert overview(coordinator_client).status_code == 200
    client.force_login(editor())
    assert denied(overview(client))


def test_overview_lists_the_newest_offerings_first(admin_client, organisation, filled, course_filled):
    """The event starts in 30 days, the course in 20, one more offering in 60: the latest start comes first."""
    EventPageFactory(
        parent=organisation,
        title="Konference om læring",
        start=timezone.now() + dt.timedelta(days=60),
        end=timezone.now() + dt.timedelta(days=61),
        registration_enabled=True,
    )
    titles = [o.title for o in overview(admin_client).context["per_offering"]]
    assert titles == ["Konference om læring", "Temadag om læselyst", "Formidling i praksis"]


PAGES = [({}, ["Tilbud 3", "Tilbud 2"]), ({"p": "2"}, ["Tilbud 1"]), ({"p": "abc"}, ["Tilbud 3", "Tilbud 2"]),
         ({"p": "99"}, ["Tilbud 1"])]  # fmt: skip


@pytest.mark.parametrize(("page", "titles"), PAGES)
def test_overview_shows_one_page_of_offerings(admin_client, organisation, library, monkeypatch, page, titles):
    monkeypatch.setattr("events.registration.admin.overview.OFFERINGS_PER_PAGE", 2)
    for n in range(1, 4):
        start = timezone.now() + dt.timedelta(days=n)
        event = EventPageFactory(parent=organisation, title=f"Tilbud {n}", start=start, registration_enabled=True)
        register(event, library, [ParticipantData("A", f"a{n}@example.org")])

    response = overview(admin_client, **page)

    assert response.status_code == 200
    assert [o.title for o in response.context["per_offering"]] == titles
    assert response.context["total"] == 3  # the totals count every offering, not the page
