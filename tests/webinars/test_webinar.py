"""A webinar's phase comes from the clock: coming, live, then past. Listings sort on the stored, derived end."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from events.models import EventPage
from network.models import AttendanceMode
from tests.events.factories import EventPageFactory
from tests.network.factories import aware
from tests.webinars.factories import WebinarPageFactory
from webinars.models import Phase, WebinarPage

pytestmark = pytest.mark.django_db

START = aware(2030, 3, 23, 14, 0)  # a Saturday afternoon in Copenhagen (winter time)


@pytest.fixture
def webinar(organisation):
    return WebinarPageFactory(parent=organisation, title="Design Thinking med et bæredygtigt lag", start=START)


def test_webinar_end_is_computed_from_start_and_duration_on_save(webinar):
    assert webinar.end == START + dt.timedelta(minutes=60)
    webinar.refresh_from_db()
    assert webinar.end == aware(2030, 3, 23, 15, 0)


def test_webinar_end_follows_a_changed_duration(webinar):
    webinar.duration = 90
    webinar.save()
    webinar.refresh_from_db()
    assert webinar.end == aware(2030, 3, 23, 15, 30)


def test_webinar_end_follows_a_published_revision(webinar):
    webinar.start = START + dt.timedelta(days=1)
    webinar.save_revision().publish()
    webinar = WebinarPage.objects.get(pk=webinar.pk)
    assert webinar.end == START + dt.timedelta(days=1, minutes=60)


def test_webinar_is_always_online(webinar):
    assert webinar.attendance_mode == AttendanceMode.ONLINE


@pytest.mark.parametrize(
    ("now", "phase"),
    [
        (START - dt.timedelta(days=1), Phase.UPCOMING),
        (START - dt.timedelta(seconds=1), Phase.UPCOMING),
        (START, Phase.LIVE),
        (START + dt.timedelta(minutes=59), Phase.LIVE),
        (START + dt.timedelta(minutes=60), Phase.PAST),
        (START + dt.timedelta(days=300), Phase.PAST),
    ],
)
def test_webinar_phase_is_derived_from_the_given_time(webinar, now, phase):
    assert webinar.get_phase(now) == phase


@pytest.mark.parametrize(
    ("now", "phase"),
    [
        (START - dt.timedelta(hours=1), "upcoming"),
        (START + dt.timedelta(minutes=30), "live"),
        (START + dt.timedelta(hours=2), "past"),
    ],
)
def test_webinar_phase_follows_the_clock(webinar, now, phase):
    with time_machine.travel(now, tick=False):
        assert webinar.phase == phase


def test_upcoming_webinar_is_listed_as_upcoming_only(webinar):
    now = START - dt.timedelta(days=1)
    assert list(WebinarPage.objects.upcoming(now)) == [webinar]
    assert not WebinarPage.objects.past(now).exists()


def test_live_webinar_stays_in_upcoming_until_it_ends(webinar):
    now = START + dt.timedelta(minutes=30)
    assert list(WebinarPage.objects.upcoming(now)) == [webinar]
    assert not WebinarPage.objects.past(now).exists()


def test_ended_webinar_moves_to_the_archive(webinar):
    now = START + dt.timedelta(minutes=60)
    assert not WebinarPage.objects.upcoming(now).exists()
    assert list(WebinarPage.objects.past(now)) == [webinar]


def test_upcoming_lists_soonest_first_and_past_lists_latest_first(organisation):
    early = WebinarPageFactory(parent=organisation, start=START)
    late = WebinarPageFactory(parent=organisation, start=START + dt.timedelta(days=7))
    assert list(WebinarPage.objects.upcoming(START - dt.timedelta(days=1))) == [early, late]
    assert list(WebinarPage.objects.past(START + dt.timedelta(days=30))) == [late, early]


def test_listings_follow_the_clock_when_no_time_is_given(webinar):
    with time_machine.travel(START - dt.timedelta(hours=1), tick=False):
        assert list(WebinarPage.objects.upcoming()) == [webinar]
    with time_machine.travel(START + dt.timedelta(hours=1), tick=False):
        assert list(WebinarPage.objects.past()) == [webinar]


def test_unpublished_webinar_is_in_no_listing(webinar):
    webinar.unpublish()
    assert not WebinarPage.objects.upcoming(START - dt.timedelta(days=1)).exists()
    assert not WebinarPage.objects.past(START + dt.timedelta(days=1)).exists()


@pytest.fixture
def festival(organisation):
    """A three-day knowledge festival."""
    return EventPageFactory(
        parent=organisation,
        title="Vidensfestival i Ballerup",
        start=aware(2030, 5, 6, 9, 0),
        end=aware(2030, 5, 8, 16, 0),
    )


@pytest.mark.parametrize(
    "now",
    [aware(2030, 5, 1), aware(2030, 5, 6, 9, 0), aware(2030, 5, 7, 12, 0), aware(2030, 5, 8, 15, 59)],
)
def test_running_multi_day_event_stays_upcoming_until_it_ends(festival, now):
    assert festival.is_multi_day
    assert list(EventPage.objects.upcoming(now)) == [festival]
    assert not EventPage.objects.past(now).exists()


def test_multi_day_event_is_past_once_it_ends(festival):
    now = aware(2030, 5, 8, 16, 0)
    assert not EventPage.objects.upcoming(now).exists()
    assert list(EventPage.objects.past(now)) == [festival]


@pytest.mark.parametrize(
    ("now", "phase"),
    [(aware(2030, 5, 5), "upcoming"), (aware(2030, 5, 7), "running"), (aware(2030, 5, 9), "past")],
)
def test_event_phase_is_derived_from_the_time(festival, now, phase):
    assert festival.get_phase(now) == phase
    with time_machine.travel(now, tick=False):
        assert festival.phase == phase


def test_one_day_event_ending_at_midnight_is_not_multi_day(organisation):
    event = EventPageFactory(parent=organisation, start=aware(2030, 5, 6, 18, 0), end=aware(2030, 5, 7, 0, 0))
    assert not event.is_multi_day
