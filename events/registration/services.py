"""The rules that write registrations: lock the offering, check, insert; all in one transaction.

No overbooking, ever: every change that takes or frees a seat first takes the offering's lock (a transaction-level
advisory lock on PostgreSQL; on SQLite the transaction itself begins IMMEDIATE, see the settings), then counts, then
writes. E-mails are written to the outbox in the same transaction and delivered after it commits.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from network.dates import format_range
from network.models import Library, OfferingPage

from . import emails
from .models import (
    EligibilityRound,
    LogAction,
    OutboxMessage,
    Participant,
    ParticipantStatus,
    Registration,
    RegistrationLogEntry,
)

ACTIVE = (ParticipantStatus.CONFIRMED, ParticipantStatus.WAITING)
# Namespace of our advisory locks, so they never meet another application's on the same PostgreSQL server.
LOCK_NAMESPACE = 4_711


class RegistrationError(Exception):
    """A rule refused the change. `message` is Danish and meant for the person who tried."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclasses.dataclass(frozen=True)
class ParticipantData:
    name: str
    email: str
    job_title: str = ""
    track: str = ""
    needs: str = ""


@dataclasses.dataclass(frozen=True)
class Actor:
    """Who makes a change: the contact (through the manage link), a coordinator (a user) or the system."""

    role: str
    user: object = None

    @classmethod
    def contact(cls) -> Actor:
        return cls("contact")

    @classmethod
    def system(cls) -> Actor:
        return cls("system")

    @classmethod
    def coordinator(cls, user) -> Actor:
        return cls("coordinator", user)


CONTACT = Actor.contact()
SYSTEM = Actor.system()


@dataclasses.dataclass
class RegistrationResult:
    registration: Registration
    token: str
    confirmed: list[Participant]
    waiting: list[Participant]


@dataclasses.dataclass(frozen=True)
class Availability:
    """What the public page shows about registration for an offering at one moment."""

    state: str  # "disabled", "not_open", "open", "closed", "cancelled"
    capacity: int | None
    confirmed: int
    waiting: int
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.confirmed, 0)

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0


# --- Reading -------------------------------------------------------------------------------------------------------


def counts(offering_id: int) -> dict[str, int]:
    """Participants per status on one offering, in one query."""
    rows = Participant.objects.filter(offering_id=offering_id).values("status").annotate(n=Count("pk"))
    result = dict.fromkeys(ParticipantStatus.values, 0)
    result.update({row["status"]: row["n"] for row in rows})
    return result


def closes_at(offering: OfferingPage) -> dt.datetime:
    return offering.registration_closes or offering.start


def change_deadline(offering: OfferingPage) -> dt.datetime:
    return offering.change_deadline or offering.start


def first_opening(offering: OfferingPage, rounds: list[EligibilityRound] | None = None) -> dt.datetime | None:
    """When the first library may register: the earliest round, else `registration_opens` (None: already open)."""
    rounds = list(offering.registration_rounds.all()) if rounds is None else rounds
    if rounds:
        return min(r.opens_at for r in rounds)
    return offering.registration_opens


def availability(offering: OfferingPage, now: dt.datetime | None = None) -> Availability:
    now = now or timezone.now()
    tally = counts(offering.pk)
    opens = first_opening(offering)
    closes = closes_at(offering)
    if not offering.registration_enabled:
        state = "disabled"
    elif offering.is_cancelled:
        state = "cancelled"
    elif now >= closes:
        state = "closed"
    elif opens and now < opens:
        state = "not_open"
    else:
        state = "open"
    return Availability(
        state=state,
        capacity=offering.capacity,
        confirmed=tally[ParticipantStatus.CONFIRMED],
        waiting=tally[ParticipantStatus.WAITING],
        opens_at=opens,
        closes_at=closes,
    )


def waiting_positions(offering_id: int) -> dict[int, int]:
    """Participant pk → place on the waiting list (1, 2, 3, ...), in the order they joined it."""
    waiting = Participant.objects.filter(offering_id=offering_id, status=ParticipantStatus.WAITING)
    return {pk: place for place, pk in enumerate(waiting.order_by("queued_at", "pk").values_list("pk", flat=True), 1)}


