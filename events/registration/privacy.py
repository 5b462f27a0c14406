"""Personal data in registration: anonymised after the retention period, handed out or erased on request."""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import LogAction, OutboxMessage, Participant, Registration, RegistrationLogEntry
from .selectors import person_data
from .services import log_entry_create, participants_cancel
from .values import ACTIVE, Actor

ANONYMOUS = "Anonymiseret"


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day `months` earlier; the month's last day when it is shorter (31 May - 3 months: 28/29 Feb)."""
    year, month = divmod(moment.month - 1 - months, 12)
    year += moment.year
    month += 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def registrations_anonymise_expired(*, now: dt.datetime | None = None) -> int:
    """Anonymise registrations of offerings that ended more than the retention period ago; the counts stay.
    Returns the number of registrations anonymised; their sent e-mails are deleted as well."""
    now = now or timezone.now()
    cutoff = months_before(now, settings.REGISTRATION_RETENTION_MONTHS)
    expired = Registration.objects.filter(offering__end__lt=cutoff, anonymised_at__isnull=True)
    ids = list(expired.values_list("pk", flat=True))
    if not ids:
        return 0
    with transaction.atomic():
        Participant.objects.filter(registration_id__in=ids).update(
            name=ANONYMOUS, email="", job_title="", needs="", anonymised_at=now
        )
        Registration.objects.filter(pk__in=ids).update(
            contact_name=ANONYMOUS, contact_email="", token_hash="", anonymised_at=now
        )
        OutboxMessage.objects.filter(registration_id__in=ids).delete()
        RegistrationLogEntry.objects.bulk_create(
            RegistrationLogEntry(registration_id=pk, action=LogAction.ANONYMISED, actor_role="system", created_at=now)
            for pk in ids
        )
    return len(ids)


def person_export(*, email: str, actor: Actor) -> dict:
    """What we hold about one e-mail address (a data access request); each registration it touches logs the export."""
    data = person_data(email=email)
    registrations = {p.registration_id for p in Participant.objects.filter(email=data["email"])}
    registrations |= set(Registration.objects.filter(contact_email=data["email"]).values_list("pk", flat=True))
    for pk in registrations:
        log_entry_create(registration=Registration(pk=pk), action=LogAction.EXPORTED, actor=actor)
    return data


def person_erase(*, email: str, actor: Actor, now: dt.datetime | None = None) -> int:
    """Erase one person's data on request: anonymise them wherever they appear; seats they held are freed.
    Returns the number of records changed."""
    now = now or timezone.now()
    email = email.strip().lower()
    if not email:
        return 0
    changed = 0
    for participant in list(Participant.objects.filter(email=email).select_related("registration")):
        if participant.status in ACTIVE and participant.offering.end > now:
            participants_cancel(
                registration=participant.registration, participant_ids=[participant.pk], actor=actor, now=now
            )
        with transaction.atomic():
            Participant.objects.filter(pk=participant.pk).update(
                name=ANONYMOUS, email="", job_title="", needs="", anonymised_at=now
            )
            log_entry_create(
                registration=participant.registration,
                action=LogAction.ERASED,
                actor=actor,
                participant=participant,
                now=now,
            )
        changed += 1
    for registration in Registration.objects.filter(contact_email=email):
        with transaction.atomic():
            Registration.objects.filter(pk=registration.pk).update(
                contact_name=ANONYMOUS, contact_email="", token_hash=""
            )
            log_entry_create(registration=registration, action=LogAction.ERASED, actor=actor, now=now)
        changed += 1
    OutboxMessage.objects.filter(to_email=email).delete()
    return changed
