"""Registration in a real browser: a library contact finds a course, registers three colleagues, opens the manage
link from the e-mail, cancels one, and sees the first on the waiting list get the seat.

One test function on purpose: live-server tests are transactional and empty the database when they end.
"""

from __future__ import annotations

import re
from io import StringIO

from django.core import mail
from django.core.management import call_command

import pytest

from events.models import CoursePage
from events.registration.models import Participant, ParticipantStatus
from network.models import Library

pytestmark = pytest.mark.django_db(transaction=True)

COURSE_SLUG = "saet-spot-paa-kompetencerne-naeste-hold"
COLLEAGUES = [
    ("Medarbejder Et", "et@example.org"),
    ("Medarbejder To", "to@example.org"),
    ("Medarbejder Tre", "tre@example.org"),
]


def test_contact_registers_three_cancels_one_and_the_waiting_list_moves_up(live_server, page):
    call_command("load_demo", stdout=StringIO())
    course = CoursePage.objects.get(slug=COURSE_SLUG)
    course.capacity = 2  # two seats, so the third colleague lands on the waiting list
    course.save_revision().publish()
    library = Library.objects.get(municipality__name="Herning")
    base = live_server.url

    # Find the course in the course listing and open its registration form.
    page.goto(f"{base}/kurser/")
    page.get_by_role("link", name=course.title).first.click()
    page.wait_for_url(f"{base}{course.url}")
    assert "2 ledige pladser" in page.locator(".registration-box").inner_text()
    page.get_by_role("link", name="Tilmeld deltagere").click()

    # Register three colleagues.
    page.get_by_role("searchbox", name="Søg bibliotek").fill("Hernin")  # narrows the 98 libraries, picks the first
    assert page.locator("#id_library").input_value() == str(library.pk)
    page.get_by_label("Dit navn").fill("Kontaktperson Herning")
    page.get_by_label("Din e-mail").fill("kontakt@example.org")
    for i, (name, email) in enumerate(COLLEAGUES):
        page.locator(f"#id_participants-{i}-name").fill(name)
        page.locator(f"#id_participants-{i}-email").fill(email)
    page.get_by_label(re.compile("Jeg har læst privatlivserklæringen")).check()
    already = len(mail.outbox)  # the demo's own registrations
    page.get_by_role("button", name="Send tilmelding").click()
    page.wait_for_url(re.compile(r"/tilmelding/[0-9a-f-]{36}/$"))
    assert "Bekræft tilmeldingen med linket" in page.locator(".messages").inner_text()
    assert "2 deltagere har fået plads." in page.locator(".messages").inner_text()
    assert "Venteliste (nummer 1)" in page.locator("tr", has_text="Medarbejder Tre").inner_text()
    # Nobody but the contact hears of it before the contact's address is confirmed.
    assert [m.to for m in mail.outbox[already:]] == [["kontakt@example.org"]]

    # Confirm from the contact's e-mail, in a fresh visit: the colleagues are told.
    link = re.search(r"(/tilmelding/[0-9a-f-]{36}/bekraeft/\?adgang=[\w-]+)", mail.outbox[already].body).group(1)
    page.context.clear_cookies()
    page.goto(f"{base}{link}")
    page.get_by_role("button", name="Bekræft og send til kollegerne").click()
    page.wait_for_url(re.compile(r"/tilmelding/[0-9a-f-]{36}/$"))
    assert "Tilmeldingen er bekræftet." in page.locator(".messages").inner_text()
    assert {m.to[0] for m in mail.outbox[already:]} == {"kontakt@example.org", *(e for _n, e in COLLEAGUES)}

    # Open the manage link from the contact's receipt, in a fresh visit: the token leaves the address bar.
    receipt = next(m for m in mail.outbox[already:] if m.subject.startswith("Tilmelding modtaget"))
    link = re.search(r"(/tilmelding/[0-9a-f-]{36}/\?adgang=[\w-]+)", receipt.body).group(1)
    page.context.clear_cookies()
    page.goto(f"{base}{link}")
    assert page.url == f"{base}{link.split('?')[0]}"
    assert page.locator("h1").inner_text() == "Din tilmelding"

    # Cancel one colleague: the first on the waiting list gets the seat, and is told.
    page.get_by_role("button", name="Afmeld Medarbejder Et").click()
    page.get_by_role("button", name="Ja, afmeld Medarbejder Et").click()  # it asks first
    page.wait_for_load_state("load")
    assert "1 deltager er afmeldt." in page.locator(".messages").inner_text()
    assert "Afmeldt" in page.locator("tr", has_text="Medarbejder Et").inner_text()
    assert "Bekræftet" in page.locator("tr", has_text="Medarbejder Tre").inner_text()
    statuses = dict(Participant.objects.filter(offering=course).values_list("email", "status"))
    assert statuses == {
        "et@example.org": ParticipantStatus.CANCELLED,
        "to@example.org": ParticipantStatus.CONFIRMED,
        "tre@example.org": ParticipantStatus.CONFIRMED,
    }
    promoted = [m for m in mail.outbox if m.to == ["tre@example.org"]]
    assert [m.subject.split(":")[0] for m in promoted] == ["Du er på venteliste", "Du har fået en plads"]
