"""The theme pages in sitemap.xml beside the pages, and each page's `<link rel="canonical">`."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
import time_machine

from tests.events.factories import EventPageFactory
from tests.network.factories import ThemeFactory, aware

pytestmark = pytest.mark.django_db

NOW = aware(2030, 5, 15, 12, 0)
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def canonical(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return re.findall(r'<link rel="canonical" href="([^"]*)">', response.content.decode())


def sitemap_locations(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own server's response
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def test_sitemap_lists_every_theme_page_beside_the_pages(client, organisation):
    a, b = ThemeFactory(name="Verdensmål"), ThemeFactory(name="Læselyst")
    event = EventPageFactory(parent=organisation, title="Inspirationsdag", start=NOW + dt.timedelta(days=3),
                             end=NOW + dt.timedelta(days=3, hours=6), themes=[a])  # fmt: skip
    locations = sitemap_locations(client)
    paths = [urlsplit(loc).path for loc in locations]
    assert "/tema/verdensmaal/" in paths
    assert "/tema/laeselyst/" in paths
    assert event.url in paths
    assert all(loc.startswith("http://") for loc in locations)  # absolute, as the sitemap protocol wants
    for path in ("/tema/verdensmaal/", "/tema/laeselyst/"):
        assert client.get(path).status_code == 200
    b.delete()
    assert "/tema/laeselyst/" not in [urlsplit(loc).path for loc in sitemap_locations(client)]


def test_pages_carry_their_canonical_url(client, organisation, event_index):
    event = EventPageFactory(parent=organisation, title="Inspirationsdag", start=NOW + dt.timedelta(days=3),
                             end=NOW + dt.timedelta(days=3, hours=6))  # fmt: skip
    assert canonical(client, "/") == ["http://localhost/"]
    assert canonical(client, event.url) == [event.get_full_url()]
    assert canonical(client, "/arrangementer/") == ["http://localhost/arrangementer/"]


def test_listing_canonical_keeps_a_single_theme_and_drops_other_filters(client, event_index):
    ThemeFactory(name="Verdensmål")
    assert canonical(client, "/arrangementer/?theme=verdensmaal") == [
        "http://localhost/arrangementer/?theme=verdensmaal"
    ]
    assert canonical(client, "/arrangementer/?theme=verdensmaal&format=online&when=past") == [
        "http://localhost/arrangementer/"
    ]
    assert canonical(client, "/arrangementer/?utm_source=nyhedsbrev") == ["http://localhost/arrangementer/"]


def test_theme_page_canonical_is_its_own_address(client, home):
    ThemeFactory(name="Verdensmål")
    assert canonical(client, "/tema/verdensmaal/?utm_source=x") == ["http://localhost/tema/verdensmaal/"]


def test_search_and_not_found_pages_have_no_canonical(client, home):
    assert canonical(client, "/search/?q=kursus") == []
    response = client.get("/findes-ikke/")
    assert response.status_code == 404
    assert 'rel="canonical"' not in response.content.decode()
