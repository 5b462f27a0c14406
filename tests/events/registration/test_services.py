"""The rules of registration, against the real database: seats, waiting list, eligibility, deadlines, limits."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
import time_machine

from events.models import EventPage
from events.registration import selectors, services
from events.registration.errors import RegistrationError
from events.registration.locking import offering_lock
from events.registration.models import (
    EligibilityRound,
    LogAction,
    OutboxMessage,
    OutboxStatus,
    Participant,
    ParticipantStatus,
    Registration,
    RegistrationLogEntry,
)
from events.registration.services import (
    participant_promote,
    participants_add,
    participants_cancel,
)
from events.registration.values import Actor, ParticipantData
from tests.events.factories import tracks

from .conftest import people, register

pytestmark = pytest.mark.django_db


def statuses(offering) -> dict[str, int]:
    return selectors.participant_counts(offering_id=offering.pk)


def positions(offering) -> dict[int, int]:
    return selectors.waiting_positions(offering_id=offering.pk)


def test_seats_go_to_the_first_then_the_waiting_list_in_order(event, library, other_library):
    first = register(event, library, people(8))
    second = register(event, other_library, people(4, start=9), contact_email="anden@example.org")
    assert (len(first.confirmed), len(first.waiting)) == (8, 0)
    assert (len(second.confirmed), len(second.waiting)) == (2, 2)
    assert statuses(event) == {"confirmed": 10, "waiting": 2, "cancelled": 0}
    assert [positions(event)[p.pk] for p in second.waiting] == [1, 2]


def test_without_a_waiting_list_a_full_offering_refuses_and_writes_nothing(event, library):
    event.waiting_list = False
    event.capacity = 2
    event.save_revision().publish()
    register(event, library, people(1))
    with pytest.raises(RegistrationError) as error:
        register(event, library, people(2, start=5), contact_email="b@example.org")
    assert error.value.code == "full"
    assert "kun 1 ledig plads" in error.value.message
    assert Registration.objects.filter(offering=event).count() == 1
    assert statuses(event)["confirmed"] == 1


def test_unlimited_capacity_confirms_everyone(event, library):
    event.capacity = None
    event.save_revision().publish()
    result = register(event, library, people(20))
    assert len(result.confirmed) == 20


def test_consent_is_required(event, library):
    with pytest.raises(RegistrationError) as error:
        register(event, library, people(1), consent=False)
    assert error.value.code == "consent"
    assert not Registration.objects.exists()


def test_not_yet_open_and_closed(event, library):
    now = timezone.now()
    event.registration_opens = now + dt.timedelta(days=1)
    event.save_revision().publish()
    with pytest.raises(RegistrationError) as error:
        register(event, library, people(1))
    assert error.value.code == "not_open"
    assert "åbner" in error.value.message
    event.registration_opens = now - dt.timedelta(days=2)
    event.registration_closes = now - dt.timedelta(days=1)
    event.save_revision().publish()
    with pytest.raises(RegistrationError) as error:
        register(event, library, people(1))
    assert error.value.code == "closed"


def test_registration_closes_when_the_offering_starts(event, library):
    with pytest.raises(RegistrationError) as error:
        register(event, library, people(1), now=event.start + dt.timedelta(minutes=1))
    assert error.value.code == "closed"


def test_disabled_or_cancelled_offering_refuses(event, library):
    event.status = "aflyst"
    event.save_revision().publish()
    with pytest.raises(RegistrationError) as error:
        register(event, library, people(1))
    assert error.value.code == "cancelled"
    event.registration_enabled = False
    event.save_revision().publish()
    with pytest.raises(RegistrationError) as error:
        register(event, library, people(1))
    assert error.value.code == "disabled"


def test_eligibility_rounds_open_to_one_group_first(event, library, other_library, certification_group):
    now = timezone.now()
    event.registration_rounds.add(
        EligibilityRound(library_group=certification_group, opens_at=now - dt.timedelta(days=1)),
        EligibilityRound(library_group=None, opens_at=now + dt.timedelta(days=3)),
    )
    event.save_revision().publish()
    register(event, library, people(1))  # a certification library: open
    with pytest.raises(RegistrationError) as error:
        register(event, other_library, people(1, start=2), contact_email="b@example.org")
    assert error.value.code == "not_eligible"
    assert "Alle biblioteker kan tilmelde sig fra" in error.value.message
    later = now + dt.timedelta(days=4)
    register(event, other_library, people(1, start=2), contact_email="b@example.org", now=later)
    assert statuses(event)["confirmed"] == 2


def test_the_unique_constraint_backs_the_check_and_a_refused_insert_writes_nothing(event, library):
    """Should the check miss a taken e-mail, the database's constraint refuses it, and the transaction (here: a new
    registration and its participants) is rolled back as a whole."""
    register(event, library, people(1))
    now = timezone.now()
    with pytest.raises(RegistrationError) as error, transaction.atomic():
        registration = Registration(
            offering=event, library=library, contact_name="B", contact_email="b@example.org", consent_at=now
        )
        registration.set_new_token()
        registration.save()
        services._seat(event, registration, people(1), now)  # past the check: deltager1 is taken
    assert error.value.code == "already_registered"
    assert Registration.objects.filter(offering=event).count() == 1
    assert Participant.objects.filter(offering=event).count() == 1


def test_a_new_place_on_the_waiting_list_comes_last_even_if_a_clock_was_behind(event, library, other_library):
    """A process whose clock is behind must not put its participant before those already waiting: the place and the
    e-mail's number follow the queue."""
    event.capacity = 1
    event.save_revision().publish()
    first = register(event, library, people(2))  # one seat, one waiting
    behind = first.waiting[0].queued_at - dt.timedelta(minutes=5)
    with time_machine.travel(behind, tick=False):
        second = register(event, other_library, people(1, start=10), contact_email="b@example.org", now=behind)
    newcomer = second.waiting[0]
    assert newcomer.position == 2
    assert positions(event)[newcomer.pk] == 2
    assert newcomer.queued_at >= first.waiting[0].queued_at


