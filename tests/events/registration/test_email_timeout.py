"""A mail server that accepts and never answers: delivery gives up after EMAIL_TIMEOUT, keeps the message for a retry,
and leaves the rest of its batch for the next run instead of waiting a timeout for each; a registration still
completes with immediate tasks. A real listening socket on loopback, Django's real SMTP backend."""

from __future__ import annotations

import datetime as dt
import socket
import threading

from django.core import mail
from django.test import Client
from django.utils import timezone

import pytest

from events.registration import confirmation, outbox
from events.registration.models import OutboxMessage, OutboxStatus, Registration
from network.settings import base

from .conftest import people, register
from .test_views import form_url, post_data

pytestmark = pytest.mark.django_db

# Seconds the silent server keeps a connection before it closes it: a test without a working timeout ends (and fails
# on the error it records) instead of hanging for good.
GIVE_UP = 20


class SilentServer:
    """Listens on a spare loopback port, accepts every connection and never sends a byte."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted = 0
        self._connections: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        self.listener.settimeout(GIVE_UP)
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:  # closed by `close`, or nobody came for GIVE_UP seconds
                return
            self.accepted += 1
            self._connections.append(connection)
            threading.Timer(GIVE_UP, connection.close).start()

    def close(self) -> None:
        self.listener.close()
        for connection in self._connections:
            connection.close()


@pytest.fixture
def silent_mail_server(settings):
    server = SilentServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 1  # the production default is 20 s; the behaviour is the same
    yield server
    server.close()


def test_the_default_timeout_is_twenty_seconds():
    assert base.EMAIL_TIMEOUT == 20  # the settings module as read without EMAIL_TIMEOUT in the environment


def test_a_silent_mail_server_is_given_up_after_the_timeout_and_later_messages_are_not_held(
    event, library, silent_mail_server, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # stored, not yet delivered
        register(event, library, people(3))
    ids = list(OutboxMessage.objects.order_by("pk").values_list("pk", flat=True))
    assert len(ids) == 4  # the receipt and one e-mail per participant

    assert outbox.deliver_emails.call(ids) == 0
    first, *rest = OutboxMessage.objects.order_by("pk")
    assert first.status == OutboxStatus.PENDING and first.attempts == 1  # kept for a retry
    assert "timed out" in first.last_error
    assert first.next_attempt_at > timezone.now()
    # The server did not answer: the rest of the batch was not tried (each would have waited the same timeout)
    # and is due for the next run.
    assert silent_mail_server.accepted == 1
    assert all(m.status == OutboxStatus.PENDING and m.attempts == 0 for m in rest)
    assert all(m.next_attempt_at <= timezone.now() for m in rest)

    # The mail server answers again: the next run sends what was held back, and the first once its pause is over.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.deliver_due() == (3, 0)
    assert outbox.deliver_due(now=timezone.now() + dt.timedelta(minutes=2)) == (1, 0)
    assert len(mail.outbox) == 4


def test_a_registration_with_immediate_tasks_completes_against_a_silent_mail_server(
    client, event, library, silent_mail_server, django_capture_on_commit_callbacks
):
    data = post_data(library, [("A", "a@example.org"), ("B", "b@example.org")])
    # A browser that has confirmed its contact address before: the receipt and both participants' e-mails go out.
    remembered = Client().get("/")
    confirmation.address_remember(remembered.wsgi_request, remembered, data["contact_email"])
    client.cookies[confirmation.COOKIE] = remembered.cookies[confirmation.COOKIE].value
    with django_capture_on_commit_callbacks(execute=True):  # the delivery task runs in the request
        response = client.post(form_url(event), data)
    assert response.status_code == 302
    registration = Registration.objects.get(offering=event)
    assert registration.participants.count() == 2
    messages = OutboxMessage.objects.filter(registration=registration).order_by("pk")
    assert [m.attempts for m in messages] == [1, 0, 0]
    assert "timed out" in messages[0].last_error
    assert {m.status for m in messages} == {OutboxStatus.PENDING}
