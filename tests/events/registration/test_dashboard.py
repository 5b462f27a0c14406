"""The coordinators' panel on the admin home: next offerings with counts, and figures per month, region and theme."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
import time_machine

from events.registration import stats
from events.registration.admin.dashboard import CoordinatorDashboardPanel
from network.services import coordinator_group_ensure
from tests.events.factories import EventPageFactory
from tests.network.factories import OrganisationPageFactory

from .conftest import make_user
from .figures import NOW, add, at, build, more_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_section(organisation_index):
    return OrganisationPageFactory(parent=organisation_index, title="Kultur og Information", short_name="KI")


@pytest.fixture
def figures(organisation, other_section):
    return build(organisation, other_section)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def coordinator(organisation):
    return make_user("koordinator-db", coordinator_group_ensure(name="Koordinatorer – DB", sections=[organisation]))


@pytest.fixture
def stranger(other_section):
    return make_user("koordinator-ki", coordinator_group_ensure(name="Koordinatorer – KI", sections=[other_section]))


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def home(client, **params):
    return client.get(reverse("wagtailadmin_home"), params)


# --- The figures -----------------------------------------------------------------------------------------------


def test_confirmed_per_month_counts_confirmed_by_registration_month(figures):
    months = dict(stats.confirmed_per_month(months=12, now=NOW))

    assert list(months) == [stats.add_months(dt.date(2023, 7, 1), n) for n in range(12)]
    assert months[dt.date(2023, 12, 1)] == 3
    assert months[dt.date(2024, 3, 1)] == 5  # not the cancelled one, not the waiting one
    assert months[dt.date(2024, 4, 1)] == 3  # confirmed, whatever the attendance
    assert months[dt.date(2024, 5, 1)] == 4
    assert sum(months.values()) == 15  # February 2023 is outside the 12 months


def test_confirmed_per_month_in_one_region_and_a_short_period(figures):
    assert stats.confirmed_per_month(months=3, region="midtjylland", now=NOW) == [
        (dt.date(2024, 4, 1), 2),
        (dt.date(2024, 5, 1), 2),
        (dt.date(2024, 6, 1), 0),
    ]


def test_confirmed_by_region_uses_the_libraries_regions_and_lists_every_region(figures):
    assert stats.confirmed_by_region(months=12, now=NOW) == [
        ("Region Hovedstaden", 4),  # webinar 2, course 1, KI-temadag 1 (not started: registered all the same)
        ("Region Sjælland", 0),
        ("Region Syddanmark", 0),
        ("Region Midtjylland", 8),  # webinar 3, leadership 1, course 2 (whatever the attendance), Ledernetværk 2
        ("Region Nordjylland", 3),  # leadership 2, open meeting 1 (the waiting one left out)
    ]


def test_confirmed_by_region_in_a_short_period(figures):
    # Registered since 1 April 2024: the course, Ledernetværk, the KI-temadag and the open meeting.
    assert dict(stats.confirmed_by_region(months=3, now=NOW)) == {
        "Region Hovedstaden": 2,
        "Region Sjælland": 0,
        "Region Syddanmark": 0,
        "Region Midtjylland": 4,
        "Region Nordjylland": 1,
    }


def test_confirmed_by_theme_counts_each_theme_of_an_offering(figures):
    assert stats.confirmed_by_theme(months=12, now=NOW) == [
        ("Formidling", 8),
        ("Ledelse", 5),
        ("Verdensmål", 5),
        ("Uden tema", 2),
    ]
    assert stats.confirmed_by_theme(months=12, region="midtjylland", now=NOW) == [
        ("Formidling", 5),
        ("Ledelse", 3),
        ("Verdensmål", 3),
    ]


@pytest.mark.parametrize(("months", "region"), [(12, ""), (3, ""), (24, "midtjylland"), (3, "nordjylland")])
def test_the_three_charts_count_the_same_thing_for_the_same_period(figures, months, region):
    per_month = sum(n for _month, n in stats.confirmed_per_month(months=months, region=region, now=NOW))
    per_region = sum(n for _region, n in stats.confirmed_by_region(months=months, region=region, now=NOW))
    per_theme = stats.confirmed_by_theme(months=months, region=region, now=NOW)
    assert per_month == per_region == stats.confirmed_in_period(months=months, region=region, now=NOW).count()
    # Each registration is under at least one theme (or "Uden tema"), and under no more than its offering's themes.
    assert per_month <= sum(n for _theme, n in per_theme) <= 2 * per_month


def test_registrations_for_offerings_not_yet_started_count_in_every_chart(organisation, library, frozen):
    """The issue's case: 9 registrations over time, zeros per region and "nobody" per theme, all for upcoming
    offerings. Now each chart counts them."""
    upcoming = EventPageFactory(
        parent=organisation, start=at(2024, 9, 1), end=at(2024, 9, 2), registration_enabled=True
    )
    add(upcoming, library, at(2024, 6, 1), 9)
    assert sum(n for _m, n in stats.confirmed_per_month(months=12, now=NOW)) == 9
    assert dict(stats.confirmed_by_region(months=12, now=NOW))["Region Midtjylland"] == 9
    assert stats.confirmed_by_theme(months=12, now=NOW) == [("Uden tema", 9)]


def test_upcoming_offerings_with_seats_left_confirmed_and_waiting(figures, superuser):
    rows = stats.upcoming_offerings(superuser, now=NOW)

    assert [row.offering.title for row in rows] == ["Ledernetværk", "KI-temadag"]
    future, other = rows
    assert (future.seats_left, future.confirmed, future.waiting) == (3, 2, 1)
    assert (other.seats_left, other.confirmed, other.waiting) == (29, 1, 0)


def test_upcoming_offerings_without_a_capacity_have_no_seat_limit(organisation, superuser, library):
    event = EventPageFactory(parent=organisation, registration_enabled=True, capacity=None)
    add(event, library, at(2024, 6, 1), 2)
    [row] = stats.upcoming_offerings(superuser)
    assert row.seats_left is None and row.confirmed == 2


# --- The panel ---------------------------------------------------------------------------------------------------


def test_panel_on_the_admin_home_shows_the_list_and_the_charts(figures, superuser, frozen):
    response = home(logged_in(superuser))

    assert response.status_code == 200
    html = response.content.decode()
    assert "w-panel--dashboard registration-dashboard" in html
    assert "Ledernetværk" in html and "KI-temadag" in html
    assert 'data-count="seats-left">3<' in html and 'data-count="waiting">1<' in html
    assert reverse("registration_admin:offering", args=[figures.future.pk]) in html
    assert html.count('role="img"') == 3
    assert html.count("<title id=") == 3 and html.count("<desc id=") == 3
    assert "Region Midtjylland: 8" in html  # the description holds the numbers
    assert "Alle tre figurer tæller det samme" in html and "I alt 15 tilmeldinger." in html
    for table in ("per-month", "per-region", "per-theme"):
        assert f'data-table="{table}"' in html
    assert '<th scope="row">Formidling</th><td>8</td>' in html


def test_coordinator_sees_only_the_offerings_of_their_own_section(figures, coordinator, stranger, frozen):
    own = home(logged_in(coordinator)).content.decode()
    assert "Ledernetværk" in own
    assert "KI-temadag" not in own.split('id="dashboard-figures-heading"')[0]

    other = home(logged_in(stranger)).content.decode()
    upcoming = other.split('id="dashboard-figures-heading"')[0]
    assert "KI-temadag" in upcoming
    assert "Ledernetværk" not in upcoming
    assert reverse("registration_admin:offering", args=[figures.future.pk]) not in other


def test_coordinator_sees_the_network_wide_figures_without_the_network_wide_permissions(
    figures, coordinator, stranger, frozen
):
    """Aggregates stay network-wide: the other section's coordinator sees the same figures, counts and all."""
    assert not coordinator.has_perm("events.view_registrations")
    own = home(logged_in(coordinator)).content.decode()
    other = home(logged_in(stranger)).content.decode()

    assert 'id="dashboard-figures-heading"' in own
    assert "Region Midtjylland: 8" in own and "Region Midtjylland: 8" in other