def find_registration(public_id, token: str) -> Registration | None:
    """The registration a manage link points at, or None. The token is compared in constant time."""
    registration = (
        Registration.objects.select_related("offering", "library").filter(public_id=public_id).first()
        if public_id
        else None
    )
    if registration is None or registration.anonymised_at or not registration.token_matches(token):
        return None
    return registration


# --- The lock ------------------------------------------------------------------------------------------------------


def lock_offering(offering_id: int) -> None:
    """Serialise every change to the seats of one offering until the surrounding transaction ends."""
    if not settings.REGISTRATION_LOCKING:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, offering_id])
    elif connection.vendor == "sqlite" and not connection.in_atomic_block:
        raise RuntimeError("lock_offering must run inside transaction.atomic()")
    # SQLite: the transaction began IMMEDIATE (settings), so it holds the database's write lock already.


# --- Checks --------------------------------------------------------------------------------------------------------


def check_open(offering: OfferingPage, library: Library, now: dt.datetime) -> None:
    if not offering.registration_enabled or not offering.live:
        raise RegistrationError(_("Der er ikke tilmelding til dette tilbud."), "disabled")
    if offering.is_cancelled:
        raise RegistrationError(_("Tilbuddet er aflyst."), "cancelled")
    if now >= closes_at(offering):
        raise RegistrationError(_("Tilmeldingen er lukket."), "closed")
    rounds = list(offering.registration_rounds.select_related("library_group"))
    opens = first_opening(offering, rounds)
    if opens and now < opens:
        when = format_range(opens)
        raise RegistrationError(_("Tilmeldingen åbner %(when)s.") % {"when": when}, "not_open")
    if rounds:
        open_rounds = [r for r in rounds if r.opens_at <= now]
        if not any(r.library_group_id is None for r in open_rounds):
            group_ids = {r.library_group_id for r in open_rounds}
            if not library.groups.filter(pk__in=group_ids).exists():
                later = sorted(r.opens_at for r in rounds if r.opens_at > now and r.library_group_id is None)
                message = _("Tilmeldingen er foreløbig kun åben for udvalgte biblioteker.")
                if later:
                    when = format_range(later[0])
                    message += " " + _("Alle biblioteker kan tilmelde sig fra %(when)s.") % {"when": when}
                raise RegistrationError(message, "not_eligible")


def check_participants(participants: list[ParticipantData], offering: OfferingPage) -> None:
    """Rules on the submitted list itself (the form has checked each field)."""
    if not participants:
        raise RegistrationError(_("Tilmeld mindst én deltager."), "no_participants")
    limit = settings.REGISTRATION_MAX_PARTICIPANTS_PER_SUBMISSION
    if len(participants) > limit:
        raise RegistrationError(
            _("Du kan højst tilmelde %(limit)d deltagere ad gangen.") % {"limit": limit}, "too_many"
        )
    emails_seen: set[str] = set()
    for person in participants:
        email = person.email.strip().lower()
        if email in emails_seen:
            raise RegistrationError(_("%(email)s står flere gange på listen.") % {"email": email}, "duplicate")
        emails_seen.add(email)
        if person.track and person.track not in offering.registration_tracks:
            raise RegistrationError(_("Vælg et af tilbuddets spor."), "track")
    if offering.registration_tracks and any(not p.track for p in participants):
        raise RegistrationError(_("Vælg et spor for hver deltager."), "track")
    taken = set(
        Participant.objects.filter(offering=offering, status__in=ACTIVE, email__in=emails_seen).values_list(
            "email", flat=True
        )
    )
    if taken:
        raise RegistrationError(
            _("Allerede tilmeldt: %(emails)s.") % {"emails": ", ".join(sorted(taken))}, "already_registered"
        )


