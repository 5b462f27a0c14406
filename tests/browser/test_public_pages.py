"""What a visitor sees of issue 16's items 2, 13 and 20, on the demo in Chromium: the competency landscape's table and
heat map are readable at 1280 and 390 px; on a phone the filters of the listings and of search fold behind a
"Filtrér (N)" button so the first result is on the first screen; one course day prints on its own, and the
registration box never prints."""

from __future__ import annotations

import re
from io import StringIO

from django.core.management import call_command

import pytest

from events.models import CoursePage
from events.registration.models import ContactStatus, Registration
from tests.browser.axe import require_axe, scan
from tests.browser.printing import assert_a4_pdf, assert_prints_cleanly, pdf_pages, visible_on_paper

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 1000}
PHONE = {"width": 390, "height": 844}
COURSE_SLUG = "saet-spot-paa-kompetencerne-naeste-hold"
FILTERED_EVENTS = "/arrangementer/?theme=verdensmaal&region=midtjylland"
FILTERED_SEARCH = "/search/?q=verdensm%C3%A5lene&region=midtjylland&when=past"


def landscape_path(municipality: str = "Herning") -> str:
    """The e-mailed link to the competency landscape of a library whose contact has confirmed the address."""
    registration = Registration.objects.filter(
        library__municipality__name=municipality, contact_status=ContactStatus.CONFIRMED, anonymised_at__isnull=True
    ).first()
    token = registration.set_new_token()
    registration.save(update_fields=["token_hash"])
    return f"/tilmelding/{registration.public_id}/kompetencelandskab/?adgang={token}"


def boxes(page, selector: str) -> list[dict]:
    return page.evaluate(
        "s => [...document.querySelectorAll(s)].map(e => { const r = e.getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, text: e.textContent.trim().slice(0, 40)}; })",
        selector,
    )


