"""The offering's lock: never outside a transaction, and a lock held too long is a Danish message, not a 500."""

from __future__ import annotations

import time

from django.conf import settings as django_settings
from django.db import DEFAULT_DB_ALIAS, connection, connections

import pytest

from events.registration.errors import RegistrationError
from events.registration.locking import LOCK_NAMESPACE, offering_lock
from events.registration.models import OutboxMessage, Participant, Registration

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
