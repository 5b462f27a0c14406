"""The caches of network.caching follow publishing, unpublishing, edits of themes and organisers, and time: with the
local-memory cache switched on, what changed shows at once and a second request is served from the cache."""

from __future__ import annotations

import datetime as dt
import html
import re

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Site

import pytest
import time_machine

from network.caching import GENERATION_KEY, content_generation
from tests.events.factories import EventPageFactory
from tests.network.factories import ThemeFactory, aware
from tests.webinars.factories import WebinarPageFactory

pytestmark = pytest.mark.django_db

NOW = aware(2030, 5, 15, 12, 0)
EVENTS = "/arrangementer/"
PAST = "/arrangementer/?when=past"


@pytest.fixture(autouse=True)
def locmem_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "caching"}}
    settings.PAGE_CACHE_SECONDS = 0  # the caches inside a page, which whole pages from the cache would hide
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def theme(db):
    return ThemeFactory(name="Verdensmål")


def event(section, title, days, themes, **kwargs):
    start = NOW + dt.timedelta(days=days)
    return EventPageFactory(
        parent=section, title=title, start=start, end=start + dt.timedelta(hours=6), themes=themes, **kwargs
    )


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def titles(content: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r'<h3 class="card__title"><a href="[^"]*">([^<]*)</a>', content)]


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def facet_count(content: str, label: str) -> int | None:
    match = re.search(rf"{re.escape(label)} <span class=\"filters__count\">\((\d+)\)</span>", content)
    return int(match.group(1)) if match else None


def publish(page, **changes):
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()


def test_listing_is_served_from_the_cache_and_shows_a_publish_at_once(client, organisation, event_index, theme):
    first = event(organisation, "Inspirationsdag", 3, [theme])
    assert titles(get(client, EVENTS)) == ["Inspirationsdag"]

    publish(first, title="Inspirationsdag om verdensmål")
    assert titles(get(client, EVENTS)) == ["Inspirationsdag om verdensmål"]

    event(organisation, "Temadag", 5, [theme])
    content = get(client, EVENTS)
    assert titles(content) == ["Inspirationsdag om verdensmål", "Temadag"]
    assert "2 resultater" in content
    assert facet_count(content, "Verdensmål") == 2

    first.unpublish()
    content = get(client, EVENTS)
    assert titles(content) == ["Temadag"]
    assert facet_count(content, "Verdensmål") == 1


def test_a_warm_listing_makes_fewer_queries(client, organisation, event_index, theme):
    for days in range(1, 6):
        event(organisation, f"Arrangement {days}", days, [theme])
    WebinarPageFactory(parent=organisation, title="Webinar", start=NOW + dt.timedelta(days=2), themes=[theme])
    cold = queries(client, EVENTS)
    warm = queries(client, EVENTS)
    assert warm < cold  # cached cards: no specific pages, themes or organisers fetched
    assert titles(get(client, EVENTS)) == [f"Arrangement {days}" for days in range(1, 6)]


def test_past_listing_counts_follow_publishing_unpublishing_and_time(client, organisation, event_index, theme, frozen):
    other = ThemeFactory(name="Ledelse")
    old = [event(organisation, f"Afholdt {n}", -n, [theme]) for n in range(1, 4)]
    soon = event(organisation, "Snart", 1, [theme, other])
    content = get(client, PAST)
    assert facet_count(content, "Verdensmål") == 3
    assert facet_count(content, "Ledelse") is None
    assert "3 resultater" in content

    event(organisation, "Afholdt om ledelse", -10, [other])
    content = get(client, PAST)
    assert facet_count(content, "Ledelse") == 1
    assert "4 resultater" in content

    old[0].unpublish()
    content = get(client, PAST)
    assert facet_count(content, "Verdensmål") == 2
    assert "3 resultater" in content

    # Time passes: the upcoming event ends and is counted among the past ones, with no publish in between.
    frozen.shift(dt.timedelta(days=2))
    content = get(client, PAST)
    assert titles(content)[0] == "Snart"
    assert facet_count(content, "Verdensmål") == 3
    assert facet_count(content, "Ledelse") == 2
    assert "4 resultater" in content
    assert soon.title not in titles(get(client, EVENTS))


