"""What the admin's JavaScript does while a coordinator types: the slug made from the title spells out æ, ø and å,
and a date typed in ISO stays as typed when the field loses focus (the picker used to put in the current time);
and what the editor looks like: a programme item on one row."""

from __future__ import annotations

from django.contrib.auth import get_user_model

import pytest

from network.demo.content import DEMO_PASSWORD
from network.models import OrganisationIndexPage
from tests.browser.test_coordinator_publishes import log_in
from tests.events.factories import EventPageFactory
from tests.network.factories import OrganisationPageFactory, programme

pytestmark = pytest.mark.django_db(transaction=True)


def test_slug_from_a_danish_title_and_an_iso_date_typed_by_hand(live_server, page):
    section = OrganisationPageFactory(parent=OrganisationIndexPage.objects.get())
    get_user_model().objects.create_superuser("redaktoer", "redaktoer@example.org", DEMO_PASSWORD)
    base = live_server.url
    log_in(page, base, "redaktoer")
    page.goto(f"{base}/admin/pages/add/events/eventpage/{section.pk}/")

    page.locator("#id_title").press_sequentially("Sæt spot på Ærø: Øvelser i år", delay=20)
    page.locator("#id_title").blur()
    page.wait_for_function("document.getElementById('id_slug').value !== ''")
    assert page.input_value("#id_slug") == "saet-spot-paa-aeroe-oevelser-i-aar"

    page.fill("#id_start", "2027-03-10 09:30")
    page.keyboard.press("Tab")
    page.locator("#id_title").click()
    page.keyboard.press("Escape")
    assert page.input_value("#id_start") == "2027-03-10 09:30"


def test_programme_editor_puts_each_item_on_one_row(live_server, page, tmp_path):
    section = OrganisationPageFactory(parent=OrganisationIndexPage.objects.get())
    items = [("09:00", "Ankomst"), ("09:30", "Refleksioner"), ("11:25", "Videndeling"), ("11:45", "Frokost")]
    event = EventPageFactory(parent=section, programme=programme(*items))
    get_user_model().objects.create_superuser("redaktoer", "redaktoer@example.org", DEMO_PASSWORD)
    base = live_server.url
    log_in(page, base, "redaktoer")
    page.goto(f"{base}/admin/pages/{event.pk}/edit/")

    first = page.locator(".programme-item").first
    first.wait_for()
    start, end, title = (
        first.locator(f"[data-contentpath={name}] input").bounding_box() for name in ("start", "end", "title")
    )
    description = first.locator("[data-contentpath=description] textarea").bounding_box()
    assert abs(start["y"] - title["y"]) < 2 and abs(end["y"] - title["y"]) < 2  # time, end and title on one row
    assert description["y"] > title["y"]  # the description below them
    page.screenshot(path=tmp_path / "programme-editor.png", full_page=True)
    print(f"Screenshot: {tmp_path / 'programme-editor.png'}")