def check_library_limit(offering: OfferingPage, library: Library, adding: int) -> None:
    if offering.max_per_library is None:
        return
    already = Participant.objects.filter(offering=offering, registration__library=library, status__in=ACTIVE).count()
    if already + adding > offering.max_per_library:
        left = max(offering.max_per_library - already, 0)
        raise RegistrationError(
            ngettext(
                "Hvert bibliotek kan tilmelde højst %(max)d deltager. I kan tilmelde %(left)d mere.",
                "Hvert bibliotek kan tilmelde højst %(max)d deltagere. I kan tilmelde %(left)d mere.",
                offering.max_per_library,
            )
            % {"max": offering.max_per_library, "left": left},
            "library_limit",
        )


def seats_left(offering: OfferingPage) -> int | None:
    if offering.capacity is None:
        return None
    confirmed = Participant.objects.filter(offering=offering, status=ParticipantStatus.CONFIRMED).count()
    return max(offering.capacity - confirmed, 0)


# --- Writing -------------------------------------------------------------------------------------------------------


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


def log(registration, action: str, actor: Actor, participant=None, detail: str = "", now=None) -> None:
    _log_entry(registration, action, actor, participant, detail, now).save()


def log_each(action: str, actor: Actor, participants: list[Participant], now: dt.datetime) -> None:
    """One log entry per participant (each under its own registration), in one INSERT."""
    RegistrationLogEntry.objects.bulk_create(
        [_log_entry(p.registration, action, actor, participant=p, now=now) for p in participants]
    )


def _set_status(participants: list[Participant], status: str, now: dt.datetime) -> None:
    """Give the participants a new status (and its time stamp) in one UPDATE, and in memory."""
    stamp = {ParticipantStatus.CONFIRMED: "confirmed_at", ParticipantStatus.CANCELLED: "cancelled_at"}[status]
    Participant.objects.filter(pk__in=[p.pk for p in participants]).update(status=status, **{stamp: now})
    for participant in participants:
        participant.status = status
        setattr(participant, stamp, now)


def _give_seats(participants: list[Participant], actor: Actor, now: dt.datetime) -> None:
    """Waiting participants get a seat each: confirmed, logged, and told (with their contact)."""
    _set_status(participants, ParticipantStatus.CONFIRMED, now)
    log_each(LogAction.PROMOTED, actor, participants, now)
    for participant in participants:
        emails.promoted(participant)


def _locked_for_change(registration: Registration, actor: Actor, now: dt.datetime) -> OfferingPage:
    """Take the offering's lock for a change to `registration`; the offering as it is now. A contact may change
    nothing after the change deadline."""
    lock_offering(registration.offering_id)
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
    # The place in the queue is stamped under the lock, after everyone already in it: `now` may have been read
    # before the lock (by the view, or at the start of `register`), and another process's clock may be ahead, but a
    # newcomer must not jump ahead of people already given a seat or told their place (`waiting_positions` orders by
    # queued_at, then pk).
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
    return confirmed, waiting


def register(
    offering: OfferingPage,
    *,
    library: Library,
    contact_name: str,
    contact_email: str,
    participants: list[ParticipantData],
    consent: bool,
    language: str = "",
    now: dt.datetime | None = None,
) -> RegistrationResult:
    """Register participants from one library. Raises RegistrationError (nothing is written) when a rule refuses."""
    now = now or timezone.now()
    if not consent:
        raise RegistrationError(_("Du skal acceptere privatlivserklæringen for at tilmelde."), "consent")
    with transaction.atomic():
        # What does not depend on the seats is checked and written before the lock, so the lock is held only
        # while seats are counted and given. An e-mail taken meanwhile is refused by the unique constraint.
        offering = OfferingPage.objects.get(pk=offering.pk)  # fresh
        check_open(offering, library, now)
        check_participants(participants, offering)
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
        token = registration.set_new_token()
        registration.save()
        lock_offering(offering.pk)  # until commit: the seats, the library's maximum, the queue
        check_library_limit(offering, library, len(participants))
        confirmed, waiting = _seat(offering, registration, participants, now)
        log(registration, LogAction.REGISTERED, CONTACT, detail=f"{len(confirmed)} bekræftet, {len(waiting)} venter")
        emails.registered(registration, token, confirmed, waiting)
    return RegistrationResult(registration, token, confirmed, waiting)


