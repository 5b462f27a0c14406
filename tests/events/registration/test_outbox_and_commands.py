"""E-mail delivery through the outbox survives a failing mail server; the scheduled commands do their work."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from unittest import mock

from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from events.registration import outbox, selectors
from events.registration.models import OutboxMessage, OutboxStatus, Participant
from events.registration.reminders import reminders_queue_due

from .conftest import people
from .conftest import register as register_people

pytestmark = pytest.mark.django_db


class BrokenMailServer(Exception):
    pass


def fail_sending(*args, **kwargs):
    raise BrokenMailServer("Connection refused")


def register(event, library, n=1):
    return register_people(event, library, people(n), contact_name="Kontakt")


def test_a_failing_mail_server_loses_nothing_and_retries_later(
    event, library, settings, django_capture_on_commit_callbacks
):
    # The mail backend is Django's; making *it* fail stands in for an SMTP server that is down.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with (
        mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", fail_sending),
        django_capture_on_commit_callbacks(execute=True),
    ):
        register(event, library)
    assert mail.outbox == []
    messages = OutboxMessage.objects.all()
    assert messages.count() == 2
    assert {m.status for m in messages} == {OutboxStatus.PENDING}
    assert all(m.attempts == 1 and "Connection refused" in m.last_error for m in messages)
    # Not due yet: nothing happens.
    assert outbox.deliver_due() == (0, 0)
    later = timezone.now() + dt.timedelta(minutes=5)
    assert outbox.deliver_due(now=later) == (2, 0)
    assert len(mail.outbox) == 2
    assert {m.status for m in OutboxMessage.objects.all()} == {OutboxStatus.SENT}


def test_after_the_last_attempt_a_message_is_failed_and_a_coordinator_can_retry(
    event, library, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", fail_sending):
        with django_capture_on_commit_callbacks(execute=True):
            register(event, library)
        outbox.deliver_due(now=timezone.now() + dt.timedelta(hours=1))
    failed = OutboxMessage.objects.filter(status=OutboxStatus.FAILED)
    assert failed.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.retry(failed.values_list("pk", flat=True)) == 2
    assert {m.status for m in OutboxMessage.objects.all()} == {OutboxStatus.SENT}


def test_a_message_is_sent_once_even_if_delivered_twice(event, library, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(event, library)
    sent = len(mail.outbox)
    for message in OutboxMessage.objects.all():
        assert outbox.deliver(message.pk) is False
    assert len(mail.outbox) == sent


def test_send_outbox_command_sends_the_due_messages_and_reports(event, library, django_capture_on_commit_callbacks):
    with (
        mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", fail_sending),
        django_capture_on_commit_callbacks(execute=True),
    ):
        register(event, library)  # the receipt and the participant's message wait for their retry
    out = StringIO()
    call_command("send_outbox", stdout=out)
    assert "0 sendt" in out.getvalue()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
        out = StringIO()
        call_command("send_outbox", stdout=out)
    assert out.getvalue().strip() == "2 sendt, 0 prøves igen senere, 0 fejlet i alt."
    assert len(mail.outbox) == 2


def test_reminders_go_once_to_confirmed_participants_shortly_before_the_start(
    event, library, settings, django_capture_on_commit_callbacks
):
    settings.REGISTRATION_REMINDER_DAYS = 2
    event.capacity = 1
    event.save_revision().publish()
    register(event, library, n=2)  # one confirmed, one waiting
    mail.outbox.clear()
    assert reminders_queue_due() == 0  # the event is 30 days away
    soon = event.start - dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_queue_due(now=soon) == 1
    assert [m.to for m in mail.outbox] == [["deltager1@example.org"]]
    assert mail.outbox[0].subject.startswith("Påmindelse")
    assert mail.outbox[0].attachments
    assert reminders_queue_due(now=soon) == 0


def test_reminder_command_queues_the_due_reminders_and_reports(event, library, django_capture_on_commit_callbacks):
    register(event, library)
    mail.outbox.clear()
    with time_machine.travel(event.start - dt.timedelta(days=1)), django_capture_on_commit_callbacks(execute=True):
        out = StringIO()
        call_command("send_registration_reminders", stdout=out)
    assert "påmindelser" in out.getvalue()
    assert out.getvalue().strip() == "1 påmindelser lagt i udbakken."
    assert [m.to for m in mail.outbox] == [["deltager1@example.org"]]


def test_anonymise_command_uses_the_retention_setting(event, library, settings):
    register(event, library, n=2)
    settings.REGISTRATION_RETENTION_MONTHS = 0
    with time_machine.travel(event.end + dt.timedelta(days=1)):
        out = StringIO()
        call_command("anonymise_registrations", stdout=out)
    assert "1 tilmeldinger anonymiseret" in out.getvalue()
    assert "sendte e-mails slettet" in out.getvalue()
    assert set(Participant.objects.values_list("email", flat=True)) == {""}
    assert selectors.participant_counts(offering_id=event.pk)["confirmed"] == 2


def test_sent_mails_are_deleted_after_a_month_failed_ones_stay(event, library, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(event, library)
    OutboxMessage.objects.create(kind="x", to_email="a@example.org", subject="s", body_text="t", status="failed")
    assert outbox.prune_sent(now=timezone.now() + dt.timedelta(days=29)) == 0
    assert outbox.prune_sent(now=timezone.now() + dt.timedelta(days=31)) == 2
    assert list(OutboxMessage.objects.values_list("status", flat=True)) == ["failed"]


def test_a_registration_stores_its_messages_and_the_task_renders_them(
    event, library, settings, django_capture_on_commit_callbacks
):
    """The transaction writes what each message is about and its subject; the body and the calendar file are
    rendered by the delivery task, from the stored participants and their places in the queue."""
    event.capacity = 1
    event.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = register(event, library, n=2)
    stored = {m.kind: m for m in OutboxMessage.objects.all()}
    assert set(stored) == {"contact_receipt", "confirmed", "waiting"}
    assert all(m.body_text == "" and m.body_html == "" and m.attachments == [] for m in stored.values())
    assert stored["confirmed"].subject == f"Du har fået plads: {event.title}"
    assert stored["waiting"].context["participant"] == [result.waiting[0].pk, 1]
    assert len(callbacks) == 1  # one delivery task for the three

    for callback in callbacks:
        callback()

    assert {m.status for m in OutboxMessage.objects.all()} == {OutboxStatus.SENT}
    receipt = OutboxMessage.objects.get(kind="contact_receipt")
    assert f"/tilmelding/{result.registration.public_id}/?adgang={result.token}" in receipt.body_text
    assert "som nummer 1." in OutboxMessage.objects.get(kind="waiting").body_text
    confirmed = OutboxMessage.objects.get(kind="confirmed")
    assert confirmed.attachments[0]["content"].startswith("BEGIN:VCALENDAR")
    sent = {m.to[0]: m for m in mail.outbox}
    assert sent[confirmed.to_email].body == confirmed.body_text
    assert sent[confirmed.to_email].attachments


def test_a_message_about_an_erased_participant_fails_without_sending(
    event, library, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        register(event, library)
    message = OutboxMessage.objects.get(kind="confirmed")
    Participant.objects.filter(email=message.to_email).delete()  # erased before the worker got to it

    assert outbox.deliver(message.pk) is False

    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert "Participant" in message.last_error and message.body_text == ""
    assert not [m for m in mail.outbox if m.to == [message.to_email]]


def test_the_database_queue_takes_the_delivery_task_in_the_registrations_transaction(
    event, library, settings, django_capture_on_commit_callbacks
):
    """In production the task is a row written with the messages: it commits with them or not at all, and needs no
    commit of its own. A registration that is rolled back leaves neither."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with pytest.raises(RuntimeError), transaction.atomic():
        register(event, library)
        assert DBTaskResult.objects.count() == 1
        raise RuntimeError("the request failed after registering")
    assert not OutboxMessage.objects.exists() and not DBTaskResult.objects.exists()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        register(event, library)
    assert callbacks == []
    task = DBTaskResult.objects.get()
    assert sorted(task.args_kwargs["args"][0]) == sorted(OutboxMessage.objects.values_list("pk", flat=True))
