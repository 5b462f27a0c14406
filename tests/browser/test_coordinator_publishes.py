"""In a real browser: a visitor opens every offering of the demo; a coordinator logs into the admin, publishes an
event with two themes and finds it in the filtered listing; another organisation's section stays closed to them."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

import pytest

from events.models import EventPage
from network.demo.content import DEMO_PASSWORD
from network.models import InitiativePage, OfferingPage

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Browsertest: verdensmål i praksis"


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def publish_event_with_two_themes(page, base: str, section: InitiativePage) -> None:
    page.goto(f"{base}/admin/pages/add/events/eventpage/{section.pk}/")
    page.fill("#id_title", TITLE)
    page.fill("#id_start", "02.03.2030 09:00")
    page.keyboard.press("Escape")
    page.fill("#id_end", "02.03.2030 15:00")
    page.keyboard.press("Escape")
    page.select_option("#id_attendance_mode", value="online")
    for theme in ["Verdensmål", "Bæredygtighed"]:
        box = page.locator(".tagit-new input").first
        box.click()
        box.type(theme[:5], delay=30)
        page.locator(".ui-autocomplete li", has_text=theme).first.click()
    publish(page)


def publish(page) -> None:
    """Publish the page in the editor once Wagtail's autosave of the last change has finished, as a person would.

    Not while it runs: on the tests' in-memory SQLite the two requests would lock each other's tables."""
    page.locator("#w-autosave-indicator[data-w-autosave-state-value='saved']").wait_for(state="attached")
    page.wait_for_load_state("networkidle")
    page.locator("[data-w-dropdown-target='toggle']").last.click()
    page.locator("button[name='action-publish']").click()
    page.wait_for_load_state("networkidle")


# One test function: a live-server test empties the database when it ends, so the checks share one load of the demo.
def test_visitor_browses_the_demo_and_a_coordinator_publishes_an_event_with_two_themes(live_server, page):
    call_command("load_demo", stdout=StringIO())
    base = live_server.url

    # A visitor opens every offering of the demo.
    offerings = OfferingPage.objects.live().specific()
    assert len(offerings) >= 15
    for offering in offerings:
        response = page.goto(f"{base}{offering.url}")
        assert response.status == 200, offering.url
        assert page.locator("h1").inner_text().strip() == offering.title

    # A coordinator of Kultur og Information publishes an event with two themes in their own initiative.
    log_in(page, base, "koordinator-ki")
    publish_event_with_two_themes(page, base, InitiativePage.objects.get(slug="db2030"))
    event = EventPage.objects.get(title=TITLE)
    assert event.live
    assert sorted(theme.name for theme in event.themes.all()) == ["Bæredygtighed", "Verdensmål"]
    page.goto(f"{base}/arrangementer/?theme=verdensmaal&theme=baeredygtighed")
    assert page.get_by_role("link", name=TITLE).is_visible()

    # Danmarks Biblioteksforening's initiative is closed to them.
    school = InitiativePage.objects.get(slug="skole-og-bibliotek")
    page.goto(f"{base}/admin/pages/add/events/eventpage/{school.pk}/")
    assert page.url == f"{base}/admin/"
    assert "ikke rettigheder" in page.locator(".messages").inner_text()
