"""The most per library and the deadline for changes are shown on the offering page's registration box and at the
top of the form, before any error names them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

import pytest

from tests.events.registration.test_views import form_url

pytestmark = pytest.mark.django_db

START = timezone.make_aware(dt.datetime(2030, 1, 12, 9, 30))
DEADLINE = timezone.make_aware(dt.datetime(2030, 1, 5, 12))


@pytest.fixture
def ruled(event):
    event.start, event.end = START, START + dt.timedelta(hours=6)
    event.max_per_library = 3
    event.change_deadline = DEADLINE
    event.save_revision().publish()
    return event


def box(client, offering) -> str:
    html = client.get(offering.url).content.decode()
    return html[html.index('class="registration-box"') :]


def test_the_offering_page_shows_the_most_per_library_and_the_deadline_for_changes(client, ruled):
    html = box(client, ruled)
    assert "Højst 3 deltagere pr. bibliotek" in html
    assert "Ændringer og afmelding senest 5. januar 2030 kl. 12.00" in html


def test_without_a_deadline_changes_may_be_made_until_the_start_and_without_a_most_nothing_is_said(client, ruled):
    ruled.change_deadline = None
    ruled.max_per_library = None
    ruled.save_revision().publish()
    html = box(client, ruled)
    assert "Ændringer og afmelding senest 12. januar 2030 kl. 9.30" in html
    assert "pr. bibliotek" not in html


def test_one_participant_per_library_is_said_in_the_singular(client, ruled):
    ruled.max_per_library = 1
    ruled.save_revision().publish()
    assert "Højst 1 deltager pr. bibliotek" in box(client, ruled)


def test_the_form_shows_them_at_the_top_when_empty_and_after_an_error(client, ruled, library):
    for response in (client.get(form_url(ruled)), client.get(form_url(ruled)), client.post(form_url(ruled), {})):
        html = response.content.decode()
        top = html[: html.index('class="registration-form"')]
        assert "Højst 3 deltagere pr. bibliotek" in top
        assert "Ændringer og afmelding senest 5. januar 2030 kl. 12.00" in top
