"""How a stored e-mail gets out: queued for the delivery task, rendered, sent, retried with growing pauses, pruned."""

from __future__ import annotations

import base64
import datetime as dt
import smtplib
import socket

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject

from django_tasks import task
from django_tasks_db import DatabaseBackend

from events.models import CoursePage
from network.ical import calendar_for

from .certificate_pdf import certificate_attachment, pdf_url, verify_url
from .models import Certificate, OutboxMessage, OutboxStatus, Participant, Registration
from .schedule import offering_days
from .values import site_root

# How long one delivery attempt may hold a message before another worker may try it.
LEASE = dt.timedelta(minutes=10)
# Failures of the mail server itself, not of one message: each later message would wait the same EMAIL_TIMEOUT.
UNREACHABLE = (TimeoutError, ConnectionError, socket.gaierror, smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected)


# --- What the templates get ----------------------------------------------------------------------------------------


def page_url(page) -> str:
    parts = page.get_url_parts()
    return site_root() + (parts[2] if parts else "/")


def template_context(registration: Registration, **context) -> dict:
    """What every e-mail's templates may use, and `context`."""
    offering = registration.offering
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "retention_months": settings.REGISTRATION_RETENTION_MONTHS,
        "registration": registration,
        "offering": offering,
        "offering_url": page_url(offering),
        # The days are read only by a body that shows them (not by a subject), once for its text and HTML.
        "days": SimpleLazyObject(lambda: offering_days(offering=offering)),
        "library": registration.library,
        **context,
    }


def ics_attachment(offering, method: str = "PUBLISH") -> dict:
    """The offering's .ics, built once per published version (it is the same in every e-mail about it); with
    `method="CANCEL"` the same events (same UIDs), which take the days out of the calendar they were added to."""
    published = offering.last_published_at.timestamp() if offering.last_published_at else 0
    key = f"registration-ics:{offering.pk}:{published}:{translation.get_language()}:{method}"
    content = cache.get(key)
    if content is None:
        specific = offering.specific
        if isinstance(specific, CoursePage):  # the course's days are separate events in the file
            specific = CoursePage.objects.prefetch_related("sessions__municipality").get(pk=specific.pk)
        content = calendar_for([specific], name=offering.title, method=method).decode()
        cache.set(key, content, 24 * 60 * 60)
    return {
        "filename": f"{offering.slug}.ics",
        "content": content,
        "mimetype": f"text/calendar; charset=utf-8; method={method}",
    }


def render(message: OutboxMessage) -> None:
    """Fill in the body (and calendar file) of a stored message from its template and the participants it names.
    Raises Participant.DoesNotExist / Registration.DoesNotExist / Certificate.DoesNotExist when they have been erased
    since."""
    registration = Registration.objects.select_related("offering", "library").get(pk=message.registration_id)
    stored = message.context
    ids = {pk for name in ("participants", "confirmed", "waiting") for pk, _ in stored.get(name, [])}
    if "participant" in stored:
        ids.add(stored["participant"][0])
    people = Participant.objects.in_bulk(ids)

    def person(pk: int, position: int | None) -> Participant:
        if pk not in people:
            raise Participant.DoesNotExist(f"Participant {pk} is gone (erased on request)")
        participant = people[pk]
        participant.position = position
        return participant

    # "text": what a coordinator wrote (emails.coordinator_message); the other templates have none.
    context = template_context(
        registration,
        manage_url=stored.get("manage_url", ""),
        own_url=stored.get("own_url", ""),  # the participant's own page (emails._own_links)
        evaluation_url=stored.get("evaluation_url", ""),  # the evaluation's link (emails.evaluation_invitation)
        evaluation_day=stored.get("evaluation_day", ""),  # a course day's own evaluation: the day's title
        text=stored.get("text", ""),
    )
    certificate = None
    if "certificate" in stored:  # emails.certificate_issued: gone (expired) when its holder has been erased since
        certificate = Certificate.objects.select_related("offering").get(code=stored["certificate"], expired_at=None)
        context["certificate_url"] = pdf_url(certificate)
        context["verify_url"] = verify_url(certificate)
    if "participant" in stored:
        context["participant"] = person(*stored["participant"])
    for name in ("participants", "confirmed", "waiting"):
        if name in stored:
            context[name] = [person(pk, position) for pk, position in stored[name]]
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        message.body_text = render_to_string(f"emails/{message.template}.txt", context)
        message.body_html = render_to_string(f"emails/{message.template}.html", context)
        method = stored.get("calendar_method", "PUBLISH")
        message.attachments = [ics_attachment(registration.offering, method)] if message.calendar else []
        if certificate is not None:
            message.attachments.append(certificate_attachment(certificate))