def check_changes_allowed(registration: Registration, actor: Actor, now: dt.datetime) -> None:
    if actor.role == "contact" and now >= change_deadline(registration.offering):
        raise RegistrationError(
            _("Fristen for ændringer er overskredet. Kontakt arrangøren, hvis du skal ændre noget."), "deadline"
        )


def add_participants(
    registration: Registration,
    participants: list[ParticipantData],
    *,
    actor: Actor = CONTACT,
    now: dt.datetime | None = None,
) -> tuple[list[Participant], list[Participant]]:
    """Add participants to an existing registration, under the same rules as a new one."""
    now = now or timezone.now()
    with transaction.atomic():
        offering = _locked_for_change(registration, actor, now)
        check_open(offering, registration.library, now)
        check_participants(participants, offering)
        check_library_limit(offering, registration.library, len(participants))
        confirmed, waiting = _seat(offering, registration, participants, now)
        log_each(LogAction.ADDED, actor, confirmed + waiting, now)
        emails.added(registration, confirmed, waiting)
    return confirmed, waiting


def fill_free_seats(offering: OfferingPage, now: dt.datetime) -> list[Participant]:
    """Promote from the waiting list, first come first served, while seats are free. Call under the lock."""
    free = seats_left(offering)
    queue = Participant.objects.filter(offering=offering, status=ParticipantStatus.WAITING).order_by("queued_at", "pk")
    promoted = list(
        queue.select_related("registration") if free is None else queue.select_related("registration")[:free]
    )
    if promoted:
        _give_seats(promoted, SYSTEM, now)
    return promoted


def cancel_participants(
    registration: Registration,
    participant_ids: list[int] | None = None,
    *,
    actor: Actor = CONTACT,
    now: dt.datetime | None = None,
) -> tuple[list[Participant], list[Participant]]:
    """Cancel some (or, with None, all) participants of a registration; freed seats go to the waiting list at once.

    Returns (cancelled, promoted).
    """
    now = now or timezone.now()
    with transaction.atomic():
        offering = _locked_for_change(registration, actor, now)
        chosen = registration.participants.filter(status__in=ACTIVE)
        if participant_ids is not None:
            chosen = chosen.filter(pk__in=participant_ids)
        cancelled = list(chosen)
        if not cancelled:
            raise RegistrationError(_("Der er ingen tilmeldte deltagere at afmelde."), "nothing_to_cancel")
        _set_status(cancelled, ParticipantStatus.CANCELLED, now)
        log_each(LogAction.CANCELLED, actor, cancelled, now)
        emails.cancelled(registration, cancelled)
        promoted = fill_free_seats(offering, now) if now < offering.end else []
    return cancelled, promoted


def promote(participant: Participant, *, actor: Actor, now: dt.datetime | None = None) -> Participant:
    """A coordinator moves one participant from the waiting list to a free seat (never beyond capacity)."""
    now = now or timezone.now()
    with transaction.atomic():
        lock_offering(participant.offering_id)
        offering = OfferingPage.objects.get(pk=participant.offering_id)
        participant = Participant.objects.select_related("registration").get(pk=participant.pk)
        if participant.status != ParticipantStatus.WAITING:
            raise RegistrationError(_("Deltageren står ikke på ventelisten."), "not_waiting")
        free = seats_left(offering)
        if free == 0:
            raise RegistrationError(
                _("Der er ingen ledige pladser. Hæv antallet af pladser eller afmeld en deltager først."), "full"
            )
        _give_seats([participant], actor, now)
    return participant


def offering_changed(offering: OfferingPage, now: dt.datetime | None = None) -> list[Participant]:
    """After a coordinator publishes more seats: give them to the waiting list."""
    now = now or timezone.now()
    if not offering.registration_enabled or now >= offering.end:
        return []
    with transaction.atomic():
        lock_offering(offering.pk)
        return fill_free_seats(OfferingPage.objects.get(pk=offering.pk), now)


# --- Privacy -------------------------------------------------------------------------------------------------------

ANONYMOUS = "Anonymiseret"


