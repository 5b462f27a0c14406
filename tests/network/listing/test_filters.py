"""The listing filters, one by one and combined: theme, type, when, period, audience, format, region and free text, as
GET parameters of a plain form that shows the filters chosen; the same URL gives the same results."""

from __future__ import annotations

import re

import pytest

from tests.network.listing.catalogue import (
    CONFERENCE,
    COURSE,
    COURSES,
    EVENING,
    EVENTS,
    FESTIVAL,
    INSPIRATION,
    LEADERS,
    PAST_COURSE,
    PAST_DAY,
    PAST_EVENTS_AND_COURSES,
    PAST_LEADERS,
    PAST_WEBINAR,
    UPCOMING_EVENTS_AND_COURSES,
    WEBINAR,
    WEBINARS,
    get,
    listing,
)

pytestmark = pytest.mark.django_db


# --- Filters one by one --------------------------------------------------------------------------------------


def test_filter_by_one_theme(client):
    assert listing(client, EVENTS, {"theme": "verdensmaal"}) == [INSPIRATION, LEADERS, CONFERENCE, COURSE]


def test_filter_by_several_themes_narrows_to_offerings_with_all_of_them(client):
    assert listing(client, EVENTS, {"theme": ["verdensmaal", "laeselyst"]}) == [CONFERENCE]
    assert listing(client, EVENTS, {"theme": ["verdensmaal", "ledelse"]}) == [LEADERS]


def test_filter_by_theme_on_the_webinar_archive(client):
    assert listing(client, WEBINARS, {"when": "past", "theme": "laeselyst"}) == [PAST_WEBINAR]
    assert listing(client, WEBINARS, {"when": "past", "theme": "verdensmaal"}) == []


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (["event"], [FESTIVAL, INSPIRATION, LEADERS, EVENING, CONFERENCE]),
        (["course"], [COURSE]),
        (["event", "course"], UPCOMING_EVENTS_AND_COURSES),
    ],
)
def test_filter_by_type(client, kinds, expected):
    assert listing(client, EVENTS, {"type": kinds}) == expected


def test_filter_by_when_past(client):
    assert listing(client, EVENTS, {"when": "past"}) == PAST_EVENTS_AND_COURSES


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"from": "2030-06-05", "to": "2030-07-31"}, [LEADERS, EVENING]),
        # A period decides on its own: without `when` it reaches into the past as well.
        ({"from": "2030-03-01", "to": "2030-03-31"}, [PAST_DAY]),
        # Both ends are whole days and inclusive.
        ({"from": "2030-06-01", "to": "2030-06-01"}, [INSPIRATION]),
        ({"from": "2030-06-10", "to": "2030-06-10"}, [LEADERS]),
        # An offering is in a period when it overlaps it: the running festival, the second day of the conference.
        ({"from": "2030-05-15", "to": "2030-05-15"}, [FESTIVAL]),
        ({"from": "2030-08-21", "to": "2030-08-21"}, [CONFERENCE]),
        # Open-ended periods.
        ({"from": "2030-08-01"}, [CONFERENCE, COURSE]),
        ({"to": "2029-12-31"}, [PAST_COURSE, PAST_LEADERS]),
    ],
)
def test_filter_by_date_range(client, params, expected):
    assert listing(client, EVENTS, params) == expected


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        ("alle", [FESTIVAL, INSPIRATION, CONFERENCE]),
        ("ledere", [LEADERS]),
        ("medarbejdere", [EVENING, COURSE]),
        ("noeglepersoner", []),
    ],
)
def test_filter_by_audience(client, audience, expected):
    assert listing(client, EVENTS, {"audience": audience}) == expected


def test_filter_by_format_online_includes_hybrid(client):
    assert listing(client, EVENTS, {"format": "online"}) == [EVENING, CONFERENCE]


def test_filter_by_format_on_site_includes_hybrid(client):
    assert listing(client, EVENTS, {"format": "fysisk"}) == [FESTIVAL, INSPIRATION, LEADERS, CONFERENCE, COURSE]


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("midtjylland", [FESTIVAL, INSPIRATION, COURSE]),  # the course by the place of its course days
        ("hovedstaden", [LEADERS]),
        ("syddanmark", [CONFERENCE]),
        ("nordjylland", []),
    ],
)
def test_filter_by_region(client, region, expected):
    assert listing(client, EVENTS, {"region": region}) == expected


