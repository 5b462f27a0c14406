"""E-mails about registrations, through an outbox.

Each message is written to `OutboxMessage` inside the transaction that makes the change it tells about, and handed
to a background task (django-tasks) once that transaction commits. If sending fails the message stays in the outbox,
is retried with growing pauses, and after `OUTBOX_MAX_ATTEMPTS` is marked failed where coordinators can see it.

The transaction stores what the message is about (its template, the participants and their places in the queue, the
manage link) and its subject; the body is rendered when the task sends it. The registration holds the offering's
lock only as long as it writes rows, and the visitor does not wait for templates (see `make bench-registration`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from network.ical import calendar_for

from .models import OutboxMessage, OutboxStatus, Participant, ParticipantStatus, Registration

# How long one delivery attempt may hold a message before another worker may try it.
LEASE = dt.timedelta(minutes=10)


def site_root() -> str:
    """The public address of the site (WAGTAILADMIN_BASE_URL), for links in e-mails."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def page_url(page) -> str:
    parts = page.get_url_parts()
    return site_root() + (parts[2] if parts else "/")


def manage_url(registration: Registration, token: str) -> str:
    path = reverse("registration_manage", args=[registration.public_id, token])
    return site_root() + path


def ics_attachment(offering) -> dict:
    """The offering's .ics, built once per published version (it is the same in every e-mail about it)."""
    from events.models import CoursePage  # the course's days are separate events in the file

    published = offering.last_published_at.timestamp() if offering.last_published_at else 0
    key = f"registration-ics:{offering.pk}:{published}:{translation.get_language()}"
    content = cache.get(key)
    if content is None:
        specific = offering.specific
        if isinstance(specific, CoursePage):
            specific = CoursePage.objects.prefetch_related("sessions__municipality").get(pk=specific.pk)
        content = calendar_for([specific], name=offering.title).decode()
        cache.set(key, content, 24 * 60 * 60)
    return {
        "filename": f"{offering.slug}.ics",
        "content": content,
        "mimetype": "text/calendar; charset=utf-8; method=PUBLISH",
    }


def compose(
    kind: str, to: str, template: str, context: dict, *, registration: Registration, calendar: bool = False
) -> OutboxMessage | None:
    """A message about `registration`; `send_after_commit` stores it and hands it to the delivery task.

    `context` holds the participants the message is about ("participant", or lists "participants", "confirmed",
    "waiting", each participant with its `position` in the queue where it has one) and may hold a "manage_url".
    They are stored by id and rendered with `emails/<template>.txt` and `.html` when the message is sent; the
    subject is rendered now, so coordinators see it in the outbox. `calendar` attaches the offering's .ics.
    """
    if not to:
        return None
    stored = {"manage_url": context.get("manage_url", "")}
    if "participant" in context:
        stored["participant"] = _person(context["participant"])
    for name in ("participants", "confirmed", "waiting"):
        if name in context:
            stored[name] = [_person(participant) for participant in context[name]]
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}_subject.txt", _common(registration, **context)).strip()
    return OutboxMessage(
        registration=registration,
        kind=kind,
        to_email=to,
        subject=" ".join(subject.split())[:200],
        template=template,
        context=stored,
        calendar=calendar,
    )


def send_after_commit(*messages: OutboxMessage | None) -> None:
    """Store the messages of one change (one INSERT, in the change's transaction) and queue one delivery task for
    them, which runs once the transaction has committed.

    The database queue (production) takes the task in the same transaction: it commits with the messages, or neither
    does, with no commit of its own. Any other backend (immediate, in development and tests) gets it on commit.
    """
    messages = OutboxMessage.objects.bulk_create([message for message in messages if message is not None])
    ids = [message.pk for message in messages]
    if not ids:
        return
    from django_tasks_db import DatabaseBackend

    from .tasks import deliver_emails

    if isinstance(deliver_emails.get_backend(), DatabaseBackend):
        _enqueue(ids)
    else:
        transaction.on_commit(lambda: _enqueue(ids))


def _person(participant: Participant) -> list:
    return [participant.pk, getattr(participant, "position", None)]


def render(message: OutboxMessage) -> None:
    """Fill in the body (and calendar file) of a stored message from its template and the participants it names.
    Raises Participant.DoesNotExist / Registration.DoesNotExist when they have been erased since."""
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

    context = _common(registration, manage_url=stored.get("manage_url", ""))
    if "participant" in stored:
        context["participant"] = person(*stored["participant"])
    for name in ("participants", "confirmed", "waiting"):
        if name in stored:
            context[name] = [person(pk, position) for pk, position in stored[name]]
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        message.body_text = render_to_string(f"emails/{message.template}.txt", context)
        message.body_html = render_to_string(f"emails/{message.template}.html", context)
        message.attachments = [ics_attachment(registration.offering)] if message.calendar else []


def _enqueue(message_ids: list[int]) -> None:
    from .tasks import deliver_emails

    deliver_emails.enqueue(message_ids)