def _anonymise(participants, registrations, now) -> None:
    participants.update(name=ANONYMOUS, email="", job_title="", needs="", anonymised_at=now)
    registrations.update(contact_name=ANONYMOUS, contact_email="", token_hash="", anonymised_at=now)


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day `months` earlier; the month's last day when it is shorter (31 May - 3 months: 28/29 Feb)."""
    year, month = divmod(moment.month - 1 - months, 12)
    year += moment.year
    month += 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def anonymise_expired(now: dt.datetime | None = None) -> int:
    """Anonymise registrations of offerings that ended more than the retention period ago; keep the counts.

    Returns the number of registrations anonymised. Sent e-mails of those registrations are deleted as well.
    """
    now = now or timezone.now()
    cutoff = months_before(now, settings.REGISTRATION_RETENTION_MONTHS)
    expired = Registration.objects.filter(offering__end__lt=cutoff, anonymised_at__isnull=True)
    ids = list(expired.values_list("pk", flat=True))
    if not ids:
        return 0
    with transaction.atomic():
        _anonymise(Participant.objects.filter(registration_id__in=ids), Registration.objects.filter(pk__in=ids), now)
        OutboxMessage.objects.filter(registration_id__in=ids).delete()
        RegistrationLogEntry.objects.bulk_create(
            RegistrationLogEntry(registration_id=pk, action=LogAction.ANONYMISED, actor_role="system", created_at=now)
            for pk in ids
        )
    return len(ids)


def person_data(email: str) -> dict:
    """Everything we hold about one e-mail address, as a participant or as a contact (for a data access request)."""
    email = email.strip().lower()
    participants = Participant.objects.filter(email=email).select_related("offering", "registration__library")
    contacts = Registration.objects.filter(contact_email=email).select_related("offering", "library")
    return {
        "email": email,
        "participant": [
            {
                "tilbud": p.offering.title,
                "start": timezone.localtime(p.offering.start).isoformat(),
                "bibliotek": p.registration.library.name,
                "navn": p.name,
                "stilling": p.job_title,
                "spor": p.get_track_display(),
                "behov": p.needs,
                "status": p.get_status_display(),
                "tilmeldt": timezone.localtime(p.queued_at).isoformat(),
            }
            for p in participants
        ],
        "kontaktperson": [
            {
                "tilbud": r.offering.title,
                "bibliotek": r.library.name,
                "navn": r.contact_name,
                "samtykke": timezone.localtime(r.consent_at).isoformat(),
                "privatlivserklæring": r.privacy_notice_version,
            }
            for r in contacts
        ],
    }


def export_person(email: str, *, actor: Actor) -> dict:
    data = person_data(email)
    registrations = {p.registration_id for p in Participant.objects.filter(email=data["email"])}
    registrations |= set(Registration.objects.filter(contact_email=data["email"]).values_list("pk", flat=True))
    for pk in registrations:
        log(Registration(pk=pk), LogAction.EXPORTED, actor)
    return data


def erase_person(email: str, *, actor: Actor, now: dt.datetime | None = None) -> int:
    """Erase one person's data on request: anonymise them wherever they appear; seats they held are freed.

    Returns the number of records changed.
    """
    now = now or timezone.now()
    email = email.strip().lower()
    if not email:
        return 0
    changed = 0
    for participant in list(Participant.objects.filter(email=email).select_related("registration")):
        if participant.status in ACTIVE and participant.offering.end > now:
            cancel_participants(participant.registration, [participant.pk], actor=actor, now=now)
        with transaction.atomic():
            Participant.objects.filter(pk=participant.pk).update(
                name=ANONYMOUS, email="", job_title="", needs="", anonymised_at=now
            )
            log(participant.registration, LogAction.ERASED, actor, participant=participant, now=now)
        changed += 1
    for registration in Registration.objects.filter(contact_email=email):
        with transaction.atomic():
            Registration.objects.filter(pk=registration.pk).update(
                contact_name=ANONYMOUS, contact_email="", token_hash=""
            )
            log(registration, LogAction.ERASED, actor, now=now)
        changed += 1
    OutboxMessage.objects.filter(to_email=email).delete()
    return changed


__all__ = [
    "ACTIVE",
    "Actor",
    "Availability",
    "ParticipantData",
    "RegistrationError",
    "RegistrationResult",
]