def test_seats_are_counted_against_the_capacity_as_published_when_the_lock_is_taken(event, library):
    """A registration that read the offering before a coordinator lowered its capacity still gets no seat beyond it:
    the capacity is read again under the lock."""
    stale = type(event).objects.get(pk=event.pk)
    assert stale.capacity == 10
    event.capacity = 1
    event.save_revision().publish()
    now = timezone.now()
    with transaction.atomic():
        registration = Registration(
            offering=event, library=library, contact_name="K", contact_email="k@example.org", consent_at=now
        )
        registration.set_new_token()
        registration.save()
        offering_lock(offering_id=event.pk)
        confirmed, waiting = services._seat(stale, registration, people(3), now)
    assert (len(confirmed), len(waiting)) == (1, 2)
    assert statuses(event)["confirmed"] == 1


def test_per_library_maximum(event, library, other_library):
    event.max_per_library = 3
    event.save_revision().publish()
    register(event, library, people(2))
    with pytest.raises(RegistrationError) as error:
        register(event, library, people(2, start=3), contact_email="b@example.org")
    assert error.value.code == "library_limit"
    assert "1 mere" in error.value.message
    register(event, other_library, people(3, start=10), contact_email="c@example.org")


def test_the_same_email_twice_on_one_offering_is_refused(event, library):
    register(event, library, people(1))
    with pytest.raises(RegistrationError) as error:
        register(event, library, [ParticipantData("En anden", "DELTAGER1@example.org")], contact_email="x@example.org")
    assert error.value.code == "already_registered"
    with pytest.raises(RegistrationError) as error:
        register(event, library, [ParticipantData("A", "a@example.org"), ParticipantData("B", "a@example.org")])
    assert error.value.code == "duplicate"