def test_upcoming_counts_hold_until_the_first_offering_ends(client, organisation, event_index, theme, frozen):
    other = ThemeFactory(name="Ledelse")
    event(organisation, "Snart", 1, [theme, other])
    event(organisation, "Senere", 10, [theme])
    content = get(client, EVENTS)
    assert "2 resultater" in content
    assert (facet_count(content, "Verdensmål"), facet_count(content, "Ledelse")) == (2, 1)
    frozen.shift(dt.timedelta(days=1, hours=5))  # "Snart" is running: still upcoming
    assert facet_count(get(client, EVENTS), "Ledelse") == 1
    frozen.shift(dt.timedelta(hours=2))  # and now it has ended, with no publish in between
    content = get(client, EVENTS)
    assert titles(content) == ["Senere"]
    assert "1 resultat" in content
    assert (facet_count(content, "Verdensmål"), facet_count(content, "Ledelse")) == (1, None)


def test_theme_page_moves_an_ended_offering_to_past(client, organisation, theme, frozen):
    url = f"/tema/{theme.slug}/"
    event(organisation, "Snart", 1, [theme])
    event(organisation, "Senere", 10, [theme])
    event(organisation, "Afholdt", -3, [theme])
    assert titles(get(client, url)) == ["Snart", "Senere", "Afholdt"]
    assert titles(get(client, url)) == ["Snart", "Senere", "Afholdt"]  # from the cache
    frozen.shift(dt.timedelta(days=2))
    assert titles(get(client, url)) == ["Senere", "Snart", "Afholdt"]


def test_card_badge_follows_time(client, organisation, event_index, theme, frozen):
    event(organisation, "Festival", 1, [theme])
    assert "Pågår nu" not in get(client, EVENTS)
    frozen.shift(dt.timedelta(days=1, hours=1))
    assert "Pågår nu" in get(client, EVENTS)


def test_theme_page_follows_publishing_and_theme_and_organiser_edits(client, organisation, theme):
    url = f"/tema/{theme.slug}/"
    page = event(organisation, "Inspirationsdag", 3, [theme], organiser=organisation)
    event(organisation, "Afholdt", -3, [theme], organiser=organisation)
    content = get(client, url)
    assert titles(content) == ["Inspirationsdag", "Afholdt"]

    publish(page, title="Ny titel")
    assert titles(get(client, url)) == ["Ny titel", "Afholdt"]

    other = ThemeFactory(name="Ledelse")
    page.themes.add(other)
    page.save_revision().publish()
    assert ">Ledelse</a>" in get(client, url)

    other.name = "God ledelse"
    other.save()
    content = get(client, url)
    assert ">God ledelse</a>" in content
    assert ">Ledelse</a>" not in content

    publish(organisation, title="Ny arrangør")
    assert get(client, url).count("Ny arrangør") == 2

    page.unpublish()
    assert titles(get(client, url)) == ["Afholdt"]


def test_cards_are_not_shared_between_listings_that_show_them_differently(client, organisation, home, theme):
    event(organisation, "Inspirationsdag", 3, [theme])
    assert "card__intro" in get(client, f"/tema/{theme.slug}/")  # upcoming cards show the introduction
    assert "card__intro" not in get(client, "/")  # the home page hides it (hide_intro)


def test_main_navigation_follows_a_publish(client, home, event_index):
    assert ">Arrangementer</a>" in get(client, "/")
    publish(event_index, title="Kalender")
    content = get(client, "/")
    assert ">Kalender</a>" in content
    assert ">Arrangementer</a>" not in content
    event_index.unpublish()
    assert ">Kalender</a>" not in get(client, "/")


def test_related_offerings_follow_a_publish(client, organisation, theme):
    other = ThemeFactory(name="Ledelse")
    page = event(organisation, "Inspirationsdag", 10, [theme, other])
    event(organisation, "Deler ét tema", 5, [theme])

    def related() -> list[str]:
        content = get(client, page.url)
        match = re.search(r'<section class="related"[^>]*>(.*?)</section>', content, flags=re.S)
        return titles(match.group(1)) if match else []

    assert related() == ["Deler ét tema"]
    event(organisation, "Deler to temaer", 40, [theme, other])
    assert related() == ["Deler to temaer", "Deler ét tema"]


