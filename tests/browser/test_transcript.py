"""A webinar's transcript in a real browser: closed at first, opened by keyboard, each time a link to that moment of
the recording; a link to one of its lines opens it there; axe-core finds nothing with it open."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

import pytest

from tests.browser.axe import axe_violations, describe, require_axe
from tests.webinars.factories import WebinarPageFactory

CAPTIONS = """WEBVTT

00:00:05.000 --> 00:00:09.000
Velkommen til webinaret om trivsel.

00:12:40.000 --> 00:12:48.000
Det handler om trivsel, når vi gør noget sammen med andre.

00:30:00.000 --> 00:30:04.000
Tak for i dag.
"""


@pytest.fixture
def webinar(organisation):
    return WebinarPageFactory(
        parent=organisation,
        title="Trivsel på biblioteket",
        start=timezone.now() - dt.timedelta(days=30),
        recording_url="https://www.youtube.com/watch?v=abc123",
        captions=CAPTIONS,
    )


def test_the_transcript_opens_by_keyboard_and_links_each_time_to_the_recording(live_server, page, webinar):
    page.goto(f"{live_server.url}{webinar.url}")
    details = page.locator("details.transcript__details")
    assert details.get_attribute("open") is None
    assert not page.get_by_text("Det handler om trivsel, når vi").is_visible()

    summary = details.locator("summary")
    assert summary.inner_text() == "Vis udskriften (3 linjer)"
    summary.focus()
    page.keyboard.press("Enter")

    assert details.get_attribute("open") is not None
    moment = page.get_by_role("link", name="Se optagelsen fra 12:40")
    assert moment.is_visible()
    assert moment.get_attribute("href") == "https://www.youtube.com/watch?v=abc123&t=760s"
    require_axe()
    assert not describe(axe_violations(page))


def test_a_link_to_a_line_opens_the_transcript_there(live_server, page, webinar):
    page.goto(f"{live_server.url}{webinar.url}#udskrift-2")
    assert page.locator("details.transcript__details").get_attribute("open") is not None
    assert page.locator("#udskrift-2").is_visible()