def smallest_chart_label(page) -> float:
    """The rendered size in CSS px of the smallest text in the heat map: its font size times the SVG's scale."""
    return page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('svg.stats-chart text')]
            .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))"""
    )


def page_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_the_landscape_table_and_heat_map_are_readable_on_a_laptop_and_a_phone(live_server, browser):
    require_axe()
    call_command("load_demo", stdout=StringIO())
    link = live_server.url + landscape_path()
    for viewport in (DESKTOP, PHONE):
        context = browser.new_context(viewport=viewport, locale="da-DK")
        page = context.new_page()
        try:
            assert scan(page, link) == "", viewport
            assert page.locator(".lead").inner_text().startswith("Oversigten viser, hvor mange af bibliotekets")

            # The table is a table: the caption above the head, every row below the one before.
            caption, *rows = boxes(page, "table[data-table=landscape] caption, table[data-table=landscape] tr")
            assert len(rows) >= 3, rows
            assert caption["bottom"] <= rows[0]["top"] + 0.5, (caption, rows[0])
            for above, below in zip(rows, rows[1:], strict=False):
                assert below["top"] >= above["bottom"] - 0.5, (viewport, above, below)
            table = page.locator("table[data-table=landscape]")
            assert table.evaluate("t => getComputedStyle(t).display") == "table", viewport

            # The heat map's labels at their own 12 px, not scaled down; the page never scrolls sideways.
            assert smallest_chart_label(page) >= 12, viewport
            assert page_overflow(page) <= 0, viewport
        finally:
            context.close()

    # On a phone the chart scrolls sideways in its own box, by keyboard too.
    context = browser.new_context(viewport=PHONE, locale="da-DK")
    page = context.new_page()
    try:
        page.goto(link)
        chart = page.get_by_role("region", name="Farvekort over temaer og perioder")
        assert chart.evaluate("e => e.scrollWidth > e.clientWidth")
        chart.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.activeElement.scrollLeft > 0")
        table = page.get_by_role("region", name="Tabel over temaer og perioder")
        assert table.get_attribute("tabindex") == "0"
        assert table.get_by_role("table").is_visible()
    finally:
        context.close()


def first_result_top(page, selector: str) -> float:
    return page.locator(selector).first.evaluate("e => e.getBoundingClientRect().top")


def test_on_a_phone_the_filters_fold_behind_a_button_and_the_first_result_is_on_the_first_screen(live_server, browser):
    require_axe()
    call_command("load_demo", stdout=StringIO())
    base = live_server.url
    context = browser.new_context(viewport=PHONE, locale="da-DK")
    phone = context.new_page()
    try:
        # The events with two filters: the button counts them, the form is folded, the first card is on screen.
        assert scan(phone, f"{base}{FILTERED_EVENTS}") == ""
        toggle = phone.locator(".listing summary")
        assert toggle.inner_text().strip() == "Filtrér (2)"
        assert not phone.locator("form.filters").is_visible()
        assert 0 < first_result_top(phone, ".results .card") < PHONE["height"]
        assert page_overflow(phone) <= 0
        toggle.click()
        assert phone.locator("#filter-q").is_visible()
        assert phone.locator("form.filters").get_by_label("Region Midtjylland").is_checked()
        for field in ("#filter-from", "#filter-to"):
            assert phone.locator(field).bounding_box()["height"] >= 44, field
        assert scan(phone, f"{base}/arrangementer/?theme=verdensmaal") == ""
        assert phone.locator(".listing summary").inner_text().strip() == "Filtrér (1)"

        # No filter: the button says just that; the other listings have their first result on screen too.
        for path in ("/kurser/", "/webinarer/", "/arrangementer/"):
            phone.goto(f"{base}{path}")
            assert phone.locator(".listing summary").inner_text().strip() == "Filtrér", path
            assert 0 < first_result_top(phone, ".results .card") < PHONE["height"], path

        # Search: the same button above the hits.
        assert scan(phone, f"{base}{FILTERED_SEARCH}") == ""
        assert phone.locator(".search-layout summary").inner_text().strip() == "Filtrér (2)"
        assert not phone.locator(".search-filters").is_visible()
        assert 0 < first_result_top(phone, ".search-hits > li") < PHONE["height"]
        phone.locator(".search-layout summary").click()
        assert phone.locator("#search-region").is_visible()
    finally:
        context.close()

    # On a laptop the filters stand beside the results without a click, and without JavaScript as well.
    for javascript in (True, False):
        context = browser.new_context(viewport=DESKTOP, locale="da-DK", java_script_enabled=javascript)
        page = context.new_page()
        try:
            page.goto(f"{base}{FILTERED_EVENTS}")
            assert page.locator("#filter-q").is_visible()
            assert not page.locator(".listing summary").is_visible()
            for field in ("#filter-from", "#filter-to"):
                assert page.locator(field).bounding_box()["height"] >= 44, field
            page.goto(f"{base}{FILTERED_SEARCH}")
            assert page.locator("#search-region").is_visible()
            assert not page.locator(".search-layout summary").is_visible()
        finally:
            context.close()


def test_a_course_day_prints_on_its_own_and_the_registration_box_never_prints(live_server, browser):
    require_axe()
    call_command("load_demo", stdout=StringIO())
    course = CoursePage.objects.get(slug=COURSE_SLUG)
    url = live_server.url + course.url
    context = browser.new_context(viewport=DESKTOP, locale="da-DK")
    # The browser's print dialog cannot be driven: note what is targeted when the page asks to print, then close it.
    context.add_init_script(
        "window.print = () => { window.printedDay = document.querySelector('.step:target')?.id || '';"
        " window.dispatchEvent(new Event('afterprint')); };"
    )
    page = context.new_page()
    try:
        assert scan(page, url) == ""
        days = page.locator("section.step--day")
        assert days.count() == 2
        links = page.get_by_role("link", name=re.compile("^Udskriv kursusgangen"))
        assert links.count() == 2
        second_title = days.nth(1).locator("h2").inner_text()
        assert links.nth(1).get_attribute("href") == "#kursusgang-2"

        # The link prints the second day, then returns to its heading: printing the page later prints all of it.
        links.nth(1).click()
        page.wait_for_function("() => window.printedDay !== undefined")
        assert page.evaluate("window.printedDay") == "kursusgang-2"
        assert page.evaluate("document.querySelector('.step:target')") is None
        assert page.evaluate("location.hash") == f"#{days.nth(1).locator('h2').get_attribute('id')}"

        # On paper, with that day targeted: its title, goals and programme, and nothing else of the page.
        whole = len(pdf_pages(page.pdf(prefer_css_page_size=True)))
        page.goto(f"{url}#kursusgang-2")
        page.emulate_media(media="print")
        printed = visible_on_paper(page, ".step")
        assert len(printed) == 1 and 'id="kursusgang-2"' in printed[0], printed
        day = page.locator("#kursusgang-2")
        assert day.get_by_role("heading", name=second_title, level=2).is_visible()
        assert day.locator(".step__goals").is_visible()
        assert day.locator(".programme tbody tr").count() >= 5
        assert day.locator(".step__course").inner_text() == course.title
        for selector in ("main h1", ".site-header", ".registration-box", ".facts-box", ".step__print", ".site-footer"):
            assert visible_on_paper(page, selector) == [], f"{selector} is printed with one day"
        assert len(assert_a4_pdf(page)) < whole

        # The whole course: every day, no registration box, no calendar link, no print links.
        page.goto(url)
        assert_prints_cleanly(page)
        assert len(visible_on_paper(page, "section.step--day")) == 2
        for selector in (".registration-box", ".add-to-calendar", ".step__print", ".step__course"):
            assert visible_on_paper(page, selector) == [], f"{selector} is printed"
        page.emulate_media(media="screen")
        assert page.locator(".registration-box").is_visible()
    finally:
        context.close()
