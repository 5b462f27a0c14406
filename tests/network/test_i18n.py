"""Danish and English: the interface in both, a language switch that keeps the page, dates for the language, and
no 500 on an unknown language code. Content stays in Danish where no translation exists."""

from __future__ import annotations

from django.utils import translation

import pytest

from network.templatetags.network_navigation import theme_url
from tests.events.factories import EventPageFactory
from tests.network.factories import ThemeFactory, aware

pytestmark = pytest.mark.django_db


def test_danish_is_the_default(client, home):
    html = client.get("/").content.decode()
    assert '<html lang="da">' in html
    assert "Spring til indhold" in html


def test_the_english_interface_lives_under_en(client, home):
    response = client.get("/en/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    assert "Spring til indhold" not in html


def test_the_language_switch_keeps_the_page_and_its_filters(client, event_index):
    path = event_index.url
    html = client.get(path + "?when=past").content.decode()
    assert f'href="/en{path}?when=past" hreflang="en"' in html
    english = client.get(f"/en{path}").content.decode()
    assert f'href="{path}" hreflang="da"' in english
    assert f'<link rel="alternate" hreflang="en" href="http://testserver/en{path}">' in english
    assert f'<link rel="alternate" hreflang="da" href="http://testserver{path}">' in english


def test_content_stays_danish_and_dates_follow_the_language(client, organisation):
    event = EventPageFactory(
        parent=organisation,
        title="Inspirationsdag om verdensmål",
        start=aware(2030, 3, 2, 9),
        end=aware(2030, 3, 2, 15),
    )
    path = event.url
    danish = client.get(path).content.decode()
    english = client.get("/en" + path).content.decode()
    assert "2. marts 2030 kl. 9.00–15.00" in danish
    assert "2 March 2030 9:00–15:00" in english
    assert "Inspirationsdag om verdensmål" in english


@pytest.mark.parametrize("path", ["/xx/", "/de/arrangementer/", "/EN/", "/en-gb-xx/"])
def test_an_unknown_language_code_in_the_address_is_a_plain_404(client, home, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("code", ["xx", "", "en'\"<script>", "e" * 1000])
def test_an_unknown_language_code_on_the_switch_is_ignored(client, home, code):
    response = client.post("/i18n/setlang/", {"language": code, "next": "/arrangementer/"})
    assert response.status_code == 302
    assert response.url == "/arrangementer/"


def test_search_in_english(client, home):
    response = client.get("/en/search/?q=verdensmål")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_theme_links_follow_the_language(db):
    """Theme links are reversed once per language and kept: the English one stays under /en/."""
    theme = ThemeFactory(name="Verdensmål")
    with translation.override("da"):
        danish = theme_url(theme)
    with translation.override("en"):
        english = theme_url(theme)
    with translation.override("da"):
        assert theme_url(theme) == danish
    assert danish == f"/tema/{theme.slug}/"
    assert english == f"/en{danish}"
