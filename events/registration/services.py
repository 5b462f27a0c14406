"""The changes to registrations, each in one transaction: take the offering's lock, check, write.

No offering is ever overbooked; a change's e-mails are stored in its transaction and delivered after it commits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.models import CoursePage
from network.models import Library, OfferingPage

from . import emails
from .errors import RegistrationError
from .locking import offering_lock
from .models import (
    ContactStatus,
    CoordinatorMessage,
    LogAction,
    Participant,
    ParticipantStatus,
    Registration,
    RegistrationLogEntry,
    SessionAttendance,
)
from .rules import check_changes_allowed, check_library_limit, check_open, check_participants
from .selectors import attendance_grid, course_days, message_recipients, offering_seats_left, waiting_positions
from .tally import tally_change
from .values import ACTIVE, CONTACT, SYSTEM, Actor, ParticipantData


@dataclasses.dataclass
class RegistrationResult:
    """`token` opens the manage page (blank until the contact has confirmed the address); `confirm_token` is the one
    the confirmation e-mail carries (blank when the address was confirmed already)."""

    registration: Registration
    token: str
    confirmed: list[Participant]
    waiting: list[Participant]
    confirm_token: str = ""


# --- The log -------------------------------------------------------------------------------------------------------


def _log_entry(registration, action: str, actor: Actor, participant=None, detail: str = "", now=None):
    return RegistrationLogEntry(
        registration=registration,
        participant=participant,
        action=action,
        actor=actor.user,
        actor_role=actor.role,
        detail=detail[:200],
        created_at=now or timezone.now(),
    )


def log_entry_create(
    *, registration, action: str, actor: Actor, participant=None, detail: str = "", now=None
) -> RegistrationLogEntry:
    """Who changed what on a registration, and when."""
    entry = _log_entry(registration, action, actor, participant, detail, now)
    entry.save()
    return entry


def _log_each(action: str, actor: Actor, participants: list[Participant], now: dt.datetime) -> None:
    """One log entry per participant (each under its own registration), in one INSERT."""
    RegistrationLogEntry.objects.bulk_create(
        [_log_entry(p.registration, action, actor, participant=p, now=now) for p in participants]
    )


# --- Seats ---------------------------------------------------------------------------------------------------------


def _set_status(participants: list[Participant], status: str, now: dt.datetime) -> None:
    """Give the participants a new status (and its time stamp) in one UPDATE, and in memory."""
    stamp = {ParticipantStatus.CONFIRMED: "confirmed_at", ParticipantStatus.CANCELLED: "cancelled_at"}[status]
    Participant.objects.filter(pk__in=[p.pk for p in participants]).update(status=status, **{stamp: now})
    # The dashboard's tally counts confirmed seats: in for those who get one, out for those who lose it.
    if status == ParticipantStatus.CONFIRMED:
        tally_change(participants=[p for p in participants if p.status != status], delta=1)
    else:
        tally_change(participants=[p for p in participants if p.status == ParticipantStatus.CONFIRMED], delta=-1)
    for participant in participants:
        participant.status = status
        setattr(participant, stamp, now)


def _give_seats(participants: list[Participant], actor: Actor, now: dt.datetime) -> None:
    """Waiting participants get a seat each: confirmed, logged, and told (with their contact)."""
    _set_status(participants, ParticipantStatus.CONFIRMED, now)
    _log_each(LogAction.PROMOTED, actor, participants, now)
    for participant in participants:
        emails.promoted(participant)


def _locked_for_change(registration: Registration, actor: Actor, now: dt.datetime) -> OfferingPage:
    """Take the offering's lock for a change to `registration` (a contact gives up when it is busy, a coordinator
    waits); the offering as it is now. A contact may change nothing after the change deadline."""
    offering_lock(offering_id=registration.offering_id, timed=actor.role == "contact")
    offering = OfferingPage.objects.get(pk=registration.offering_id)
    registration.offering = offering
    check_changes_allowed(registration, actor, now)
    return offering


def _seat(offering: OfferingPage, registration: Registration, people: list[ParticipantData], now) -> tuple:
    """Insert participants in order: confirmed while seats remain, then waiting (or refuse, without a list).
    Each participant on the waiting list gets its place in the queue as `position`."""
    # One query under the lock: the seats and the waiting list as published now, and how they are taken.
    taken = (
        OfferingPage.objects.filter(pk=offering.pk)
        .values("capacity", "waiting_list")
        .annotate(
            confirmed=Count("participants", filter=Q(participants__status=ParticipantStatus.CONFIRMED)),
            waiting=Count("participants", filter=Q(participants__status=ParticipantStatus.WAITING)),
            last_queued=Max("participants__queued_at"),
        )
        .get()
    )
    offering.capacity, offering.waiting_list = taken["capacity"], taken["waiting_list"]
    free = None if offering.capacity is None else max(offering.capacity - taken["confirmed"], 0)
    if free is not None and len(people) > free and not offering.waiting_list:
        if free == 0:
            raise RegistrationError(_("Der er ikke flere ledige pladser."), "full")
        raise RegistrationError(
            ngettext(
                "Der er kun %(free)d ledig plads.",
                "Der er kun %(free)d ledige pladser.",
                free,
            )
            % {"free": free},
            "full",
        )
    # Stamped under the lock, after everyone already in the queue: `now` may have been read before the lock and
    # another process's clock may be ahead, but a newcomer never jumps ahead of people already told their place.
    queued_at = max(now, timezone.now(), taken["last_queued"] or now)
    position = taken["waiting"]
    confirmed, waiting = [], []
    for person in people:
        takes_seat = free is None or free > 0
        participant = Participant(
            registration=registration,
            offering=offering,
            name=person.name.strip(),
            email=person.email.strip().lower(),
            job_title=person.job_title.strip(),
            track=person.track,
            needs=person.needs.strip(),
            status=ParticipantStatus.CONFIRMED if takes_seat else ParticipantStatus.WAITING,
            queued_at=queued_at,
            confirmed_at=now if takes_seat else None,
        )
        if not takes_seat:
            position += 1
            participant.position = position
        (confirmed if takes_seat else waiting).append(participant)
        if free is not None and takes_seat:
            free -= 1
    try:
        # One INSERT; PostgreSQL and SQLite (3.35 and later) return the primary keys, in this order.
        Participant.objects.bulk_create(confirmed + waiting)
    except IntegrityError as error:  # the unique e-mail constraint: a second line of defence behind the check
        # The caller's transaction is spoiled and rolls back as this error leaves it: nothing is written.
        raise RegistrationError(_("En af deltagerne er allerede tilmeldt."), "already_registered") from error
    tally_change(participants=confirmed, delta=1)
    return confirmed, waiting


def _holds_release(offering: OfferingPage, now: dt.datetime) -> bool:
    """Cancel the participants of holds that ran out unconfirmed (nobody is told: nobody was told of them).
    Call under the lock; whether any seat or place was freed. The caller gives freed seats on (`_seats_fill`)."""
    expired = list(
        Registration.objects.filter(
            offering_id=offering.pk, contact_status=ContactStatus.UNCONFIRMED, hold_until__lte=now
        ).values_list("pk", flat=True)
    )
    if not expired:
        return False
    Registration.objects.filter(pk__in=expired).update(contact_status=ContactStatus.EXPIRED)
    freed = list(
        Participant.objects.filter(registration_id__in=expired, status__in=ACTIVE).select_related("registration")
    )
    if freed:
        _set_status(freed, ParticipantStatus.CANCELLED, now)
        _log_each(LogAction.EXPIRED, SYSTEM, freed, now)
    return bool(freed)


def _seats_fill(offering: OfferingPage, now: dt.datetime) -> list[Participant]:
    """Promote from the waiting list, first come first served, while seats are free. Call under the lock."""
    _holds_release(offering, now)
    free = offering_seats_left(offering=offering)
    queue = Participant.objects.filter(offering=offering, status=ParticipantStatus.WAITING).order_by("queued_at", "pk")
    promoted = list(
        queue.select_related("registration") if free is None else queue.select_related("registration")[:free]
    )
    if promoted:
        _give_seats(promoted, SYSTEM, now)
    return promoted


# --- The changes ---------------------------------------------------------------------------------------------------


def registration_create(
    *,
    offering: OfferingPage,
    library: Library,
    contact_name: str,
    contact_email: str,
    participants: list[ParticipantData],
    consent: bool,
    contact_confirmed: bool,
    language: str = "",
    actor: Actor = CONTACT,
    now: dt.datetime | None = None,
) -> RegistrationResult:
    """Register participants from one library. Raises RegistrationError (nothing is written) when a rule refuses.
    Unless `contact_confirmed` (this browser confirmed the address before), the seats are held for
    REGISTRATION_HOLD_MINUTES and only the contact is written to, with a confirmation link (`registration_confirm`).
    A coordinator (`actor`) registering by hand may do so outside the opening, deadline and rounds (`check_open`);
    the seats, the waiting list and the maximum per library hold for them too."""
    now = now or timezone.now()
    if not consent:
        raise RegistrationError(_("Du skal acceptere privatlivserklæringen for at tilmelde."), "consent")
    # Not durable: the demo registers inside its own transaction, and a caller's rollback takes this one with it.
    with transaction.atomic():
        # What does not depend on the seats is checked and written before the lock, so the lock is held only
        # while seats are counted and given. An e-mail taken meanwhile is refused by the unique constraint.
        offering = OfferingPage.objects.get(pk=offering.pk)  # fresh
        check_open(offering, library, now, actor=actor)
        check_participants(participants, offering, now)
        registration = Registration(
            offering=offering,
            library=library,
            contact_name=contact_name.strip(),
            contact_email=contact_email.strip().lower(),
            consent_at=now,
            privacy_notice_version=settings.REGISTRATION_PRIVACY_NOTICE_VERSION,
            created_at=now,
            language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
        )
        token = confirm_token = ""
        if contact_confirmed:
            token = registration.set_new_token()
        else:
            confirm_token = registration.set_confirm_token()
            registration.contact_status = ContactStatus.UNCONFIRMED
            registration.hold_until = now + dt.timedelta(minutes=settings.REGISTRATION_HOLD_MINUTES)
        registration.save()
        offering_lock(offering_id=offering.pk)  # until commit: the seats, the library's maximum, the queue
        _holds_give_on(offering, now)
        check_library_limit(offering, library, len(participants))
        confirmed, waiting = _seat(offering, registration, participants, now)
        by_hand = ", tilmeldt af koordinator" if actor.role == "coordinator" else ""
        log_entry_create(
            registration=registration,
            action=LogAction.REGISTERED,
            actor=actor,
            detail=f"{len(confirmed)} bekræftet, {len(waiting)} venter{by_hand}",
        )
        if contact_confirmed:
            emails.registered(registration, token, confirmed, waiting)
        else:
            emails.confirmation_request(registration, confirm_token, confirmed + waiting)
    return RegistrationResult(registration, token, confirmed, waiting, confirm_token)


def _holds_give_on(offering: OfferingPage, now: dt.datetime) -> None:
    """Under the lock, before seats are counted: expired holds free their seats, and the waiting list gets them first,
    so the holds run out on time even when no worker runs `expire_registration_holds`."""
    if _holds_release(offering, now) and now < offering.end:
        _seats_fill(offering, now)


def registration_confirm(*, registration: Registration, now: dt.datetime | None = None) -> str:
    """The contact has opened the confirmation link in time: the registration is confirmed, the contact gets the receipt
    with the manage link (the token returned) and each participant hears of their seat or place. Already confirmed: "".
    Raises RegistrationError ("expired") when the hold has run out; then nothing changes."""
    with transaction.atomic(durable=True):
        # Under the lock: the hold cannot run out (`_holds_release`) between this check and the confirmation; the
        # time is read once the lock is held (a visitor may have waited for it).
        offering_lock(offering_id=registration.offering_id)
        now = now or timezone.now()
        registration = Registration.objects.select_related("offering", "library").get(pk=registration.pk)
        if registration.contact_status == ContactStatus.CONFIRMED:
            return ""
        if registration.contact_status == ContactStatus.EXPIRED or registration.hold_until <= now:
            raise RegistrationError(
                _(
                    "Linket er udløbet, og pladserne er givet videre. Tilmeld deltagerne igen, "
                    "hvis der stadig er plads."
                ),
                "expired",
            )
        token = registration.set_new_token()
        registration.contact_status = ContactStatus.CONFIRMED
        registration.hold_until = None
        registration.save(update_fields=["token_hash", "contact_status", "hold_until"])
        log_entry_create(registration=registration, action=LogAction.CONFIRMED, actor=CONTACT, now=now)
        participants = list(registration.participants.filter(status__in=ACTIVE).order_by("queued_at", "pk"))
        waiting = [p for p in participants if p.status == ParticipantStatus.WAITING]
        positions = waiting_positions(offering_id=registration.offering_id) if waiting else {}
        for participant in waiting:
            participant.position = positions.get(participant.pk)
        confirmed = [p for p in participants if p.status == ParticipantStatus.CONFIRMED]
        emails.registered(registration, token, confirmed, waiting)
    return token


def registration_holds_expire(*, now: dt.datetime | None = None) -> int:
    """Free the seats of every hold that ran out unconfirmed, offering by offering under its lock, and give them to
    the waiting lists; the number of registrations expired. For the worker's schedule: each change of seats does it
    for its own offering as well."""
    now = now or timezone.now()
    due = Registration.objects.filter(contact_status=ContactStatus.UNCONFIRMED, hold_until__lte=now)
    expired = 0
    for offering_id in sorted(set(due.values_list("offering_id", flat=True))):
        with transaction.atomic(durable=True):
            offering_lock(offering_id=offering_id, timed=False)
            expired += due.filter(offering_id=offering_id).count()
            _holds_give_on(OfferingPage.objects.get(pk=offering_id), now)
    return expired


def participants_add(
    *,
    registration: Registration,
    participants: list[ParticipantData],
    actor: Actor = CONTACT,
    now: dt.datetime | None = None,
) -> tuple[list[Participant], list[Participant]]:
    """Add participants to an existing registration, under the same rules as a new one. Returns (confirmed, waiting)."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        offering = _locked_for_change(registration, actor, now)
        _holds_give_on(offering, now)
        registration.refresh_from_db(fields=["contact_status"])
        if registration.contact_status == ContactStatus.EXPIRED:
            raise RegistrationError(_("Tilmeldingen er udløbet, fordi e-mailen ikke blev bekræftet i tide."), "expired")
        check_open(offering, registration.library, now)
        check_participants(participants, offering, now)
        check_library_limit(offering, registration.library, len(participants))
        confirmed, waiting = _seat(offering, registration, participants, now)
        _log_each(LogAction.ADDED, actor, confirmed + waiting, now)
        emails.added(registration, confirmed, waiting)
    return confirmed, waiting


