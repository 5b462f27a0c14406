"""The manage page as a contact on a phone sees it: it fits 390 px with its buttons on screen, it links the course's
calendar file, and cancelling asks first, saying who is cancelled, that the seat goes to the next on the waiting list
and who is told by e-mail."""

from __future__ import annotations

from django.core import mail

import pytest

from events.registration.models import Participant, ParticipantStatus
from network.models import Library
from tests.browser.axe import axe_violations, describe, require_axe
from tests.events.registration import conftest as registration_fixtures
from tests.events.registration.conftest import people, register

pytestmark = pytest.mark.django_db(transaction=True)

course = registration_fixtures.course  # two seats and a waiting list


def _open_manage(phone, live_server, course) -> str:
    """Three colleagues on a two-seat course (the third waits); the contact opens the manage link from the e-mail."""
    library = Library.objects.get(municipality__name="Herning")
    result = register(course, library, people(3))
    phone.goto(f"{live_server.url}/tilmelding/{result.registration.public_id}/?adgang={result.token}")
    assert phone.locator("h1").inner_text() == "Din tilmelding"
    return phone.url


def _fits(phone) -> bool:
    return phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _on_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_manage_page_fits_a_phone_and_cancelling_asks_first(live_server, phone, course):
    require_axe()
    manage = _open_manage(phone, live_server, course)
    assert _fits(phone), phone.evaluate("document.documentElement.scrollWidth")
    # The contact is told to keep the receipt: its link is the only way back here.
    keep = phone.locator("[data-keep-receipt]")
    assert keep.is_visible() and "eneste vej tilbage" in keep.inner_text()
    for button in phone.get_by_role("button", name="Afmeld").all() + [phone.get_by_role("button", name="Afmeld alle")]:
        assert _on_screen(button), button.inner_text()
    for name in ("Deltager 1", "Deltager 2", "Deltager 3"):
        assert _on_screen(phone.get_by_role("button", name=f"Afmeld {name}"))

    # "Tilføj til kalender" is a link a person sees, here and on the course's own page, to the course's .ics.
    calendar = phone.get_by_role("link", name="Tilføj til kalender")
    assert calendar.is_visible() and _on_screen(calendar)
    assert calendar.get_attribute("href") == f"/ical/tilbud/{course.pk}.ics"
    ics = phone.request.get(f"{live_server.url}/ical/tilbud/{course.pk}.ics")
    assert ics.headers["content-type"].startswith("text/calendar") and "BEGIN:VEVENT" in ics.text()
    phone.goto(f"{live_server.url}{course.url}")
    assert phone.get_by_role("link", name="Tilføj til kalender").is_visible()
    phone.goto(manage)

    # The first "Afmeld" asks: who, the seat to the next on the waiting list, the e-mails; nothing is cancelled yet.
    sent = len(mail.outbox)
    phone.get_by_role("button", name="Afmeld Deltager 1").click()
    phone.wait_for_load_state("load")
    question = phone.locator(".cancel-confirm")
    text = question.inner_text()
    assert "Deltager 1" in text
    assert "første på ventelisten" in text
    assert "e-mail" in text
    assert Participant.objects.get(email="deltager1@example.org").status == ParticipantStatus.CONFIRMED
    assert len(mail.outbox) == sent
    assert _fits(phone)
    assert not (found := describe(axe_violations(phone))), found

    # "Fortryd" goes back and changes nothing; asked again and confirmed, the colleague is cancelled.
    phone.get_by_role("link", name="Fortryd").click()
    phone.wait_for_url(manage)
    assert Participant.objects.get(email="deltager1@example.org").status == ParticipantStatus.CONFIRMED
    phone.get_by_role("button", name="Afmeld Deltager 1").click()
    phone.get_by_role("button", name="Ja, afmeld").click()
    phone.wait_for_url(manage)
    assert "1 deltager er afmeldt." in phone.locator(".messages").inner_text()
    assert Participant.objects.get(email="deltager1@example.org").status == ParticipantStatus.CANCELLED
    assert Participant.objects.get(email="deltager3@example.org").status == ParticipantStatus.CONFIRMED

    # "Afmeld alle" asks too, naming everyone still registered.
    phone.get_by_role("button", name="Afmeld alle").click()
    text = phone.locator(".cancel-confirm").inner_text()
    assert "Deltager 2" in text and "Deltager 3" in text and "Deltager 1" not in text
    assert Participant.objects.filter(status=ParticipantStatus.CANCELLED).count() == 1
