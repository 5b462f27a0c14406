"""Personal data in registration: anonymised after the retention period, handed out or erased on request."""

from __future__ import annotations

import calendar
import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from network.models import OfferingPage

from .evaluation_models import EvaluationInvitation
from .experiments import experiments_erase
from .models import (
    Certificate,
    LogAction,
    OutboxMessage,
    Participant,
    Registration,
    RegistrationLogEntry,
)
from .selectors import notification_requests, outbox_messages, person_data, person_records
from .services import log_entry_create, participants_cancel
from .values import ACTIVE, Actor

ANONYMOUS = "Anonymiseret"
PERSON_KEY_BYTES = 16
BATCH = 500


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
        person_keys_assign(participants=Participant.objects.filter(registration_id__in=ids))
        Participant.objects.filter(registration_id__in=ids).update(
            name=ANONYMOUS, email="", job_title="", needs="", token_hash="", anonymised_at=now
        )
        Registration.objects.filter(pk__in=ids).update(
            contact_name=ANONYMOUS, contact_email="", token_hash="", confirm_token_hash="", anonymised_at=now
        )
        _expire_certificates(Certificate.objects.filter(participant__registration_id__in=ids), now)
        _end_evaluation_links(EvaluationInvitation.objects.filter(participant__registration_id__in=ids))
        experiments_erase(participants=Participant.objects.filter(registration_id__in=ids))
        OutboxMessage.objects.filter(registration_id__in=ids).delete()
        RegistrationLogEntry.objects.bulk_create(
            RegistrationLogEntry(registration_id=pk, action=LogAction.ANONYMISED, actor_role="system", created_at=now)
            for pk in ids
        )
    return len(ids)


def person_keys_assign(*, participants: QuerySet[Participant]) -> int:
    """Give every address among `participants` a person key before the address goes, and the same key to every other
    row of that address (any case), so people are counted once after anonymisation as they were before. A key
    already given to the address is reused; new ones are random, so nothing leads from a key back to an address.
    Returns the number of rows given a key."""
    addresses = set(
        participants.exclude(email="").annotate(address=Lower("email")).values_list("address", flat=True).distinct()
    )
    if not addresses:
        return 0
    ordered = sorted(addresses)
    keys: dict[str, str] = {}
    rows: list[Participant] = []
    for first in range(0, len(ordered), BATCH):
        batch = ordered[first : first + BATCH]
        same = Participant.objects.annotate(address=Lower("email")).filter(address__in=batch)
        for pk, address, key in same.values_list("pk", "address", "person_key").order_by("pk"):
            if key:
                keys.setdefault(address, key)
            rows.append(Participant(pk=pk, person_key=address))  # the address for now, replaced by its key below
    for row in rows:
        row.person_key = keys.setdefault(row.person_key, secrets.token_hex(PERSON_KEY_BYTES))
    Participant.objects.bulk_update(rows, ["person_key"], batch_size=BATCH)
    return len(rows)


def person_export(*, email: str, actor: Actor, offerings: QuerySet[OfferingPage] | None = None) -> dict:
    """What we hold about one e-mail address (a data access request) on `offerings` (None: across the network);
    each registration it touches logs the export."""
    data = person_data(email=email, offerings=offerings)
    participants, contacts = person_records(email=data["email"], offerings=offerings)
    registrations = set(participants.values_list("registration_id", flat=True))
    registrations |= set(contacts.values_list("pk", flat=True))
    for pk in registrations:
        log_entry_create(registration=Registration(pk=pk), action=LogAction.EXPORTED, actor=actor)
    return data


def person_erase(
    *, email: str, actor: Actor, offerings: QuerySet[OfferingPage] | None = None, now: dt.datetime | None = None
) -> int:
    """Erase one person's data on request: anonymise them wherever they appear on `offerings` (None: across the
    network; a coordinator's erasure leaves other organisations' records alone); seats they held are freed.
    Returns the number of records changed."""
    now = now or timezone.now()
    email = email.strip().lower()
    if not email:
        return 0
    changed = 0
    participants, contacts = person_records(email=email, offerings=offerings)
    # The person's key leaves the rows anonymised earlier too, so nothing links them to each other any more.
    keys = set(participants.exclude(person_key="").values_list("person_key", flat=True))
    if keys:
        Participant.objects.filter(person_key__in=keys).update(person_key="")
    for participant in list(participants.select_related("registration")):
        if participant.status in ACTIVE and participant.offering.end > now:
            participants_cancel(
                registration=participant.registration, participant_ids=[participant.pk], actor=actor, now=now
            )
        with transaction.atomic():
            Participant.objects.filter(pk=participant.pk).update(
                name=ANONYMOUS, email="", job_title="", needs="", token_hash="", person_key="", anonymised_at=now
            )
            _expire_certificates(Certificate.objects.filter(participant=participant.pk), now)
            _end_evaluation_links(EvaluationInvitation.objects.filter(participant=participant.pk))
            experiments_erase(participants=[participant.pk])
            log_entry_create(
                registration=participant.registration,
                action=LogAction.ERASED,
                actor=actor,
                participant=participant,
                now=now,
            )
        changed += 1
    for registration in list(contacts):
        with transaction.atomic():
            Registration.objects.filter(pk=registration.pk).update(
                contact_name=ANONYMOUS, contact_email="", token_hash="", confirm_token_hash=""
            )
            log_entry_create(registration=registration, action=LogAction.ERASED, actor=actor, now=now)
        changed += 1
    # A "tell me when registration opens" request is deleted outright: it is nothing but the address.
    deleted, _ = notification_requests(email=email, offerings=offerings).delete()
    changed += deleted
    outbox_messages(offerings=offerings).filter(to_email=email).delete()
    return changed


def _expire_certificates(certificates, now: dt.datetime) -> None:
    """The certificates go with their holder: the name is removed, and the verification address says "expired"."""
    certificates.update(holder_name="", participant=None, expired_at=now)


def _end_evaluation_links(invitations) -> None:
    """The evaluation link stops working (and no reminder goes); the invitation stays, so the response rate stays
    right. The responses stay too: they hold no person."""
    invitations.update(token_hash="")