def test_online_offerings_have_no_region(client):
    shown = set()
    for region in ("hovedstaden", "sjaelland", "syddanmark", "midtjylland", "nordjylland"):
        shown.update(listing(client, EVENTS, {"region": region}))
    assert EVENING not in shown


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("ledertræf", [LEADERS]),  # in the title
        ("LEDERtræf", [LEADERS]),  # any case
        ("skolerne", [COURSE]),  # in the introduction
        ("konference salen", [CONFERENCE]),  # every word must occur, title or introduction
        ("  konference   ", [CONFERENCE]),  # surrounding whitespace does not matter
        ("ingenting", []),
    ],
)
def test_filter_by_free_text(client, q, expected):
    assert listing(client, EVENTS, {"q": q}) == expected


def test_free_text_ignores_the_case_of_danish_letters(client):
    assert listing(client, EVENTS, {"q": "LEDERTRÆF"}) == [LEADERS]
    assert listing(client, EVENTS, {"q": "bæredygtig", "when": "past"}) == [PAST_DAY]
    assert listing(client, EVENTS, {"q": "BÆREDYGTIG", "when": "past"}) == [PAST_DAY]


def test_free_text_stays_within_the_listing(client):
    """A webinar matches the words, but the course listing lists courses only."""
    assert listing(client, COURSES, {"q": "citizen"}) == []
    assert listing(client, WEBINARS, {"q": "citizen"}) == [WEBINAR]


# --- Filters combined ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"theme": "verdensmaal", "format": "fysisk", "region": "midtjylland"}, [INSPIRATION, COURSE]),
        ({"theme": "verdensmaal", "when": "past"}, [PAST_DAY]),
        ({"theme": "ledelse", "when": "past", "type": "course"}, [PAST_COURSE]),
        ({"theme": "laeselyst", "format": "online", "audience": "medarbejdere"}, [EVENING]),
        ({"type": "course", "audience": "medarbejdere", "q": "skolerne"}, [COURSE]),
        ({"type": "event", "region": "hovedstaden", "when": "all"}, [PAST_LEADERS, LEADERS]),
        ({"theme": "verdensmaal", "from": "2030-06-01", "to": "2030-06-30", "type": "event"}, [INSPIRATION, LEADERS]),
        ({"audience": "ledere", "when": "past", "format": "online"}, [PAST_COURSE]),
        ({"q": "bibliotek", "region": "herning"}, [INSPIRATION, LEADERS]),  # an unknown region is dropped
        ({"theme": ["laeselyst", "verdensmaal"], "region": "syddanmark", "format": "online"}, [CONFERENCE]),
        ({"theme": "verdensmaal", "region": "hovedstaden", "audience": "alle"}, []),
    ],
)
def test_filters_combined(client, params, expected):
    assert listing(client, EVENTS, params) == expected


def test_combined_filters_on_the_webinar_archive(client):
    assert listing(client, WEBINARS, {"when": "past", "q": "højtlæsning", "theme": "laeselyst"}) == [PAST_WEBINAR]
    assert listing(client, WEBINARS, {"when": "past", "q": "højtlæsning", "theme": "ledelse"}) == []


# --- The form without JavaScript -----------------------------------------------------------------------------


def test_filter_form_is_a_plain_get_form_with_named_inputs(client):
    content = get(client, EVENTS).content.decode()
    form = re.search(r'<form class="filters"(.*?)</form>', content, flags=re.S)
    assert form
    tag, body = form.group(0).split(">", 1)[0], form.group(1)
    assert 'method="get"' in tag
    assert "onsubmit" not in tag
    names = set(re.findall(r'<input[^>]* name="([^"]+)"', body))
    assert {"q", "when", "from", "to", "theme", "type", "audience", "format", "region"} <= names
    assert re.search(r'<input type="date"[^>]* name="from"', body)
    assert re.search(r'<input type="date"[^>]* name="to"', body)
    assert re.search(r'<button type="submit"', body)
    assert 'type="checkbox" name="theme"' in body  # several themes can be ticked


def test_filter_form_shows_the_current_filters(client):
    params = {"q": "dag", "when": "all", "from": "2030-06-01", "to": "2030-06-30", "theme": "verdensmaal"}
    content = get(client, EVENTS, params).content.decode()
    assert 'name="q" value="dag"' in content
    assert 'name="when" value="all" checked' in content
    assert 'name="from" value="2030-06-01"' in content
    assert 'name="to" value="2030-06-30"' in content
    assert 'name="theme" value="verdensmaal" checked' in content


def test_filtered_url_is_stable(client):
    """The same URL gives the same page of results, request after request."""
    params = {"theme": "verdensmaal", "format": "fysisk"}
    first = listing(client, EVENTS, params)
    assert first == listing(client, EVENTS, params) == [INSPIRATION, LEADERS, CONFERENCE, COURSE]