def test_editor_without_registration_rights_gets_no_panel(figures, frozen):
    editor = make_user("redaktoer")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))

    response = home(logged_in(editor))

    assert response.status_code == 200
    assert "registration-dashboard" not in response.content.decode()


def test_filters_change_the_figures(figures, superuser, frozen):
    html = home(logged_in(superuser), periode="3", region="midtjylland").content.decode()
    assert "data-filter-error" not in html
    assert "seneste 3 måneder, Region Midtjylland" in html
    assert "Region Midtjylland: 4" in html
    assert "Region Hovedstaden:" not in html  # only the chosen region


@pytest.mark.parametrize(
    "params",
    [
        {"periode": "abc"},
        {"periode": "999"},
        {"periode": "-12"},
        {"periode": "12.5"},
        {"periode": "1e3"},
        {"periode": "\x00"},
        {"periode": "9" * 400},
        {"region": "mars"},
        {"region": "<script>alert(1)</script>"},
        {"periode": ["3", "x"], "region": ["", "mars"]},
    ],
)
def test_bad_filter_input_shows_a_danish_message_and_the_default(figures, superuser, frozen, params):
    response = home(logged_in(superuser), **params)

    assert response.status_code == 200
    html = response.content.decode()
    assert "data-filter-error" in html
    assert "Filteret kunne ikke bruges" in html
    assert "<script>alert(1)</script>" not in html
    if "periode" in params and params["periode"] != ["3", "x"]:
        assert "Seneste 12 måneder" in html  # the default period