def test_a_cancelled_participant_may_register_again(event, library):
    result = register(event, library, people(1))
    participants_cancel(registration=result.registration)
    register(event, library, people(1), contact_email="igen@example.org")
    assert statuses(event) == {"confirmed": 1, "waiting": 0, "cancelled": 1}


def test_tracks_must_be_chosen_from_the_offering(event, library):
    event.tracks = tracks("Medarbejdere", "Lederspor")
    event.save_revision().publish()
    with pytest.raises(RegistrationError) as error:
        register(event, library, people(1))
    assert (error.value.code, error.value.message) == ("track", "Vælg et spor for hver deltager.")
    result = register(event, library, [ParticipantData("Leder", "leder@example.org", track="Lederspor")])
    assert result.confirmed[0].track == "Lederspor"


def test_a_track_not_among_the_offerings_is_refused_and_nothing_is_saved(event, library):
    event.tracks = tracks("Medarbejdere", "Lederspor")
    event.save_revision().publish()
    with pytest.raises(RegistrationError) as error:
        register(event, library, [ParticipantData("Leder", "leder@example.org", track="Ledere")])
    assert (error.value.code, error.value.message) == ("track", "Vælg et af tilbuddets spor.")
    assert not Registration.objects.filter(offering=event).exists()
    assert not Participant.objects.filter(offering=event).exists()


def test_a_renamed_or_removed_track_keeps_the_participants_stored_name(event, library):
    event.tracks = tracks("Medarbejdere", "Lederspor")
    event.save_revision().publish()
    register(event, library, [ParticipantData("Leder", "leder@example.org", track="Lederspor")])
    page = EventPage.objects.get(pk=event.pk)
    page.tracks = tracks("Ledere og mellemledere")
    page.save_revision().publish()
    assert list(page.tracks.values_list("name", flat=True)) == ["Ledere og mellemledere"]
    assert Participant.objects.get(offering=event).track == "Lederspor"


def test_cancelling_a_confirmed_seat_promotes_the_first_waiting_and_tells_them(
    event, library, django_capture_on_commit_callbacks
):
    event.capacity = 2
    event.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        first = register(event, library, people(2))
        second = register(event, library, people(2, start=3), contact_email="b@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled, promoted = participants_cancel(
            registration=first.registration, participant_ids=[first.confirmed[0].pk]
        )
    assert [p.pk for p in promoted] == [second.waiting[0].pk]
    assert Participant.objects.get(pk=second.waiting[0].pk).status == ParticipantStatus.CONFIRMED
    assert positions(event) == {second.waiting[1].pk: 1}
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(
        ["deltager1@example.org", "kontakt@example.org", "deltager3@example.org", "b@example.org"]
    )
    promoted_mail = next(m for m in mail.outbox if m.to == ["deltager3@example.org"])
    assert "Du har fået en plads" in promoted_mail.subject
    assert promoted_mail.attachments[0][0].endswith(".ics")
    actions = set(RegistrationLogEntry.objects.values_list("action", flat=True))
    assert {LogAction.REGISTERED, LogAction.CANCELLED, LogAction.PROMOTED} <= actions


def test_change_deadline_binds_the_contact_not_the_coordinator(event, library, superuser):
    result = register(event, library, people(2))
    late = event.start - dt.timedelta(minutes=5)
    event.change_deadline = event.start - dt.timedelta(days=1)
    event.save_revision().publish()
    with pytest.raises(RegistrationError) as error:
        participants_cancel(registration=result.registration, now=late)
    assert error.value.code == "deadline"
    cancelled, _ = participants_cancel(registration=result.registration, actor=Actor.coordinator(superuser), now=late)
    assert len(cancelled) == 2


def test_add_participants_respects_capacity(event, library):
    event.capacity = 3
    event.save_revision().publish()
    result = register(event, library, people(2))
    confirmed, waiting = participants_add(registration=result.registration, participants=people(2, start=3))
    assert (len(confirmed), len(waiting)) == (1, 1)