# --- Into the queue ------------------------------------------------------------------------------------------------


@task()
def deliver_emails(message_ids: list[int]) -> int:
    """The messages of one change (a registration's receipt and each participant's e-mail); returns how many went."""
    return deliver_in_turn(message_ids)


def send_after_commit(*messages: OutboxMessage | None) -> None:
    """Store the messages of one change (one INSERT, in the change's transaction) and queue one delivery task for
    them, which runs once the transaction has committed."""
    messages = OutboxMessage.objects.bulk_create([message for message in messages if message is not None])
    ids = [message.pk for message in messages]
    if not ids:
        return
    if isinstance(deliver_emails.get_backend(), DatabaseBackend):
        deliver_emails.enqueue(ids)  # a row in the same transaction: it commits with the messages, or neither does
    else:
        transaction.on_commit(lambda: deliver_emails.enqueue(ids))


def retry(message_ids, now: dt.datetime | None = None) -> int:
    """A coordinator's retry of failed messages: back in the queue, delivered at once."""
    now = now or timezone.now()
    ids = list(
        OutboxMessage.objects.filter(pk__in=message_ids, status=OutboxStatus.FAILED).values_list("pk", flat=True)
    )
    OutboxMessage.objects.filter(pk__in=ids).update(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now)
    if ids:
        deliver_emails.enqueue(ids)
    return len(ids)


# --- Out -----------------------------------------------------------------------------------------------------------


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 ... minutes after the n-th failed attempt, at most six hours."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def deliver(message_id: int, now: dt.datetime | None = None) -> bool:
    """Try to send one message; True when it went out. Safe to call twice: a claimed or sent message is skipped."""
    return _deliver(message_id, now or timezone.now())[0]


def deliver_in_turn(message_ids, now: dt.datetime | None = None) -> int:
    """Send the messages one after another; returns how many went. Once the mail server times out or cannot be
    reached, the rest stay due, untried, for the next run (`send_outbox`): a batch waits one timeout, not one each."""
    sent = 0
    for message_id in message_ids:
        went, server_answered = _deliver(message_id, now or timezone.now())
        sent += went
        if not server_answered:
            break
    return sent


def _deliver(message_id: int, now: dt.datetime) -> tuple[bool, bool]:
    """(sent, the mail server answered) for one message."""
    claimed = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.PENDING, next_attempt_at__lte=now).update(
        next_attempt_at=now + LEASE
    )
    if not claimed:
        return False, True
    message = OutboxMessage.objects.get(pk=message_id)
    if message.template and not message.body_text:
        try:
            render(message)
        except (Participant.DoesNotExist, Registration.DoesNotExist, Certificate.DoesNotExist) as error:
            return _failed(message, error, now, final=True), True
        message.save(update_fields=["body_text", "body_html", "attachments"])
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        content = attachment["content"]
        if attachment.get("encoding") == "base64":  # a binary file (a certificate's PDF), kept as text in the row
            content = base64.b64decode(content)
        email.attach(attachment["filename"], content, attachment["mimetype"])
    try:
        email.send()
    except Exception as error:  # noqa: BLE001 - any failure of the mail server keeps the message for a retry
        return _failed(message, error, now), not isinstance(error, UNREACHABLE)
    message.attempts += 1
    message.status = OutboxStatus.SENT
    message.sent_at = now
    message.last_error = ""
    message.save(update_fields=["attempts", "last_error", "status", "sent_at"])
    return True, True


def _failed(message: OutboxMessage, error: Exception, now: dt.datetime, *, final: bool = False) -> bool:
    """Record a failed attempt: retried later with a growing pause, or failed for good (coordinators see it)."""
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    failed = final or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    message.status = OutboxStatus.FAILED if failed else OutboxStatus.PENDING
    message.next_attempt_at = now + backoff(message.attempts)
    message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    return False


def deliver_due(now: dt.datetime | None = None, limit: int = 500) -> tuple[int, int]:
    """Send every message whose time has come; returns (sent, still waiting or failed)."""
    now = now or timezone.now()
    due = OutboxMessage.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now).order_by("pk")
    ids = list(due.values_list("pk", flat=True)[:limit])
    sent = deliver_in_turn(ids, now)
    return sent, len(ids) - sent


def prune_sent(now: dt.datetime | None = None) -> int:
    """Delete sent messages after OUTBOX_KEEP_SENT_DAYS: they hold personal data and manage links."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.OUTBOX_KEEP_SENT_DAYS)
    deleted, _ = OutboxMessage.objects.filter(status=OutboxStatus.SENT, sent_at__lt=cutoff).delete()
    return deleted
