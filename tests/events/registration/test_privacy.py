"""Personal data: anonymised after the retention period (the counts stay), handed out and erased on request."""

from __future__ import annotations

import datetime as dt

import pytest

from events.registration import selectors
from events.registration.models import OutboxMessage, Participant, ParticipantStatus
from events.registration.privacy import (
    months_before,
    person_erase,
    person_export,
    registrations_anonymise_expired,
)
from events.registration.values import Actor

from .conftest import people, register

pytestmark = pytest.mark.django_db


def statuses(offering) -> dict[str, int]:
    return selectors.participant_counts(offering_id=offering.pk)


def test_anonymise_after_retention_keeps_counts(event, library, settings):
    result = register(event, library, people(3))
    settings.REGISTRATION_RETENTION_MONTHS = 12
    assert registrations_anonymise_expired(now=event.end + dt.timedelta(days=300)) == 0
    later = event.end + dt.timedelta(days=370)
    assert registrations_anonymise_expired(now=later) == 1
    assert statuses(event)["confirmed"] == 3
    participant = Participant.objects.first()
    assert (participant.name, participant.email, participant.anonymised_at) == ("Anonymiseret", "", later)
    assert selectors.registration_by_link(public_id=result.registration.public_id, token=result.token) is None
    assert not OutboxMessage.objects.exists()
    assert registrations_anonymise_expired(now=later) == 0


def test_erase_one_person_frees_their_seat(event, library, superuser):
    event.capacity = 1
    event.save_revision().publish()
    result = register(event, library, people(2))
    actor = Actor.coordinator(superuser)
    assert person_export(email="deltager1@example.org", actor=actor)["participant"][0]["navn"] == "Deltager 1"
    person_erase(email="deltager1@example.org", actor=actor)
    assert not Participant.objects.filter(email="deltager1@example.org").exists()
    assert Participant.objects.get(pk=result.waiting[0].pk).status == ParticipantStatus.CONFIRMED
    assert selectors.person_data(email="deltager1@example.org")["participant"] == []


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        ((2027, 5, 31), 3, (2027, 2, 28)),
        ((2028, 5, 31), 3, (2028, 2, 29)),
        ((2027, 1, 15), 12, (2026, 1, 15)),
        ((2027, 3, 31), 1, (2027, 2, 28)),
        ((2027, 12, 31), 0, (2027, 12, 31)),
    ],
)
def test_months_before_keeps_the_day_or_takes_the_last_of_a_shorter_month(moment, months, expected):
    start = dt.datetime(*moment, 12, tzinfo=dt.UTC)
    assert months_before(start, months) == dt.datetime(*expected, 12, tzinfo=dt.UTC)