def _common(registration: Registration, **context) -> dict:
    """What every e-mail's templates may use, and `context`."""
    offering = registration.offering
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "retention_months": settings.REGISTRATION_RETENTION_MONTHS,
        "registration": registration,
        "offering": offering,
        "offering_url": page_url(offering),
        "library": registration.library,
        **context,
    }


def registered(registration: Registration, token: str, confirmed: list, waiting: list) -> None:
    """The receipt and each participant's message; `waiting` hold their `position` (services._seat)."""
    context = {"manage_url": manage_url(registration, token), "confirmed": confirmed, "waiting": waiting}
    receipt = compose(
        "contact_receipt", registration.contact_email, "contact_receipt", context, registration=registration
    )
    send_after_commit(receipt, *_to_participants(registration, confirmed, waiting))


def added(registration: Registration, confirmed: list, waiting: list) -> None:
    send_after_commit(*_to_participants(registration, confirmed, waiting))


def _to_participants(registration: Registration, confirmed: list, waiting: list) -> list[OutboxMessage | None]:
    about = [("confirmed", "participant_confirmed", p, True) for p in confirmed]
    about += [("waiting", "participant_waiting", p, False) for p in waiting]
    return [
        compose(kind, p.email, template, {"participant": p}, registration=registration, calendar=calendar)
        for kind, template, p, calendar in about
    ]


def cancelled(registration: Registration, participants: list[Participant]) -> None:
    messages = [
        compose("cancelled", p.email, "participant_cancelled", {"participant": p}, registration=registration)
        for p in participants
    ]
    if registration.contact_email not in {p.email for p in participants}:
        messages.append(
            compose(
                "contact_cancelled",
                registration.contact_email,
                "contact_cancelled",
                {"participants": participants},
                registration=registration,
            )
        )
    send_after_commit(*messages)


def promoted(participant: Participant) -> None:
    registration = participant.registration
    context = {"participant": participant}
    messages = [
        compose(
            "promoted", participant.email, "participant_promoted", context, registration=registration, calendar=True
        )
    ]
    if registration.contact_email != participant.email:
        messages.append(
            compose(
                "contact_promoted", registration.contact_email, "contact_promoted", context, registration=registration
            )
        )
    send_after_commit(*messages)


def reminder(participant: Participant) -> None:
    context = {"participant": participant}
    registration = participant.registration
    send_after_commit(
        compose(
            "reminder", participant.email, "participant_reminder", context, registration=registration, calendar=True
        )
    )


# --- Delivery ------------------------------------------------------------------------------------------------------


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 ... minutes after the n-th failed attempt, at most six hours."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def deliver(message_id: int, now: dt.datetime | None = None) -> bool:
    """Try to send one message; True when it went out. Safe to call twice: a claimed or sent message is skipped."""
    now = now or timezone.now()
    claimed = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.PENDING, next_attempt_at__lte=now).update(
        next_attempt_at=now + LEASE
    )
    if not claimed:
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    if message.template and not message.body_text:
        try:
            render(message)
        except (Participant.DoesNotExist, Registration.DoesNotExist) as error:
            return _failed(message, error, now, final=True)
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
        email.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    try:
        email.send()
    except Exception as error:  # noqa: BLE001 - any failure of the mail server keeps the message for a retry
        return _failed(message, error, now)
    message.attempts += 1
    message.status = OutboxStatus.SENT
    message.sent_at = now
    message.last_error = ""
    message.save(update_fields=["attempts", "last_error", "status", "sent_at"])
    return True


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
    sent = sum(deliver(pk, now) for pk in ids)
    return sent, len(ids) - sent


def retry(message_ids, now: dt.datetime | None = None) -> int:
    """A coordinator's retry of failed messages: back in the queue, delivered at once."""
    now = now or timezone.now()
    ids = list(
        OutboxMessage.objects.filter(pk__in=message_ids, status=OutboxStatus.FAILED).values_list("pk", flat=True)
    )
    OutboxMessage.objects.filter(pk__in=ids).update(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now)
    if ids:
        _enqueue(ids)
    return len(ids)


def prune_sent(now: dt.datetime | None = None) -> int:
    """Delete sent messages after OUTBOX_KEEP_SENT_DAYS: they hold personal data and manage links."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.OUTBOX_KEEP_SENT_DAYS)
    deleted, _ = OutboxMessage.objects.filter(status=OutboxStatus.SENT, sent_at__lt=cutoff).delete()
    return deleted


def remind_due(now: dt.datetime | None = None) -> int:
    """Queue a reminder to every confirmed participant of offerings that start within REGISTRATION_REMINDER_DAYS."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(days=settings.REGISTRATION_REMINDER_DAYS)
    due = Participant.objects.filter(
        status=ParticipantStatus.CONFIRMED,
        reminded_at__isnull=True,
        anonymised_at__isnull=True,
        offering__start__gt=now,
        offering__start__lte=horizon,
        offering__live=True,
    ).exclude(email="")
    count = 0
    for participant in due.select_related("registration__offering", "registration__library"):
        with transaction.atomic():
            if Participant.objects.filter(pk=participant.pk, reminded_at__isnull=True).update(reminded_at=now):
                reminder(participant)
                count += 1
    return count
