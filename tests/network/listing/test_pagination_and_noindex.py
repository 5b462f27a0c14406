"""Pages of twenty results with the total count and links that keep the filters; an unfiltered or single-theme
listing is indexable, any other filtered listing carries noindex."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.network.factories import aware
from tests.network.listing.catalogue import (
    COURSES,
    EVENTS,
    WEBINAR,
    WEBINARS,
    card_titles,
    get,
    has_noindex,
    result_count,
)
from tests.webinars.factories import WebinarPageFactory

pytestmark = pytest.mark.django_db


# --- Pagination ----------------------------------------------------------------------------------------------


def test_pagination_pages_of_twenty_with_the_total_count_and_links_that_keep_the_filters(client, catalogue):
    """21 upcoming webinars about Verdensmål (the catalogue's and 20 more): two pages, the second with one."""
    section = catalogue["pages"][WEBINAR].get_parent()
    for n in range(20):
        WebinarPageFactory(
            parent=section,
            title=f"Ekstra webinar {n:02d}",
            start=aware(2030, 6, 1, 9) + dt.timedelta(days=n),
            themes=[catalogue["themes"]["verdensmaal"]],
        )
    first = get(client, WEBINARS)
    assert result_count(first) == 21
    assert card_titles(first) == [WEBINAR, *[f"Ekstra webinar {n:02d}" for n in range(19)]]
    assert "Side 1 af 2" in first.content.decode()
    second = get(client, WEBINARS, {"page": "2"})
    assert result_count(second) == 21
    assert card_titles(second) == ["Ekstra webinar 19"]
    assert "Side 2 af 2" in second.content.decode()

    content = get(client, WEBINARS, {"theme": "verdensmaal", "q": "webinar"}).content.decode()
    assert 'rel="next" href="?theme=verdensmaal&amp;q=webinar&amp;page=2"' in content
    content = get(client, WEBINARS, {"theme": "verdensmaal", "q": "webinar", "page": "2"}).content.decode()
    assert 'rel="prev" href="?theme=verdensmaal&amp;q=webinar&amp;page=1"' in content


def test_a_single_page_has_no_pagination(client):
    assert 'class="pagination"' not in get(client, EVENTS).content.decode()


# --- noindex -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [EVENTS, COURSES, WEBINARS])
def test_unfiltered_listing_is_indexable(client, url):
    assert not has_noindex(get(client, url))


@pytest.mark.parametrize("params", [{"theme": "verdensmaal"}, {"theme": "verdensmaal", "page": "1"}])
def test_single_theme_listing_is_indexable(client, params):
    assert not has_noindex(get(client, EVENTS, params))


@pytest.mark.parametrize(
    "params",
    [
        {"theme": ["verdensmaal", "laeselyst"]},
        {"theme": "verdensmaal", "type": "event"},
        {"theme": "verdensmaal", "q": "dag"},
        {"theme": "findes-ikke"},
        {"type": "event"},
        {"when": "past"},
        {"from": "2030-06-01"},
        {"to": "2030-06-01"},
        {"audience": "ledere"},
        {"format": "online"},
        {"region": "midtjylland"},
        {"q": "dag"},
    ],
)
def test_other_filtered_listings_carry_noindex(client, params):
    assert has_noindex(get(client, EVENTS, params))
