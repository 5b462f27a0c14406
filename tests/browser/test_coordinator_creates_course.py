"""A coordinator of Danmarks Biblioteksforening logs into the admin, creates a course with two course days and two
themes, publishes it, and finds it in the course listing and in the site search."""

from __future__ import annotations

import re
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

import pytest

from events.models import CoursePage
from network.models import InitiativePage
from tests.browser.test_coordinator_publishes import log_in, publish

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Browsertest: skolebiblioteket formidler verdensmålene"
DAYS = [
    ("Kursusgang 1: Opstart i skolebiblioteket", "04.03.2030"),
    ("Kursusgang 2: Erfaringer og næste skridt", "18.03.2030"),
]
THEMES = ["Formidling", "Skolesamarbejde"]


def pick_date(page, selector: str, value: str) -> None:
    page.fill(selector, value)
    page.keyboard.press("Escape")  # close the date picker


PICKERS_CLOSED = (
    "[...document.querySelectorAll('.xdsoft_datetimepicker')].every(p => getComputedStyle(p).display === 'none')"
)


def close_pickers(page) -> None:
    """Close every date and time picker, so that none lies over what is clicked next. A picker can open again a
    moment after Escape (it opens on focus), so: click elsewhere and press Escape until they stay closed."""
    for _ in range(20):
        page.locator("#id_title").click()
        page.keyboard.press("Escape")
        page.wait_for_timeout(250)
        if page.evaluate(PICKERS_CLOSED):
            return
    raise AssertionError("A date or time picker stays open.")


def fill_session(page, index: int, title: str, date: str) -> None:
    prefix = f"#id_sessions-{index}"
    page.select_option(f"{prefix}-kind", value="kursusgang")
    page.fill(f"{prefix}-title", title)
    pick_date(page, f"{prefix}-date", date)
    pick_date(page, f"{prefix}-start_time", "09:30")
    pick_date(page, f"{prefix}-end_time", "15:30")
    page.select_option(f"{prefix}-attendance_mode", value="online")


def create_and_publish_course(page, base: str, section: InitiativePage) -> None:
    page.goto(f"{base}/admin/pages/add/events/coursepage/{section.pk}/")
    page.fill("#id_title", TITLE)
    page.select_option("#id_attendance_mode", value="online")
    for theme in THEMES:
        box = page.locator(".tagit-new input").first
        box.click()
        box.type(theme[:5], delay=30)
        page.locator(".ui-autocomplete li", has_text=theme).first.click()

    # Two course days in the inline panel "sessions": the first form is there (min_num=1), the second is added.
    fill_session(page, 0, *DAYS[0])
    close_pickers(page)
    page.locator("#id_sessions-ADD").click()
    page.wait_for_function("document.getElementById('id_sessions-TOTAL_FORMS').value === '2'")
    page.locator("#id_sessions-1-title").wait_for()
    fill_session(page, 1, *DAYS[1])

    close_pickers(page)
    publish(page)
    errors = page.locator(".error-message").all_inner_texts()
    assert not errors, errors


# One test function: a live-server test empties the database when it ends, so the checks share one load of the demo.
def test_coordinator_creates_a_course_with_two_days_and_two_themes_and_finds_it(live_server, page):
    call_command("load_demo", stdout=StringIO())
    base = live_server.url

    log_in(page, base, "koordinator-db")
    create_and_publish_course(page, base, InitiativePage.objects.get(slug="skole-og-bibliotek"))
    course = CoursePage.objects.get(title=TITLE)
    assert course.live
    assert sorted(theme.name for theme in course.themes.all()) == THEMES
    assert [(s.title, s.date.strftime("%d.%m.%Y")) for s in course.sessions.order_by("sort_order")] == DAYS
    # The period was not typed: it runs from the first day's start to the last day's end.
    period = [timezone.localtime(moment).strftime("%d.%m.%Y %H:%M") for moment in (course.start, course.end)]
    assert period == ["04.03.2030 09:30", "18.03.2030 15:30"]

    # The course listing shows it; the course page shows both days.
    page.goto(f"{base}/kurser/")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"{base}{course.url}")
    for title, _date in DAYS:
        assert page.get_by_role("heading", name=title, level=2).is_visible()
    assert page.locator(".facts-box .themes").inner_text().count("\n") >= 1
    for theme in THEMES:
        assert page.locator(".facts-box").get_by_role("link", name=theme).is_visible()

    # The site search finds it, by a word of its title and by a word of a course day.
    for query in ["skolebiblioteket formidler", "erfaringer"]:
        page.goto(f"{base}/")
        page.get_by_role("search").get_by_label("Søg").fill(query)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/search/\?q="))
        assert page.locator("article.search-hit").get_by_role("link", name=TITLE).is_visible(), query
