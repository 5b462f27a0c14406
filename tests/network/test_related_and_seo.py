"""Related offerings by shared themes, the home page's next offerings and themes, sitemap.xml and robots.txt."""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
import time_machine

from network.selectors import related_offerings
from tests.events.factories import CoursePageFactory, EventPageFactory
from tests.network.factories import ThemeFactory, WorkingGroupPageFactory, aware
from tests.webinars.factories import WebinarPageFactory

pytestmark = pytest.mark.django_db

NOW = aware(2030, 5, 15, 12, 0)
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def titles(content: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r'<h3 class="card__title"><a href="[^"]*">([^<]*)</a>', content)]


def related_section(client, page) -> list[str]:
    content = client.get(page.url).content.decode()
    match = re.search(r'<section class="related"[^>]*>(.*?)</section>', content, flags=re.S)
    return titles(match.group(1)) if match else []


@pytest.fixture
def themes(db):
    return ThemeFactory(name="Verdensmål"), ThemeFactory(name="Læselyst"), ThemeFactory(name="Ledelse")


def upcoming(section, title, days, themes, factory=EventPageFactory, **kwargs):
    start = NOW + dt.timedelta(days=days)
    if factory is WebinarPageFactory:
        return factory(parent=section, title=title, start=start, themes=themes, **kwargs)
    return factory(parent=section, title=title, start=start, end=start + dt.timedelta(hours=6), themes=themes, **kwargs)


# --- Related offerings ---------------------------------------------------------------------------------------


def test_related_offerings_rank_by_shared_themes_and_exclude_self(client, organisation, themes):
    a, b, c = themes
    page = upcoming(organisation, "Inspirationsdag", 10, [a, b])
    one = upcoming(organisation, "Deler ét tema", 5, [a])  # sooner, but shares fewer themes
    two = upcoming(organisation, "Deler to temaer", 40, [a, b], factory=CoursePageFactory)
    none = upcoming(organisation, "Andet tema", 6, [c])
    assert related_offerings(page) == [two, one]
    assert none not in related_offerings(page)
    assert related_section(client, page) == ["Deler to temaer", "Deler ét tema"]


def test_related_offerings_leave_out_unpublished_and_non_offerings(client, organisation, themes):
    a, _b, _c = themes
    page = upcoming(organisation, "Inspirationsdag", 10, [a])
    upcoming(organisation, "Kladde", 11, [a], live=False)
    WorkingGroupPageFactory(parent=organisation, title="Arbejdsgruppe om verdensmål", themes=[a])
    webinar = upcoming(organisation, "Webinar", 12, [a], factory=WebinarPageFactory)
    assert related_offerings(page) == [webinar]
    assert related_section(client, page) == ["Webinar"]


def test_related_offerings_prefer_upcoming_to_past_at_equal_themes(client, organisation, themes):
    a, _b, _c = themes
    page = upcoming(organisation, "Inspirationsdag", 10, [a])
    past = upcoming(organisation, "Afholdt", -3, [a])
    later = upcoming(organisation, "Senere", 200, [a])
    soon = upcoming(organisation, "Snart", 20, [a])
    assert related_offerings(page) == [soon, later, past]


def test_related_offerings_are_at_most_three(client, organisation, themes):
    a, _b, _c = themes
    page = upcoming(organisation, "Inspirationsdag", 10, [a])
    for n in range(5):
        upcoming(organisation, f"Relateret {n}", 20 + n, [a])
    assert related_section(client, page) == ["Relateret 0", "Relateret 1", "Relateret 2"]


def test_offering_without_themes_has_no_related_section(client, organisation, themes):
    a, _b, _c = themes
    page = upcoming(organisation, "Uden tema", 10, [])
    upcoming(organisation, "Med tema", 11, [a])
    assert related_offerings(page) == []
    assert 'class="related"' not in client.get(page.url).content.decode()


@pytest.mark.parametrize("factory", [EventPageFactory, CoursePageFactory, WebinarPageFactory])
def test_every_kind_of_offering_page_shows_related_offerings(client, organisation, themes, factory):
    a, _b, _c = themes
    page = upcoming(organisation, "Siden selv", 10, [a], factory=factory)
    upcoming(organisation, "Relateret", 11, [a])
    assert related_section(client, page) == ["Relateret"]


