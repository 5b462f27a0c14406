"""What the admin's JavaScript does while a coordinator types: the slug made from the title spells out æ, ø and å,
and a date typed in ISO stays as typed when the field loses focus (the picker used to put in the current time)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

import pytest

from network.demo.content import DEMO_PASSWORD
from network.models import OrganisationIndexPage
from tests.browser.test_coordinator_publishes import log_in
from tests.network.factories import OrganisationPageFactory

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
