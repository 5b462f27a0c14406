"""In a real browser, on the demo: an English page (/en/) passes axe's WCAG 2.1 A and AA rules with its Danish texts
marked Danish and the language switch in the header; the site's RSS link opens a page that explains the feed."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

import pytest

from network.models import StandardPage
from tests.browser.axe import require_axe, scan

pytestmark = pytest.mark.django_db(transaction=True)


def lang_of(page, selector: str) -> str:
    """The language the browser takes the element's text to be in: that of its nearest lang attribute."""
    return page.locator(selector).first.evaluate("el => el.closest('[lang]').getAttribute('lang')")


def test_an_english_page_marks_its_danish_texts_and_passes_axe(live_server, page):
    require_axe()
    call_command("load_demo", stdout=StringIO())
    about = StandardPage.objects.live().get(slug="om-netvaerket")
    base = f"{live_server.url}/en"
    assert scan(page, f"{base}{about.url}") == ""
    assert lang_of(page, "main h1") == "da"
    assert lang_of(page, "main .body") == "da"
    assert lang_of(page, ".skip-link") == "en"
    menu = page.locator(".main-nav a")
    assert menu.first.inner_text() == "Courses"
    assert lang_of(page, ".main-nav a") == "en"
    header_switch = page.locator(".site-header .language-switch a")
    assert header_switch.all_inner_texts() == ["Dansk", "English"]
    assert header_switch.first.is_visible()
    header_switch.first.click()
    page.wait_for_url(f"{live_server.url}{about.url}")
    assert page.locator("html").get_attribute("lang") == "da"

    assert scan(page, f"{base}/arrangementer/") == ""
    assert lang_of(page, ".card__title a") == "da"
    assert lang_of(page, ".card__kind") == "en"


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_rss_link_opens_a_page_that_explains_the_feed(live_server, page, prefix):
    require_axe()
    call_command("load_demo", stdout=StringIO())
    page.goto(f"{live_server.url}{prefix}/arrangementer/")
    page.get_by_role("link", name="RSS: nye tilbud" if not prefix else "RSS: new offerings").click()
    page.wait_for_url(f"{live_server.url}{prefix}/rss/nye-tilbud/")
    explanation = "Dette er et RSS-feed. Kopiér adressen" if not prefix else "This is an RSS feed. Copy its address"
    assert page.get_by_text(explanation).is_visible()
    address = page.get_by_label("Feedets adresse" if not prefix else "The feed's address")
    assert address.input_value() == f"{live_server.url}/feeds/nye-tilbud/"
    items = page.locator(".feed-page__items li")
    assert items.count() > 0
    assert "2016" not in page.locator(".feed-page__items").inner_text()  # the demo's old course is not new
    assert scan(page, page.url) == ""
    feed = page.request.get(address.input_value())
    assert feed.ok
    assert feed.headers["content-type"].startswith("application/rss+xml")
