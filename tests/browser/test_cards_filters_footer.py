"""What a visitor sees of issue 16's items 7, 14 and 17, on the demo in Chromium: the cards of a listing say where
registration stands and past ones say "Afholdt"; the filter form sent without JavaScript lands on an address without
empty parameters; the footer leads to the accessibility statement. axe finds nothing, the policy is not broken."""

from __future__ import annotations

from io import StringIO
from urllib.parse import parse_qsl, urlsplit

from django.core.management import call_command

import pytest

from tests.browser.axe import require_axe, scan
from tests.browser.test_content_security_policy import Watch

pytestmark = pytest.mark.django_db(transaction=True)

STATES = ("Tilmelding åben", "Få pladser", "Fuldt – venteliste", "Fuldt", "Tilmelding lukket", "Tilmelding åbner")


def empty_params(url: str) -> list[str]:
    return [name for name, value in parse_qsl(urlsplit(url).query, keep_blank_values=True) if not value.strip()]


def test_cards_filters_and_footer(live_server, browser):
    require_axe()
    call_command("load_demo", stdout=StringIO())
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="da-DK")
    watch = Watch(context)
    page = watch.page
    try:
        # 7. The cards say where registration stands; the archive's say Afholdt.
        for path in ("/arrangementer/", "/kurser/"):
            assert scan(page, f"{base}{path}") == ""
            states = page.locator(".card__state")
            assert states.count() > 0, path
            for text in states.all_inner_texts():
                assert text.startswith(STATES), text
        watch.visit(f"{base}/arrangementer/?when=past")
        assert page.locator(".card .badge--past").first.inner_text() == "Afholdt"

        # 14. Without JavaScript the browser sends every field of the form; the page lands on the clean address.
        plain = browser.new_context(viewport={"width": 1280, "height": 1000}, java_script_enabled=False)
        try:
            form_page = plain.new_page()
            form_page.goto(f"{base}/arrangementer/")
            form_page.locator("form.filters input[name='q']").fill("dag")
            form_page.locator("form.filters button[type='submit']").click()
            form_page.wait_for_load_state("load")
            assert urlsplit(form_page.url).query, form_page.url
            assert empty_params(form_page.url) == [], form_page.url
            assert ("q", "dag") in parse_qsl(urlsplit(form_page.url).query)
            form_page.goto(f"{base}/search/?q=bibliotek")
            form_page.locator("#search-form button[type='submit']").first.click()
            form_page.wait_for_load_state("load")
            assert empty_params(form_page.url) == [], form_page.url
        finally:
            plain.close()

        # 17. The footer's links come from the pages; the statement has the parts of the format.
        watch.visit(f"{base}/")
        footer = page.locator(".site-footer")
        for title in ("Om netværket", "Privatlivspolitik", "Tilgængelighedserklæring"):
            assert footer.get_by_role("link", name=title).is_visible(), title
        footer.get_by_role("link", name="Tilgængelighedserklæring").click()
        page.wait_for_load_state("load")
        assert page.get_by_role("heading", level=1).inner_text() == "Tilgængelighedserklæring"
        for heading in ("Overholdelsesstatus", "Kendte mangler", "Sådan er sitet vurderet", "Feedback og kontakt"):
            assert page.get_by_role("heading", name=heading).is_visible(), heading
        assert "axe" in page.locator("main").inner_text()
        assert scan(page, page.url) == ""
        watch.visit(page.url)
        narrow = browser.new_context(viewport={"width": 390, "height": 844})
        try:
            small = narrow.new_page()
            small.goto(page.url)
            assert small.evaluate("document.documentElement.scrollWidth") <= 390
        finally:
            narrow.close()
        watch.visit(f"{base}/arrangementer/")
        assert not watch.violations, watch.violations
    finally:
        context.close()
