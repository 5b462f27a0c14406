"""A past webinar in a real browser: the recording link's name says where it leads and how long it is, the
"Materialer" section lists the slides and a document with type and size, and axe-core finds nothing on the page."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

import pytest

from tests.browser.axe import axe_violations, describe, require_axe
from tests.network.factories import DocumentFactory
from tests.webinars.factories import WebinarPageFactory


@pytest.fixture
def webinar(organisation):
    slides = DocumentFactory(title="Trivsel i praksis", file_size=1_234_567)
    handout = DocumentFactory(title="Tjekliste", file_size=2048)
    return WebinarPageFactory(
        parent=organisation,
        title="Trivsel på biblioteket",
        start=timezone.now() - dt.timedelta(days=30),
        duration=75,
        recording_url="https://www.youtube.com/watch?v=abc123",
        slides=slides,
        materials=[{"type": "document", "value": {"document": handout.pk, "title": "", "description": ""}}],
    )


def test_a_past_webinar_says_where_its_recording_leads_and_lists_its_materials(live_server, page, webinar):
    page.goto(f"{live_server.url}{webinar.url}")

    recording = page.get_by_role(
        "link", name="Se optagelsen på YouTube (1 time og 15 minutter, åbner youtube.com)", exact=True
    )
    assert recording.get_attribute("href") == "https://www.youtube.com/watch?v=abc123"
    materials = page.get_by_role("region", name="Materialer")
    items = materials.get_by_role("listitem")
    assert items.nth(0).inner_text().strip() == "Slides: Trivsel i praksis (PDF, 1,2\u00a0MB)"
    assert items.nth(1).inner_text().strip() == "Tjekliste (PDF, 2,0\u00a0KB)"
    page.get_by_role("link", name="Se materialerne").click()
    assert page.evaluate("location.hash") == "#materials"

    require_axe()
    assert not describe(axe_violations(page))
