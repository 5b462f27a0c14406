"""A library staff member's journeys in a real browser, on the demo: finds a course on a theme page, reads both course
days and prints the programme on A4; filters the events and shares the URL, which a fresh context opens to the same
results; searches from the header and opens a past webinar's recording. The pages print cleanly."""

from __future__ import annotations

import re
from io import StringIO

from django.core.management import call_command

import pytest

from tests.browser.printing import assert_a4_pdf, assert_prints_cleanly, visible_on_paper

pytestmark = pytest.mark.django_db(transaction=True)

COURSE = "Sæt spot på kompetencerne"
DAYS = ["Kursusgang 1: Kompetencer og skolereformen", "Kursusgang 2: Eksperimenter og kompetencelandskaber"]
RECORDING = "https://example.org/optagelser/citizen-science"


def result_titles(page) -> list[str]:
    return [title.strip() for title in page.locator(".results .card__title").all_inner_texts()]


def find_course_on_theme_page_read_both_days_and_print(page, base: str) -> None:
    page.goto(f"{base}/temaer/")
    page.get_by_role("link", name="Skolesamarbejde").first.click()
    page.wait_for_url(f"{base}/tema/skolesamarbejde/")
    page.get_by_role("link", name=COURSE, exact=True).click()
    page.wait_for_url(re.compile(r"/saet-spot-paa-kompetencerne-2016/$"))
    assert page.locator("h1").inner_text().strip() == COURSE

    # Both course days, each with its programme; the overview jumps to the second day.
    for day in DAYS:
        section = page.locator("section.step--day", has=page.get_by_role("heading", name=day, level=2))
        assert section.is_visible()
        assert section.locator(".programme tbody tr").count() >= 5
    page.locator(".course-overview").get_by_role("link", name=DAYS[1]).click()
    assert page.url.endswith("#trin-5")
    programme = page.locator("section.step--day", has_text=DAYS[1]).locator(".programme")
    assert "Videndelingsøvelse" in programme.inner_text()
    assert programme.locator("th[scope=col]").all_inner_texts() == ["Tid", "Punkt"]

    # Print: the programme is on paper, the site's chrome is not; items never break across pages, each day
    # begins a page, the page is A4.
    assert_prints_cleanly(page)
    assert visible_on_paper(page, ".course-overview") == []
    assert len(visible_on_paper(page, ".step--day .programme tbody tr")) >= 10
    styles = page.evaluate(
        """() => ({
            item: getComputedStyle(document.querySelector('.programme tbody tr')).breakInside,
            day: getComputedStyle(document.querySelector('.step--day')).breakBefore,
        })"""
    )
    assert styles == {"item": "avoid", "day": "page"}
    mailto = page.locator("main a[href^='mailto:']").first
    assert "mailto:" in mailto.evaluate("a => getComputedStyle(a, '::after').content")
    pages = assert_a4_pdf(page)
    assert len(pages) >= 3  # the course, then each course day on its own page
    page.emulate_media(media="screen")


def filter_events_by_theme_and_region_and_share(page, base: str, browser) -> None:
    page.goto(f"{base}/arrangementer/")
    everything = result_titles(page)
    filters = page.locator("form.filters")
    filters.get_by_role("group", name="Tema").get_by_label("Verdensmål").check()
    filters.get_by_role("group", name="Region").get_by_label("Region Midtjylland").check()
    filters.get_by_role("button", name="Vis resultater").click()
    page.wait_for_url(re.compile(r"theme=verdensmaal"))
    shared = page.url
    assert "region=midtjylland" in shared
    filtered = result_titles(page)
    assert filtered, "the filters leave nothing"
    assert set(filtered) < set(everything)
    assert filters.get_by_role("group", name="Tema").get_by_label("Verdensmål").is_checked()

    # The URL is the state: a colleague opens it in a fresh context (no cookies, no history) and sees the same.
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="da-DK")
    try:
        colleague = context.new_page()
        colleague.goto(shared)
        assert result_titles(colleague) == filtered
        assert colleague.locator("form.filters").get_by_label("Region Midtjylland").is_checked()
        assert colleague.locator("#results-heading").inner_text() == page.locator("#results-heading").inner_text()
    finally:
        context.close()

    # The event page prints cleanly: no registration button on paper.
    page.get_by_role("link", name="Inspirationsdag: fra idé til handling").click()
    page.wait_for_load_state()
    assert_prints_cleanly(page)
    assert visible_on_paper(page, ".registration-box .button") == []
    assert_a4_pdf(page)
    page.emulate_media(media="screen")


def search_and_open_a_past_webinars_recording(page, base: str) -> None:
    page.context.route(
        "https://example.org/**", lambda route: route.fulfill(content_type="text/html", body="<title>Optagelse</title>")
    )
    page.goto(f"{base}/")
    page.get_by_role("search").get_by_label("Søg").fill("verdensmålene")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=verdensm"))
    hit = page.locator("article.search-hit", has_text="Citizen science og verdensmålene")
    assert "Kan ses igen" in hit.inner_text()
    hit.get_by_role("link", name="Citizen science og verdensmålene").click()
    page.wait_for_url(re.compile(r"/webinar-citizen-science/$"))

    # The webinar page prints with the recording's address after the link.
    assert_prints_cleanly(page)
    page.emulate_media(media="screen")

    page.get_by_role("link", name="Se optagelsen").click()
    page.wait_for_url(RECORDING)
    assert page.title() == "Optagelse"


# One test function: a live-server test empties the database when it ends, so the checks share one load of the demo.
def test_staff_finds_reads_and_prints_a_course_filters_events_and_opens_a_recording(live_server, browser, page):
    call_command("load_demo", stdout=StringIO())
    base = live_server.url
    find_course_on_theme_page_read_both_days_and_print(page, base)
    filter_events_by_theme_and_region_and_share(page, base, browser)
    search_and_open_a_past_webinars_recording(page, base)