def test_the_registration_form_is_served_from_the_cache_and_follows_publishing(client, organisation):
    page = event(organisation, "Tilmeldingsdag", 10, [], registration_enabled=True, capacity=10)
    url = f"/tilmelding/{page.pk}/"
    assert "Tilmeldingsdag" in get(client, url)
    with CaptureQueriesContext(connection) as first:
        get(client, url)
    with CaptureQueriesContext(connection) as second:
        get(client, url)
    # From the cache: the offering, its rounds, the form's 98 libraries and the site. Left: the seats taken.
    tables = " ".join(query["sql"] for query in second.captured_queries)
    assert len(second) == len(first) == 1
    for table in ('FROM "wagtailcore_page"', "events_eventpage", "pageviewrestriction", "network_library"):
        assert table not in tables

    page.title = "Tilmeldingsdag, ny dato"
    page.save_revision().publish()
    assert "Tilmeldingsdag, ny dato" in get(client, url)

    page.registration_enabled = False
    page.save_revision().publish()
    assert client.get(url).status_code == 404

    page.registration_enabled = True
    page.save_revision().publish()
    page.unpublish()
    assert client.get(url).status_code == 404


def test_the_site_of_a_host_comes_from_the_cache_until_a_site_is_edited(client, event_index):
    get(client, EVENTS)
    with CaptureQueriesContext(connection) as cached:
        get(client, EVENTS)
    assert not any("wagtailcore_site" in query["sql"] for query in cached.captured_queries)

    site = Site.objects.get(is_default_site=True)
    site.site_name = "Netværket, nyt navn"
    site.save()
    assert "Netværket, nyt navn" in get(client, EVENTS)


def test_search_hits_come_from_the_cache_and_follow_publishing_and_theme_edits(client, organisation, theme):
    pages = [event(organisation, f"Læseklub {days}", days, [theme]) for days in range(1, 4)]
    url = "/search/?q=l%C3%A6seklub"
    with CaptureQueriesContext(connection) as cold:
        get(client, url)
    with CaptureQueriesContext(connection) as warm:
        content = get(client, url)
    assert "3 resultater" in content
    # From the cache: the hits as event pages with their themes (the facet counts still read the theme links).
    assert len(warm) < len(cold)
    hit_themes = 'SELECT "network_pagetheme"."content_object_id" AS "content_object_id", "network_pagetheme"."tag_id"'
    for fetched in ("events_eventpage", hit_themes):
        assert fetched in " ".join(query["sql"] for query in cold.captured_queries)
        assert fetched not in " ".join(query["sql"] for query in warm.captured_queries)

    publish(pages[0], title="Læseklub om verdensmål")
    assert "om verdensmål" in get(client, url)

    theme.name = "Verdensmålene"
    theme.save()
    assert "Verdensmålene" in get(client, url)


def rendered(client, url) -> tuple[str, list[str]]:
    """The page and the names of the templates rendered for it."""
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [template.name for template in response.templates]


def test_a_search_hits_date_link_and_place_follow_a_publish(client, organisation, theme):
    page = event(organisation, "Læseklub i Aarhus", 3, [theme], venue_name="Hovedbiblioteket", city="Aarhus")
    url = "/search/?q=l%C3%A6seklub"
    cold, _ = rendered(client, url)
    warm, _ = rendered(client, url)
    assert "18. maj 2030" in cold and "Hovedbiblioteket, Aarhus" in cold and page.url in cold
    assert warm == cold
    # The title and snippet mark the words searched for.
    other, _ = rendered(client, "/search/?q=aarhus")
    assert "<mark>Aarhus</mark>" in other and "Læseklub i <mark>Aarhus</mark>" in html.unescape(other)

    publish(page, status="aflyst", city="Odense")
    content = get(client, url)
    assert "Aflyst" in content and "Hovedbiblioteket, Odense" in content


def test_a_search_hits_badge_follows_time(client, organisation, theme, frozen):
    WebinarPageFactory(parent=organisation, title="Læseklub på nettet", start=NOW + dt.timedelta(minutes=2),
                       themes=[theme])  # fmt: skip
    url = "/search/?q=l%C3%A6seklub"
    assert "Live nu" not in get(client, url)
    frozen.shift(dt.timedelta(minutes=3))  # (well within the cache's lifetime)
    assert "Live nu" in get(client, url)


def test_a_search_hits_date_follows_the_language(client, organisation, theme):
    event(organisation, "Læseklub", 3, [theme])
    assert "18. maj 2030" in get(client, "/search/?q=l%C3%A6seklub")
    assert "18 May 2030" in get(client, "/en/search/?q=l%C3%A6seklub")


def ranked(captured) -> bool:
    """Whether the search backend ranked matches in these queries (FTS5's MATCH, PostgreSQL's @@)."""
    return any(" MATCH " in query["sql"] or " @@ " in query["sql"] for query in captured.captured_queries)