def test_an_empty_filter_is_the_default_and_no_error(figures, superuser, frozen):
    html = home(logged_in(superuser), periode="", region="").content.decode()
    assert "data-filter-error" not in html
    assert "Bekræftede tilmeldinger (seneste 12 måneder)" in html


# --- Query counts ------------------------------------------------------------------------------------------------


def render_panel(user, **params) -> str:
    request = RequestFactory().get("/admin/", params)
    request.user = user
    return CoordinatorDashboardPanel(request).render_html({"request": request})


PANEL_QUERIES_SUPERUSER = 4  # upcoming list, per month, per region, per theme
PANEL_QUERIES_COORDINATOR = 7  # + the groups' page permissions (Wagtail), the user's and the groups' permissions


def test_panel_query_count_is_pinned_and_does_not_grow(
    figures, superuser, coordinator, organisation, frozen, django_assert_num_queries
):
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)  # no cached permissions
    with django_assert_num_queries(PANEL_QUERIES_SUPERUSER):
        render_panel(superuser)
    with django_assert_num_queries(PANEL_QUERIES_COORDINATOR):
        render_panel(coordinator)

    more_data(organisation, figures.aalborg, 6)

    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    with django_assert_num_queries(PANEL_QUERIES_SUPERUSER):
        assert "Ekstra tema 5" in render_panel(superuser, periode="12")
    with django_assert_num_queries(PANEL_QUERIES_COORDINATOR):
        assert "Kommende 5" in render_panel(coordinator, region="nordjylland")


def test_admin_home_query_count_does_not_grow_with_data(figures, superuser, organisation, frozen):
    client = logged_in(superuser)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert home(client).status_code == 200
        return len(captured)

    home(client)  # warm caches
    few = queries()
    more_data(organisation, figures.herning, 5)
    assert queries() == few


def test_the_period_list_shows_the_default_when_nothing_is_chosen(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert f'<option value="{stats.DEFAULT_MONTHS}" selected>' in html
