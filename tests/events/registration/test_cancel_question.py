"""The manage page asks before it cancels: "Afmeld" is a GET that shows the question, whose button posts the cancel."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import timezone

import pytest

from events.registration.models import Participant, ParticipantStatus
from tests.events.registration.test_views import manage_url, registered  # noqa: F401

pytestmark = pytest.mark.django_db


def test_afmeld_asks_first_and_changes_nothing(client, registered):  # noqa: F811
    url = manage_url(client, registered)
    first = registered.confirmed[0]
    sent = len(mail.outbox)
    html = client.get(url, {"afmeld": str(first.pk)}).content.decode()
    assert "Afmeld Deltager 1?" in html and "Denne deltager bliver afmeldt" in html
    assert "Pladsen går straks videre til den første på ventelisten." in html
    assert "får en e-mail om det" in html
    assert f'name="participant" value="{first.pk}"' in html and 'name="action" value="cancel"' in html
    assert Participant.objects.get(pk=first.pk).status == ParticipantStatus.CONFIRMED
    assert len(mail.outbox) == sent


def test_afmeld_alle_names_everyone_still_registered(client, registered):  # noqa: F811
    url = manage_url(client, registered)
    html = client.get(url, {"afmeld": "alle"}).content.decode()
    assert "Afmeld alle deltagere?" in html and "Disse 3 deltagere bliver afmeldt" in html
    assert all(f"Deltager {i}" in html for i in (1, 2, 3))
    assert 'name="everyone" value="on"' in html


def test_cancelling_a_waiting_participant_gives_no_seat_away(client, registered):  # noqa: F811
    html = client.get(manage_url(client, registered), {"afmeld": str(registered.waiting[0].pk)}).content.decode()
    assert "Afmeld Deltager 3?" in html
    assert "Pladsen" not in html  # a waiting participant holds no seat


@pytest.mark.parametrize("choice", ["", "abc", "99999999999999999999", "0", "-1"])
def test_a_choice_that_is_no_participant_of_this_registration_goes_back_with_a_message(
    client,
    registered,  # noqa: F811
    choice,
):
    response = client.get(manage_url(client, registered), {"afmeld": choice}, follow=True)
    assert response.status_code == 200
    assert "Vælg, hvem der skal afmeldes." in response.content.decode()


def test_after_the_change_deadline_nothing_is_asked(client, registered, event):  # noqa: F811
    event.change_deadline = timezone.now() - dt.timedelta(minutes=1)
    event.registration_closes = timezone.now() - dt.timedelta(minutes=2)
    event.registration_opens = timezone.now() - dt.timedelta(days=2)
    event.save_revision().publish()
    response = client.get(manage_url(client, registered), {"afmeld": "alle"}, follow=True)
    assert "Tilmeldingen kan ikke ændres." in response.content.decode()
    assert "Afmeld alle deltagere?" not in response.content.decode()