def test_a_ranking_over_the_cap_comes_from_the_cache_until_a_publish(client, organisation, theme, monkeypatch):
    monkeypatch.setattr("search.selectors.CANDIDATE_LIMIT", 2)
    pages = [event(organisation, f"Læseklub {days}", days, [theme]) for days in range(1, 4)]
    url = "/search/?q=l%C3%A6seklub"
    with CaptureQueriesContext(connection) as cold:
        get(client, url)
    with CaptureQueriesContext(connection) as warm:
        content = get(client, url + "&sort=date")
    assert ranked(cold) and not ranked(warm)
    assert content.count('<h3 class="card__title">') == 2  # the 2 most relevant

    publish(pages[0], title="Læseklub for voksne")  # a new generation: ranked again
    with CaptureQueriesContext(connection) as after:
        content = get(client, url + "&sort=date")
    assert ranked(after)
    pages[1].unpublish()
    assert "Læseklub 2" not in get(client, url)


def test_a_ranking_under_the_cap_is_not_cached(client, organisation, theme):
    event(organisation, "Læseklub", 1, [theme])
    url = "/search/?q=l%C3%A6seklub"
    get(client, url)
    with CaptureQueriesContext(connection) as again:
        get(client, url)
    assert ranked(again)


def test_a_cached_upcoming_ranking_moves_on_with_time(client, organisation, theme, frozen, monkeypatch):
    monkeypatch.setattr("search.selectors.CANDIDATE_LIMIT", 2)
    event(organisation, "Læseklub i morgen", 1, [theme])
    EventPageFactory(parent=organisation, title="Læseklub nu", start=NOW - dt.timedelta(hours=1),
                     end=NOW + dt.timedelta(minutes=1), themes=[theme])  # fmt: skip
    url = "/search/?q=l%C3%A6seklub&when=upcoming"
    assert "2 resultater" in get(client, url)
    frozen.move_to(NOW + dt.timedelta(minutes=2))  # "Læseklub nu" has ended (the cache keeps entries 10 minutes)
    content = get(client, url)
    assert "1 resultat" in content and "Læseklub nu" not in content


def test_rankings_are_not_cached_when_the_setting_says_so(client, organisation, theme, monkeypatch, settings):
    settings.SEARCH_CACHE_RANKINGS = False
    monkeypatch.setattr("search.selectors.CANDIDATE_LIMIT", 2)
    for days in range(1, 4):
        event(organisation, f"Læseklub {days}", days, [theme])
    get(client, "/search/?q=l%C3%A6seklub")
    with CaptureQueriesContext(connection) as again:
        get(client, "/search/?q=l%C3%A6seklub")
    assert ranked(again)


def test_a_cached_ranking_leaves_out_pages_unpublished_in_another_worker(client, organisation, theme, monkeypatch):
    """With the local-memory cache another worker's unpublish is seen when entries expire; a cached ranking must
    still not show a page that is no longer live."""
    monkeypatch.setattr("search.selectors.CANDIDATE_LIMIT", 2)
    pages = [event(organisation, f"Læseklub {days}", days, [theme]) for days in range(1, 4)]
    url = "/search/?q=l%C3%A6seklub"
    shown = get(client, url)
    gone = next(page for page in pages if f'href="{page.url}"' in shown)
    token = cache.get(GENERATION_KEY)
    gone.unpublish()
    cache.set(GENERATION_KEY, token, None)  # as in a worker that has not seen the unpublish
    with CaptureQueriesContext(connection) as captured:
        content = get(client, url)
    assert not ranked(captured)  # the ranking came from the cache
    assert f'href="{gone.url}"' not in content


def test_a_publish_starts_a_new_generation_again_when_it_commits(
    organisation, theme, django_capture_on_commit_callbacks
):
    """A search between the first new generation and the commit reads the index of before: what it cached under
    that generation is not used after the commit."""
    page = event(organisation, "Læseklub", 1, [theme])
    with django_capture_on_commit_callbacks(execute=True):
        publish(page, title="Læseklub for voksne")
        during = content_generation()
    assert content_generation() != during


def test_a_ranking_of_any_word_is_not_cached(client, organisation, theme, monkeypatch):
    """A made-up word makes a ranking of the other words; each would take a place in the cache."""
    monkeypatch.setattr("search.selectors.CANDIDATE_LIMIT", 2)
    for days in range(1, 4):
        event(organisation, f"Læseklub {days}", days, [theme])
    url = "/search/?q=l%C3%A6seklub+zzqx"
    assert "mindst ét af dem" in get(client, url)
    with CaptureQueriesContext(connection) as again:
        get(client, url)
    assert ranked(again)