# --- The home page -------------------------------------------------------------------------------------------


def test_home_page_shows_the_next_offerings_of_each_kind(client, organisation, themes):
    a, _b, _c = themes
    upcoming(organisation, "Næste arrangement", 3, [a])
    upcoming(organisation, "Næste kursus", 4, [a], factory=CoursePageFactory)
    upcoming(organisation, "Næste webinar", 5, [a], factory=WebinarPageFactory)
    upcoming(organisation, "Afholdt arrangement", -5, [a])
    upcoming(organisation, "Kladde", 2, [a], live=False)
    shown = titles(client.get("/").content.decode())
    assert shown == ["Næste kursus", "Næste arrangement", "Næste webinar"]


def test_home_page_shows_the_next_three_soonest_first(client, organisation, themes):
    for n in (4, 1, 3, 2):
        upcoming(organisation, f"Arrangement om {n} dage", n, [])
    content = client.get("/").content.decode()
    section = re.search(r'aria-labelledby="next-events">(.*?)</section>', content, flags=re.S).group(1)
    assert titles(section) == ["Arrangement om 1 dage", "Arrangement om 2 dage", "Arrangement om 3 dage"]


def test_home_page_links_the_themes_to_their_pages(client, themes):
    content = client.get("/").content.decode()
    section = re.search(r'aria-labelledby="home-themes">(.*?)</section>', content, flags=re.S).group(1)
    links = re.findall(r'<a class="tag" href="([^"]+)">([^<]+)</a>', section)
    assert sorted(links) == [
        ("/tema/laeselyst/", "Læselyst"),
        ("/tema/ledelse/", "Ledelse"),
        ("/tema/verdensmaal/", "Verdensmål"),
    ]
    for href, _name in links:
        assert client.get(href).status_code == 200


# --- sitemap.xml and robots.txt ------------------------------------------------------------------------------


def sitemap_paths(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own server's response
    assert root.tag == f"{SITEMAP}urlset"
    return [urlsplit(loc.text).path for loc in root.iter(f"{SITEMAP}loc")]


def test_sitemap_lists_offerings_and_listing_pages(client, organisation, themes):
    a, _b, _c = themes
    pages = [
        upcoming(organisation, "Arrangement", 3, [a]),
        upcoming(organisation, "Kursus", 4, [a], factory=CoursePageFactory),
        upcoming(organisation, "Webinar", 5, [a], factory=WebinarPageFactory),
        upcoming(organisation, "Afholdt", -5, [a]),
    ]
    paths = sitemap_paths(client)
    for page in pages:
        assert page.url in paths
    for listing in ("/", "/arrangementer/", "/kurser/", "/webinarer/"):
        assert listing in paths


def test_sitemap_leaves_out_unpublished_offerings(client, organisation, themes):
    draft = upcoming(organisation, "Kladde", 3, [], live=False)
    assert draft.get_url() not in sitemap_paths(client)
    assert not any(path.endswith("/kladde/") for path in sitemap_paths(client))


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_the_admin(client, home):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    sitemaps = [line.split(": ", 1)[1] for line in lines if line.startswith("Sitemap: ")]
    assert sitemaps == ["http://testserver/sitemap.xml"]
    assert client.get(urlsplit(sitemaps[0]).path).status_code == 200


def test_robots_txt_does_not_hide_the_listings_or_feeds(client, home):
    disallowed = [
        line.split(":", 1)[1].strip()
        for line in client.get("/robots.txt").content.decode().splitlines()
        if line.startswith("Disallow:")
    ]
    for path in ("/arrangementer/", "/kurser/", "/webinarer/", "/tema/verdensmaal/", "/feeds/nye-tilbud/"):
        assert not any(rule and path.startswith(rule) for rule in disallowed)


def test_the_search_page_is_indexable_its_results_are_not(client, home):
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /search/?" in robots
    assert "Disallow: /search/\n" not in robots
    assert "Disallow: /tilmelding/" in robots
    assert 'content="noindex' not in client.get("/search/").content.decode()
    assert 'content="noindex, follow"' in client.get("/search/?q=kursus").content.decode()