def participants_cancel(
    *,
    registration: Registration,
    participant_ids: list[int] | None = None,
    actor: Actor = CONTACT,
    now: dt.datetime | None = None,
) -> tuple[list[Participant], list[Participant]]:
    """Cancel some (or, with None, all) participants of a registration; freed seats go to the waiting list at once.
    Returns (cancelled, promoted)."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        offering = _locked_for_change(registration, actor, now)
        chosen = registration.participants.filter(status__in=ACTIVE)
        if participant_ids is not None:
            chosen = chosen.filter(pk__in=participant_ids)
        cancelled = list(chosen)
        if not cancelled:
            raise RegistrationError(_("Der er ingen tilmeldte deltagere at afmelde."), "nothing_to_cancel")
        _set_status(cancelled, ParticipantStatus.CANCELLED, now)
        _log_each(LogAction.CANCELLED, actor, cancelled, now)
        emails.cancelled(registration, cancelled)
        promoted = _seats_fill(offering, now) if now < offering.end else []
    return cancelled, promoted


def participant_promote(*, participant: Participant, actor: Actor, now: dt.datetime | None = None) -> Participant:
    """A coordinator moves one participant from the waiting list to a free seat (never beyond capacity)."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        offering_lock(offering_id=participant.offering_id, timed=False)
        offering = OfferingPage.objects.get(pk=participant.offering_id)
        _holds_give_on(offering, now)
        participant = Participant.objects.select_related("registration").get(pk=participant.pk)
        if participant.status != ParticipantStatus.WAITING:
            raise RegistrationError(_("Deltageren står ikke på ventelisten."), "not_waiting")
        if offering_seats_left(offering=offering) == 0:
            raise RegistrationError(
                _("Der er ingen ledige pladser. Hæv antallet af pladser eller afmeld en deltager først."), "full"
            )
        _give_seats([participant], actor, now)
    return participant