def test_coordinator_promotion_never_exceeds_capacity(event, library, superuser):
    event.capacity = 1
    event.save_revision().publish()
    result = register(event, library, people(3))
    coordinator = Actor.coordinator(superuser)
    with pytest.raises(RegistrationError) as error:
        participant_promote(participant=result.waiting[1], actor=coordinator)
    assert error.value.code == "full"
    # With registration closed, more seats are not handed out by themselves: the coordinator picks who gets one.
    event.registration_enabled = False
    event.capacity = 2
    event.save_revision().publish()
    participant_promote(participant=result.waiting[1], actor=coordinator)
    assert statuses(event)["confirmed"] == 2
    assert positions(event) == {result.waiting[0].pk: 1}
    with pytest.raises(RegistrationError) as error:
        participant_promote(participant=result.waiting[1], actor=coordinator)
    assert error.value.code == "not_waiting"


def test_emails_go_to_contact_and_each_participant_with_a_calendar_for_confirmed(
    event, library, django_capture_on_commit_callbacks
):
    event.capacity = 1
    event.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        result = register(event, library, people(2))
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"kontakt@example.org", "deltager1@example.org", "deltager2@example.org"}
    receipt = by_recipient["kontakt@example.org"]
    assert f"/tilmelding/{result.registration.public_id}/?adgang={result.token}" in receipt.body
    assert "nummer 1" in receipt.body
    assert receipt.alternatives[0].mimetype == "text/html"
    assert by_recipient["deltager1@example.org"].attachments
    assert not by_recipient["deltager2@example.org"].attachments
    assert "venteliste" in by_recipient["deltager2@example.org"].subject
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_the_manage_token_is_long_and_only_its_hash_is_stored(event, library):
    result = register(event, library, people(1))
    assert len(result.token) >= 43  # 32 random bytes, URL-safe base64
    registration = Registration.objects.get()
    assert result.token not in registration.token_hash
    assert selectors.registration_by_link(public_id=registration.public_id, token=result.token) == registration
    assert selectors.registration_by_link(public_id=registration.public_id, token=result.token[:-1] + "x") is None
    assert selectors.registration_by_link(public_id=registration.public_id, token="") is None


def test_publishing_more_seats_moves_the_waiting_list_up(event, library, django_capture_on_commit_callbacks):
    event.capacity = 1
    event.save_revision().publish()
    result = register(event, library, people(3))
    event.capacity = 2
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    assert Participant.objects.get(pk=result.waiting[0].pk).status == ParticipantStatus.CONFIRMED
    assert Participant.objects.get(pk=result.waiting[1].pk).status == ParticipantStatus.WAITING
    assert any(m.subject.startswith("Du har fået en plads") for m in mail.outbox)


def test_the_queue_follows_the_order_places_are_given_not_the_clock_read_before_the_lock(event, library):
    """A request that read the clock earlier but got the offering's lock later queues behind those before it."""
    event.capacity = 1
    event.save_revision().publish()
    register(event, library, people(2))  # one seat, one waiting (place 1, already told so by e-mail)
    late = register(
        event, library, people(1, start=3), contact_email="b@example.org", now=timezone.now() - dt.timedelta(seconds=5)
    )
    assert positions(event)[late.waiting[0].pk] == 2


def test_cancelling_or_adding_many_participants_costs_the_queries_of_one(event, library, other_library):
    """The status change, the log and the e-mails of a change are written in one statement each, however many
    participants it touches."""
    one = register(event, library, people(1))
    three = register(event, other_library, people(3, start=10), contact_email="b@example.org")

    def queries(change) -> int:
        with CaptureQueriesContext(connection) as captured:
            change()
        return len(captured)

    assert queries(lambda: participants_cancel(registration=one.registration)) == queries(
        lambda: participants_cancel(registration=three.registration)
    )
    assert queries(lambda: participants_add(registration=one.registration, participants=people(1, start=20))) == (
        queries(lambda: participants_add(registration=three.registration, participants=people(3, start=30)))
    )
