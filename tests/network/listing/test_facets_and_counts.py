"""The result count in Danish, the empty result, and the facets: counts of the current result for the values that
occur, narrowed by the other filters, rendered beside each choice."""

from __future__ import annotations

import re

import pytest

from tests.network.listing.catalogue import COURSES, EVENTS, WEBINARS, facet, get, listing, result_count

pytestmark = pytest.mark.django_db


# --- Result count ---------------------------------------------------------------------------------------------


def test_result_count_is_shown_in_danish(client):
    content = get(client, EVENTS).content.decode()
    assert re.search(r"6 resultater\s*</h2>", content)
    content = get(client, COURSES).content.decode()
    assert re.search(r"1 resultat\s*</h2>", content)


def test_empty_result_says_so(client):
    response = get(client, EVENTS, {"q": "findesikkenogetsted"})
    assert result_count(response) == 0
    assert "Ingen tilbud passer til filtrene" in response.content.decode()


# --- Facets --------------------------------------------------------------------------------------------------


def test_facets_count_the_current_result(client):
    response = get(client, EVENTS)
    assert facet(response, "theme") == {"verdensmaal": 4, "laeselyst": 3, "ledelse": 1}
    assert facet(response, "type") == {"event": 5, "course": 1}
    assert facet(response, "audience") == {"alle": 3, "ledere": 1, "medarbejdere": 2}
    assert facet(response, "region") == {"midtjylland": 3, "hovedstaden": 1, "syddanmark": 1}
    assert facet(response, "format") == {"fysisk": 5, "online": 2}


def test_facets_show_only_values_that_occur(client):
    response = get(client, EVENTS)
    assert "ubrugt" not in facet(response, "theme")  # a theme on nothing
    assert "historie" not in facet(response, "theme")  # a theme only on a past offering
    assert "noeglepersoner" not in facet(response, "audience")
    assert {"nordjylland", "sjaelland"}.isdisjoint(facet(response, "region"))
    assert all(
        count > 0
        for name in ("theme", "type", "audience", "region", "format")
        for count in facet(response, name).values()
    )
    content = response.content.decode()
    assert 'value="ubrugt"' not in content
    assert 'value="nordjylland"' not in content


def test_facets_follow_the_time_filter(client):
    response = get(client, EVENTS, {"when": "past"})
    assert facet(response, "theme") == {"verdensmaal": 1, "ledelse": 2, "historie": 1}
    assert facet(response, "type") == {"event": 2, "course": 1}


def test_facets_narrow_with_the_other_filters(client):
    response = get(client, EVENTS, {"region": "hovedstaden"})
    assert facet(response, "type") == {"event": 1}  # no course in the capital region: not offered
    assert facet(response, "audience") == {"ledere": 1}
    assert facet(response, "theme") == {"ledelse": 1, "verdensmaal": 1}
    # The region facet still offers the other regions (counted without the region filter), to switch to.
    assert facet(response, "region") == {"midtjylland": 3, "hovedstaden": 1, "syddanmark": 1}


def test_theme_facet_counts_what_ticking_another_theme_gives(client):
    response = get(client, EVENTS, {"theme": "verdensmaal"})
    counts = facet(response, "theme")
    assert counts == {"verdensmaal": 4, "laeselyst": 1, "ledelse": 1}
    assert len(listing(client, EVENTS, {"theme": ["verdensmaal", "laeselyst"]})) == counts["laeselyst"]


def test_type_facet_is_offered_only_where_there_is_a_choice(client):
    assert "type" not in {f.name for f in get(client, COURSES).context["listing"].facets}
    assert "type" not in {f.name for f in get(client, WEBINARS).context["listing"].facets}


def test_facet_counts_and_choices_are_rendered(client):
    content = get(client, EVENTS, {"theme": "verdensmaal", "region": "midtjylland"}).content.decode()
    assert re.search(
        r'name="theme" value="verdensmaal" checked>\s*Verdensmål <span class="filters__count">\(2\)', content
    )
    assert re.search(r'name="region" value="midtjylland" checked>\s*Region Midtjylland', content)
    assert re.search(r'name="type" value="event">\s*Arrangement <span class="filters__count">\(1\)', content)


def test_a_chosen_value_stays_visible_when_nothing_matches(client):
    """So the visitor can untick it: a chosen value with no result is still offered, with 0."""
    response = get(client, EVENTS, {"audience": "noeglepersoner"})
    assert facet(response, "audience")["noeglepersoner"] == 0
    assert 'name="audience" value="noeglepersoner" checked' in response.content.decode()