def offering_seats_fill(*, offering: OfferingPage, now: dt.datetime | None = None) -> list[Participant]:
    """After a coordinator publishes more seats: give them to the waiting list."""
    now = now or timezone.now()
    if not offering.registration_enabled or now >= offering.end:
        return []
    # Not durable: Wagtail publishes in a transaction of its own and tells us from inside it. Untimed: the publish
    # has happened, and the seats it added must reach the waiting list.
    with transaction.atomic():
        offering_lock(offering_id=offering.pk, timed=False)
        return _seats_fill(OfferingPage.objects.get(pk=offering.pk), now)


def attendance_record(
    *,
    course: CoursePage,
    attended: set[tuple[int, int]],
    actor: Actor,
    now: dt.datetime | None = None,
) -> int:
    """Save the whole grid of one course (every confirmed participant × every course day); returns the cells changed.
    `attended` holds the (participant pk, session pk) pairs that took part, every other cell is absent; pairs outside
    the grid are refused. Each participant whose attendance changed gets one log entry."""
    now = now or timezone.now()
    with transaction.atomic():
        days = {session.pk: session for session in course_days(course=course)}
        confirmed = Participant.objects.filter(offering_id=course.pk, status=ParticipantStatus.CONFIRMED)
        participants = {p.pk: p for p in confirmed.select_related("registration")}
        if any(p not in participants or s not in days for p, s in attended):
            raise RegistrationError(
                _("Fremmødet gælder kun bekræftede deltagere og forløbets kursusgange."), "attendance"
            )
        before = attendance_grid(course=course)
        changed_cells = 0
        for participant in participants.values():
            changes = []
            for session in days.values():
                key = (participant.pk, session.pk)
                value = key in attended
                if before.get(key) == value:
                    continue
                SessionAttendance.objects.update_or_create(
                    participant=participant, session=session, defaults={"attended": value}
                )
                changes.append(f"{session.title}: {'deltog' if value else 'fraværende'}")
            if changes:
                changed_cells += len(changes)
                log_entry_create(
                    registration=participant.registration,
                    action=LogAction.ATTENDANCE,
                    actor=actor,
                    participant=participant,
                    detail="; ".join(changes),
                    now=now,
                )
    return changed_cells


def coordinator_message_send(
    *, offering: OfferingPage, audience: str, subject: str, text: str, actor: Actor, now: dt.datetime | None = None
) -> CoordinatorMessage:
    """A coordinator writes to the participants of an offering (`audience`: "all", "confirmed" or "waiting"): one
    e-mail each through the outbox (retried as the others), and the message kept as the log of who sent what, when.
    Raises RegistrationError when nobody would get it; then nothing is written."""
    now = now or timezone.now()
    subject, text = " ".join(subject.split()), text.strip()
    if not subject or not text:
        raise RegistrationError(_("Skriv både et emne og en tekst."), "empty_message")
    with transaction.atomic():
        recipients = list(message_recipients(offering=offering, audience=audience).select_related("registration"))
        if not recipients:
            raise RegistrationError(_("Ingen deltagere får beskeden: der er ingen at skrive til."), "no_recipients")
        message = CoordinatorMessage.objects.create(
            offering=offering,
            audience=audience,
            subject=subject[:200],
            text=text,
            recipients=len(recipients),
            sent_by=actor.user,
            created_at=now,
        )
        emails.coordinator_message(recipients, subject, text)
    return message
