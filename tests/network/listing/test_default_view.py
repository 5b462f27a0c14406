"""What a listing shows unfiltered: upcoming offerings soonest first, the past latest first, each listing its own
kinds, only published public pages; "now" is read per request."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

import pytest
import time_machine

from tests.network.listing.catalogue import (
    COURSE,
    COURSES,
    DRAFT,
    EVENTS,
    FESTIVAL,
    NOW,
    PAST_COURSE,
    PAST_DAY,
    PAST_EVENTS_AND_COURSES,
    PAST_LEADERS,
    PAST_WEBINAR,
    PRIVATE,
    UPCOMING_EVENTS_AND_COURSES,
    WEBINAR,
    WEBINARS,
    listing,
)

pytestmark = pytest.mark.django_db


def test_event_listing_shows_upcoming_events_and_courses_soonest_first(client):
    assert listing(client, EVENTS) == UPCOMING_EVENTS_AND_COURSES


def test_running_event_is_listed_among_upcoming(client):
    assert FESTIVAL in listing(client, EVENTS)
    assert FESTIVAL not in listing(client, EVENTS, {"when": "past"})


def test_unpublished_and_private_offerings_are_not_listed(client):
    shown = listing(client, EVENTS, {"when": "all"})
    assert DRAFT not in shown
    assert PRIVATE not in shown


def test_course_listing_shows_only_courses(client):
    assert listing(client, COURSES) == [COURSE]
    assert listing(client, COURSES, {"when": "past"}) == [PAST_COURSE]


def test_webinar_listing_shows_upcoming_webinars(client):
    assert listing(client, WEBINARS) == [WEBINAR]


def test_webinar_archive_shows_past_webinars(client):
    assert listing(client, WEBINARS, {"when": "past"}) == [PAST_WEBINAR]


def test_past_offerings_are_sorted_latest_first(client):
    assert listing(client, EVENTS, {"when": "past"}) == PAST_EVENTS_AND_COURSES


def test_all_offerings_are_sorted_by_date_ascending(client):
    assert listing(client, EVENTS, {"when": "all"}) == [
        PAST_COURSE,
        PAST_LEADERS,
        PAST_DAY,
        *UPCOMING_EVENTS_AND_COURSES,
    ]


def test_explicit_upcoming_equals_the_default(client):
    assert listing(client, EVENTS, {"when": "upcoming"}) == listing(client, EVENTS)


def test_listing_does_not_depend_on_the_servers_clock_at_import(client):
    """'Now' is read per request: travelling past the festival's end moves it out of the upcoming listing."""
    assert FESTIVAL in listing(client, EVENTS)
    with time_machine.travel(timezone.localtime(NOW) + dt.timedelta(days=2), tick=False):
        assert FESTIVAL not in listing(client, EVENTS)
        assert FESTIVAL in listing(client, EVENTS, {"when": "past"})
