"""The offering's lock: never outside a transaction, and a lock held too long is a Danish message, not a 500."""

from __future__ import annotations

import threading
import time

from django.conf import settings as django_settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

import pytest

from events.registration.errors import RegistrationError
from events.registration.locking import LOCK_NAMESPACE, offering_lock
from events.registration.models import OutboxMessage, Participant, ParticipantStatus, Registration
from events.registration.services import participants_cancel
from events.registration.values import Actor

from .conftest import people, register
from .test_views import form_url, post_data

postgresql_only = pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="PostgreSQL only: the lock timeout is PostgreSQL's (SQLite waits for its write lock as its timeout says)",
)
BUSY = "Der er travlt lige nu. Prøv igen om et øjeblik."
TIMEOUT = 0.5  # seconds, for these tests


@pytest.mark.parametrize("locking", [True, False])
def test_the_lock_refuses_to_run_outside_a_transaction(settings, locking):
    settings.REGISTRATION_LOCKING = locking
    assert not connection.in_atomic_block
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        offering_lock(offering_id=1)


@pytest.fixture
def held(event):
    """A second connection holds the event's lock in an open transaction, until the test ends."""
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    other.set_autocommit(False)
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, event.pk])
    yield other
    other.rollback()
    other.close()


def nothing_written() -> bool:
    return not (Registration.objects.exists() or Participant.objects.exists() or OutboxMessage.objects.exists())


@postgresql_only
@pytest.mark.django_db
def test_a_registration_gives_up_on_a_held_lock_within_the_timeout_and_writes_nothing(settings, held, event, library):
    settings.REGISTRATION_LOCK_TIMEOUT = TIMEOUT
    started = time.monotonic()
    with pytest.raises(RegistrationError) as error:
        register(event, library, people(2))
    waited = time.monotonic() - started
    assert (error.value.code, error.value.message) == ("busy", BUSY)
    assert TIMEOUT <= waited < TIMEOUT + 5
    assert nothing_written()


@postgresql_only
@pytest.mark.django_db
def test_the_visitor_sees_the_busy_message_on_the_form_and_can_register_once_the_lock_is_free(
    client, settings, held, event, library
):
    settings.REGISTRATION_LOCK_TIMEOUT = TIMEOUT
    response = client.post(form_url(event), post_data(library))
    assert response.status_code == 200
    assert BUSY in response.content.decode()
    assert nothing_written()

    held.rollback()  # the other transaction ends, and its lock with it
    assert client.post(form_url(event), post_data(library)).status_code == 302
    assert Registration.objects.filter(offering=event).count() == 1


def seated(event, library, status: str) -> Participant:
    """A participant written straight to the table: the test's own transaction must not take the lock first."""
    registration = Registration(
        offering=event, library=library, contact_name="K", contact_email="k@example.org", consent_at=timezone.now()
    )
    registration.set_new_token()
    registration.save()
    return Participant.objects.create(
        registration=registration, offering=event, name="Deltager", email="d@example.org", status=status
    )


def released_later(held) -> threading.Timer:
    """Ends the other transaction (and its lock) after a few timeouts, from another thread."""
    held.inc_thread_sharing()
    timer = threading.Timer(4 * TIMEOUT, held.rollback)
    timer.start()
    return timer


@postgresql_only
@pytest.mark.django_db
def test_publishing_more_seats_waits_for_a_held_lock_and_then_gives_them(settings, held, event, library):
    """The publish has happened: the seats it adds must reach the waiting list, however busy the offering."""
    settings.REGISTRATION_LOCK_TIMEOUT = TIMEOUT
    waiting = seated(event, library, ParticipantStatus.WAITING)
    event.capacity = Participant.objects.filter(status=ParticipantStatus.CONFIRMED).count() + 1
    timer = released_later(held)
    event.save_revision().publish()
    timer.join()
    assert Participant.objects.get(pk=waiting.pk).status == ParticipantStatus.CONFIRMED


@postgresql_only
@pytest.mark.django_db
def test_a_coordinator_cancellation_waits_for_a_held_lock(settings, held, event, library, superuser):
    settings.REGISTRATION_LOCK_TIMEOUT = TIMEOUT
    participant = seated(event, library, ParticipantStatus.CONFIRMED)
    timer = released_later(held)
    participants_cancel(
        registration=participant.registration, participant_ids=[participant.pk], actor=Actor.coordinator(superuser)
    )
    timer.join()
    assert Participant.objects.get(pk=participant.pk).status == ParticipantStatus.CANCELLED
