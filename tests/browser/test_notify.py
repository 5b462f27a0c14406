"""A library outside the first registration round sees who may register now ("Lige nu: kun ...") on the offering
page, and asks to be told when its turn comes; at 1280 and 390 px, with axe's WCAG 2.1 AA rules. Screenshots go to
/work/shots-notify/ when that folder exists (they are for people, not asserted)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils import timezone

import pytest

from events.registration.models import EligibilityRound
from events.registration.notify_models import NotificationRequest
from network.models import Library, LibraryGroup
from tests.browser.axe import axe_violations, describe, require_axe
from tests.events.factories import EventPageFactory

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/work/shots-notify")


@pytest.fixture
def in_rounds(organisation):
    group = LibraryGroup.objects.create(name="Certificeringsbiblioteker", slug="certificeringsbiblioteker")
    group.libraries.add(Library.objects.get(municipality__name="Herning"))
    event = EventPageFactory(
        parent=organisation, title="Inspirationsdag om læselyst", registration_enabled=True, capacity=30
    )
    event.registration_rounds = [
        EligibilityRound(library_group=group, opens_at=timezone.now() - dt.timedelta(days=1)),
        EligibilityRound(library_group=None, opens_at=timezone.now() + dt.timedelta(days=6)),
    ]
    event.save_revision().publish()
    return event


def shoot(page, name: str) -> None:
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def no_violations(page) -> None:
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_a_library_outside_the_round_sees_who_may_register_now_and_asks_to_be_told(live_server, page, phone, in_rounds):
    require_axe()
    ballerup = Library.objects.get(municipality__name="Ballerup")
    for browser_page, width in ((page, 1280), (phone, 390)):
        browser_page.goto(f"{live_server.url}{in_rounds.url}")
        box = browser_page.locator(".registration-box")
        assert (
            box.locator(".rounds-now")
            .inner_text()
            .startswith("Lige nu: kun Certificeringsbiblioteker; alle biblioteker fra ")
        )
        assert box.get_by_role("heading", name="Giv mig besked, når tilmeldingen åbner").is_visible()
        assert browser_page.evaluate("document.documentElement.scrollWidth") <= width
        no_violations(browser_page)
        shoot(browser_page, f"offering-rounds-{width}")

    # On the phone: a mistake first (no consent), then the request.
    form = phone.locator(".notify__form")
    form.get_by_label("Din e-mail").fill("bibliotekar@ballerup.example.org")
    form.get_by_label("Bibliotek (valgfrit)").select_option(str(ballerup.pk))
    form.get_by_role("button", name="Giv mig besked").click()
    phone.wait_for_load_state()
    assert "Du skal give samtykke" in phone.locator(".notify").inner_text()
    assert not NotificationRequest.objects.exists()
    no_violations(phone)
    shoot(phone, "notify-error-390")

    form = phone.locator(".notify__form")
    form.get_by_label("Gem min e-mailadresse").check()
    form.get_by_role("button", name="Giv mig besked").click()
    phone.wait_for_load_state()
    assert "Vi sender dig en e-mail, når tilmeldingen åbner." in phone.locator("main").inner_text()
    request = NotificationRequest.objects.get()
    assert (request.email, request.library_id) == ("bibliotekar@ballerup.example.org", ballerup.pk)
    no_violations(phone)
    shoot(phone, "notify-thanks-390")

    # The form marks the libraries that must wait; who may register now is said at its top.
    page.get_by_role("link", name="Tilmeld deltagere").click()
    assert page.locator(".registration .rounds-now").inner_text().startswith("Lige nu: kun Certificeringsbiblioteker")
    option = page.locator(f'#id_library option[value="{ballerup.pk}"]').inner_text()
    assert "(fra " in option
    no_violations(page)
    shoot(page, "form-rounds-1280")
