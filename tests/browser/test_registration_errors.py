"""The registration form as a contact sees it: the most per library and the deadline for changes before anything is
typed; after two mistakes a summary with a link to each field (a click puts the cursor there), the inputs in error
as red as the selects in error, and a participant row's inputs still in line. Screenshots go to /work/shots-receipt/
when that folder exists (they are for people, not asserted)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.utils import timezone

import pytest

from network.models import Library
from tests.browser.axe import axe_violations, describe, require_axe
from tests.events.factories import CoursePageFactory, CourseSessionFactory, tracks

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/work/shots-receipt")
ROW = ["name", "email", "job_title", "track"]


@pytest.fixture
def course(initiative):
    first = timezone.localdate() + dt.timedelta(days=40)
    return CoursePageFactory(
        parent=initiative,
        title="Kompetencer i skolesamarbejdet",
        registration_enabled=True,
        capacity=20,
        max_per_library=3,
        change_deadline=timezone.make_aware(dt.datetime.combine(first - dt.timedelta(days=7), dt.time(12))),
        tracks=tracks("Medarbejdere", "Ledere"),
        sessions=[
            CourseSessionFactory.build(title="Opstart", date=first, venue_name="Dokk1", city="Aarhus"),
            CourseSessionFactory.build(title="Opfølgning", date=first + dt.timedelta(days=35)),
        ],
    )


def shoot(page, name: str) -> None:
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def border_colour(page, selector: str) -> str:
    return page.eval_on_selector(selector, "el => getComputedStyle(el).borderTopColor")


def test_the_rules_show_first_and_two_mistakes_give_two_links_to_fields_in_line(live_server, page, phone, course):
    require_axe()
    library = Library.objects.get(municipality__name="Herning")
    for browser_page, width in ((page, 1280), (phone, 390)):
        browser_page.goto(f"{live_server.url}{course.url}")
        rules = browser_page.locator(".registration-box .registration-rules").inner_text()
        assert "Højst 3 deltagere pr. bibliotek" in rules and "Ændringer og afmelding senest" in rules
        shoot(browser_page, f"offering-rules-{width}")

    page.get_by_role("link", name="Tilmeld deltagere").click()
    assert "Højst 3 deltagere pr. bibliotek" in page.locator(".registration .registration-rules").inner_text()
    page.locator("#id_library").select_option(str(library.pk))
    page.locator("#id_contact_name").fill("Kontaktperson Herning")
    page.locator("#id_contact_email").fill("kontakt@example.org")
    page.locator("#id_participants-0-name").fill("Medarbejder Et")
    page.locator("#id_participants-0-email").fill("ikke-en-adresse")  # mistake 1
    page.locator("#id_participants-0-job_title").fill("Bibliotekar")  # mistake 2: no track chosen
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Send tilmelding").click()
    page.wait_for_load_state()

    summary = page.locator("[data-error-summary]")
    assert summary.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.id") == "form-errors"
    assert "Der er 2 fejl" in summary.locator("h2").inner_text()
    links = summary.get_by_role("link")
    assert links.count() == 2
    assert links.nth(0).inner_text().startswith("Deltager 1: E-mail: Skriv en gyldig e-mailadresse")
    assert links.nth(1).inner_text().startswith("Deltager 1: Spor:")
    shoot(page, "form-errors-1280")
    assert not (found := describe(axe_violations(page))), found

    links.nth(1).click()
    assert page.evaluate("document.activeElement.id") == "id_participants-0-track"
    links.nth(0).click()
    assert page.evaluate("document.activeElement.id") == "id_participants-0-email"
    # The field's label stays on screen above it (a plain jump to the id would scroll it off the top).
    assert page.locator('label[for="id_participants-0-email"]').bounding_box()["y"] >= -1  # (sub-pixel)

    # The input in error is as red as the select in error; the fields without an error keep their grey.
    red = border_colour(page, "#id_participants-0-track")
    assert border_colour(page, "#id_participants-0-email") == red
    assert border_colour(page, "#id_participants-0-name") != red

    # The error above the e-mail moves the inputs beside it (the fields whose labels share its line) down with it:
    # their tops are in line.
    def top(selector: str) -> int:
        return round(page.locator(selector).bounding_box()["y"])

    line = top('label[for="id_participants-0-email"]')
    beside = [name for name in ROW if top(f'label[for="id_participants-0-{name}"]') == line]
    assert len(beside) >= 3, beside
    tops = {name: top(f"#id_participants-0-{name}") for name in beside}
    assert len(set(tops.values())) == 1, tops

    # On a phone the same form with its errors: one field under the other, nothing wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "form-errors-390")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert not (found := describe(axe_violations(page))), found

    # Put right, the registration goes through; the manage page lists the course days and what was told of each.
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.locator("#id_participants-0-email").fill("et@example.org")
    page.locator("#id_participants-0-track").select_option("Ledere")
    page.get_by_role("button", name="Send tilmelding").click()
    page.wait_for_url(re.compile(r"/tilmelding/[0-9a-f-]{36}/$"))
    days = page.locator(".facts .days li").all_inner_texts()
    assert len(days) == 2 and days[0].startswith("Kursusgang 1: ") and days[0].endswith("kl. 9.00–15.30, Dokk1, Aarhus")
    assert "Bibliotekar · Spor: Ledere" in page.locator("tr", has_text="Medarbejder Et").inner_text()
    shoot(page, "manage-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "manage-390")
    assert not (found := describe(axe_violations(page))), found
