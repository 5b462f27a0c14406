"""The reads of registration: counts, availability, the waiting list, manage links, one person's data."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import CourseDayKind, CoursePage, CourseSession
from network.models import OfferingPage, OfferingTrack, Region, Status

from .experiments import person_experiments
from .models import (
    ContactStatus,
    EligibilityRound,
    OfferingTally,
    OutboxMessage,
    OutboxStatus,
    Participant,
    ParticipantStatus,
    Registration,
    RegistrationLogEntry,
    SessionAttendance,
)
from .notify_models import NotificationRequest
from .scope import editable_scope


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


# --- One offering --------------------------------------------------------------------------------------------------


def participant_counts(*, offering_id: int) -> dict[str, int]:
    """Participants per status on one offering, in one query."""
    rows = Participant.objects.filter(offering_id=offering_id).values("status").annotate(n=Count("pk"))
    result = dict.fromkeys(ParticipantStatus.values, 0)
    result.update({row["status"]: row["n"] for row in rows})
    return result


def offering_closes_at(*, offering: OfferingPage) -> dt.datetime:
    return offering.registration_closes or offering.start


def offering_track_names(*, offering: OfferingPage) -> list[str]:
    """The names of the offering's tracks, in the editor's order: what a participant may choose (none: no choice).
    Read from `tracks.all()`, so a page being edited or previewed gives its unsaved tracks too."""
    return [track.name for track in offering.tracks.all()]


def participant_track_names(*, offering: OfferingPage) -> list[str]:
    """The track names the offering's participants have, in the editor's order of the tracks, then names no track has
    any longer (a track renamed or removed after they registered), by name. One query."""
    position = OfferingTrack.objects.filter(page=offering, name=OuterRef("track")).values("sort_order")[:1]
    names = (
        Participant.objects.filter(offering=offering)
        .exclude(track="")
        .annotate(position=Subquery(position))
        .order_by(F("position").asc(nulls_last=True), "track")
        .values_list("track", flat=True)
        .distinct()
    )
    return list(names)


def offering_change_deadline(*, offering: OfferingPage) -> dt.datetime:
    return offering.change_deadline or offering.start


def offering_first_opening(
    *, offering: OfferingPage, rounds: list[EligibilityRound] | None = None
) -> dt.datetime | None:
    """When the first library may register: the earliest round, else `registration_opens` (None: already open)."""
    rounds = list(offering.registration_rounds.all()) if rounds is None else rounds
    if rounds:
        return min(r.opens_at for r in rounds)
    return offering.registration_opens


def next_round_opening(now: dt.datetime) -> dt.datetime | None:
    """The next time a registration round of a live offering opens (the page cache's lifetimes); one query."""
    rounds = EligibilityRound.objects.filter(opens_at__gt=now, page__live=True)
    return rounds.aggregate(first=Min("opens_at"))["first"]


def registration_state(
    *, enabled: bool, cancelled: bool, opens: dt.datetime | None, closes: dt.datetime, now: dt.datetime
) -> str:
    """Where registration to an offering stands: disabled, cancelled, closed, not_open or open (the offering page's
    box and the listings' cards read it alike)."""
    if not enabled:
        return "disabled"
    if cancelled:
        return "cancelled"
    if now >= closes:
        return "closed"
    if opens and now < opens:
        return "not_open"
    return "open"


def offering_availability(
    *, offering: OfferingPage, now: dt.datetime | None = None, tally: dict[str, int] | None = None
) -> Availability:
    """`tally`: the offering's `participant_counts`, when the caller has them already."""
    now = now or timezone.now()
    tally = participant_counts(offering_id=offering.pk) if tally is None else tally
    opens = offering_first_opening(offering=offering)
    closes = offering_closes_at(offering=offering)
    state = registration_state(
        enabled=offering.registration_enabled, cancelled=offering.is_cancelled, opens=opens, closes=closes, now=now
    )
    return Availability(
        state=state,
        capacity=offering.capacity,
        confirmed=tally[ParticipantStatus.CONFIRMED],
        waiting=tally[ParticipantStatus.WAITING],
        opens_at=opens,
        closes_at=closes,
    )


def offering_seats_left(*, offering: OfferingPage) -> int | None:
    if offering.capacity is None:
        return None
    confirmed = Participant.objects.filter(offering=offering, status=ParticipantStatus.CONFIRMED).count()
    return max(offering.capacity - confirmed, 0)


def waiting_positions(*, offering_id: int) -> dict[int, int]:
    """Participant pk → place on the waiting list (1, 2, 3, ...), in the order they joined it."""
    waiting = Participant.objects.filter(offering_id=offering_id, status=ParticipantStatus.WAITING)
    return {pk: place for place, pk in enumerate(waiting.order_by("queued_at", "pk").values_list("pk", flat=True), 1)}


def waiting_count(*, offering_id: int) -> int:
    return Participant.objects.filter(offering_id=offering_id, status=ParticipantStatus.WAITING).count()


@dataclasses.dataclass
class ActionPreview:
    """What a coordinator's cancel or promote would do, shown before it is done: who moves up from the waiting list
    (`promoted`), and who is e-mailed ((name, address, why) each). `refusal` is the Danish reason it cannot be done."""

    participant: Participant
    promoted: list[Participant] = dataclasses.field(default_factory=list)
    recipients: list[tuple[str, str, str]] = dataclasses.field(default_factory=list)
    refusal: str = ""


def _told(preview: ActionPreview, participant: Participant, about: str, contact_about: str) -> None:
    """The participant and their contact are e-mailed, as `emails` does: nobody until the contact has confirmed."""
    registration = participant.registration
    if not registration.is_contact_confirmed:
        return
    if participant.email:
        preview.recipients.append((participant.name, participant.email, about))
    if registration.contact_email and registration.contact_email != participant.email:
        preview.recipients.append((registration.contact_name, registration.contact_email, contact_about))


def participant_cancel_preview(*, participant: Participant, now: dt.datetime | None = None) -> ActionPreview:
    """What cancelling `participant` would do now: the seat (if they hold one) goes to the first on the waiting list,
    as `services.participants_cancel` gives it; a seat already free goes on with it."""
    now = now or timezone.now()
    preview = ActionPreview(participant)
    if participant.status == ParticipantStatus.CANCELLED:
        preview.refusal = _("%(name)s er allerede afmeldt.") % {"name": participant.name}
        return preview
    _told(preview, participant, _("afmeldingen"), _("afmeldingen, som kontaktperson"))
    offering = participant.offering
    if now >= offering.end:
        return preview
    free = offering_seats_left(offering=offering)
    queue = (
        Participant.objects.filter(offering=offering, status=ParticipantStatus.WAITING)
        .exclude(pk=participant.pk)
        .select_related("registration")
        .order_by("queued_at", "pk")
    )
    if free is None:
        preview.promoted = list(queue)
    else:
        free += participant.status == ParticipantStatus.CONFIRMED
        preview.promoted = list(queue[:free]) if free else []
    for promoted in preview.promoted:
        _told(preview, promoted, _("pladsen fra ventelisten"), _("pladsen fra ventelisten, som kontaktperson"))
    return preview


def participant_promote_preview(*, participant: Participant) -> ActionPreview:
    """What giving `participant` a seat from the waiting list would do now, or why it cannot be done."""
    preview = ActionPreview(participant)
    if participant.status != ParticipantStatus.WAITING:
        preview.refusal = _("%(name)s står ikke på ventelisten.") % {"name": participant.name}
    elif offering_seats_left(offering=participant.offering) == 0:
        preview.refusal = _("Der er ingen ledige pladser. Hæv antallet af pladser eller afmeld en deltager først.")
    else:
        _told(preview, participant, _("pladsen"), _("pladsen, som kontaktperson"))
    return preview


AUDIENCE_STATUSES = {
    "all": (ParticipantStatus.CONFIRMED, ParticipantStatus.WAITING),
    "confirmed": (ParticipantStatus.CONFIRMED,),
    "waiting": (ParticipantStatus.WAITING,),
}


def message_recipients(*, offering: OfferingPage, audience: str) -> QuerySet[Participant]:
    """Who a coordinator's message to `audience` reaches: participants with an address whose contact has confirmed
    (until then nobody but the contact is written to), in the order they registered."""
    return (
        Participant.objects.filter(
            offering=offering,
            status__in=AUDIENCE_STATUSES[audience],
            registration__contact_status=ContactStatus.CONFIRMED,
            anonymised_at=None,
        )
        .exclude(email="")
        .order_by("queued_at", "pk")
    )


def message_audience_counts(*, offering: OfferingPage) -> dict[str, int]:
    """How many each audience of a coordinator's message reaches, in one query."""
    reached = message_recipients(offering=offering, audience="all")
    counts = reached.aggregate(
        confirmed=Count("pk", filter=Q(status=ParticipantStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=ParticipantStatus.WAITING)),
    )
    return {"all": counts["confirmed"] + counts["waiting"], **counts}


def coordinator_messages(*, offering: OfferingPage) -> list:
    """The messages coordinators sent to the offering's participants, newest first, with who sent them."""
    return list(offering.coordinator_messages.select_related("sent_by"))


def offering_log_entries(*, offering: OfferingPage, limit: int) -> list[RegistrationLogEntry]:
    """The latest changes to the offering's registrations, newest first."""
    entries = RegistrationLogEntry.objects.filter(registration__offering=offering)
    return list(entries.select_related("actor", "participant").order_by("-created_at", "-pk")[:limit])


# --- The manage link -----------------------------------------------------------------------------------------------


def registration_by_link(*, public_id, token: str) -> Registration | None:
    """The registration a manage link points at, or None. The token is compared in constant time."""
    registration = (
        Registration.objects.select_related("offering", "library").filter(public_id=public_id).first()
        if public_id
        else None
    )
    if registration is None or registration.anonymised_at or not registration.token_matches(token):
        return None
    return registration


# --- Attendance on a course's days ---------------------------------------------------------------------------------


def course_days(*, course: CoursePage) -> list[CourseSession]:
    """The course days (not the activities between them) attendance is kept for, in the course's order."""
    return list(CourseSession.objects.filter(page=course, kind=CourseDayKind.COURSE_DAY))


def attendance_grid(*, course: CoursePage) -> dict[tuple[int, int], bool]:
    """(participant pk, session pk) → attended, for what has been recorded on the course."""
    rows = SessionAttendance.objects.filter(session__page=course)
    rows = rows.values_list("participant_id", "session_id", "attended")
    return {(participant, session): attended for participant, session, attended in rows}


def attendance_rows(*, course: CoursePage, days: list[CourseSession]) -> list[tuple[Participant, list]]:
    """Each confirmed participant with (day, attended) for every course day: the admin's grid."""
    grid = attendance_grid(course=course)
    participants = Participant.objects.filter(offering=course, status=ParticipantStatus.CONFIRMED)
    return [
        (participant, [(day, grid.get((participant.pk, day.pk), False)) for day in days])
        for participant in participants.select_related("registration__library", "certificate")
    ]


# --- Across offerings ----------------------------------------------------------------------------------------------


def editable_offerings(user) -> QuerySet[OfferingPage]:
    """The offerings whose page `user` may edit (Wagtail's page permissions, as path ranges: `scope.py`): what a
    coordinator sees of registrations, the outbox and one person's data."""
    return editable_scope(user).offerings()


def outbox_messages(*, offerings: QuerySet[OfferingPage] | None) -> QuerySet[OutboxMessage]:
    """The e-mails about registrations for `offerings` (None: every e-mail, also those whose offering is gone)."""
    messages = OutboxMessage.objects.all()
    if offerings is None:
        return messages
    return messages.filter(Q(registration__offering__in=offerings) | Q(offering__in=offerings))


def registrations_overview(*, offerings) -> dict:
    """Confirmed participants per library, per region and in all, for the given offerings, and the offerings that
    take or have had registrations (the newest first; a queryset, to be paged and counted by
    `offering_participant_counts`)."""
    # From the tally of confirmed participants per offering and library (`OfferingTally`): a row per library of
    # each offering, where counting the participants would read each one's registration for its library.
    confirmed = OfferingTally.objects.filter(offering__in=offerings, n__gt=0)
    # One grouped pass: the regions and the total are sums of the libraries' rows, not passes of their own.
    per_library = (
        confirmed.values("library", "library__name", "library__municipality__region")
        .annotate(total=Sum("n"))
        .order_by("-total", "library__name")
    )
    regions = dict(Region.choices)
    rows, by_region = [], {}
    for row in per_library:
        region = row["library__municipality__region"]
        by_region[region] = by_region.get(region, 0) + row["total"]
        rows.append(
            {
                "library_id": row["library"],
                "library": row["library__name"],
                "region": regions.get(region, ""),
                "confirmed": row["total"],
            }
        )
    return {
        "per_library": rows,
        "per_region": [{"region": label, "confirmed": by_region.get(value, 0)} for value, label in Region.choices],
        "per_offering": overview_offerings(offerings=offerings),  # a queryset: the view shows one page of it
        "total": sum(by_region.values()),
    }


def overview_offerings(*, offerings) -> QuerySet[OfferingPage]:
    """The offerings that take or have had registrations, the newest first: what a coordinator is working on now."""
    return offerings.filter(
        Q(registration_enabled=True) | Exists(Participant.objects.filter(offering=OuterRef("pk")))
    ).order_by("-start", "-pk")


def offering_participant_counts(offerings: QuerySet[OfferingPage]) -> QuerySet[OfferingPage]:
    """`offerings` with their confirmed, waiting and cancelled participants: for one page of the overview, as the
    count joins every participant of every offering it is given."""
    return offerings.annotate(
        confirmed=Count("participants", filter=Q(participants__status=ParticipantStatus.CONFIRMED)),
        waiting=Count("participants", filter=Q(participants__status=ParticipantStatus.WAITING)),
        cancelled=Count("participants", filter=Q(participants__status=ParticipantStatus.CANCELLED)),
    )


def failed_outbox_count() -> int:
    return OutboxMessage.objects.filter(status=OutboxStatus.FAILED).count()


# --- One person ----------------------------------------------------------------------------------------------------


def person_records(
    *, email: str, offerings: QuerySet[OfferingPage] | None
) -> tuple[QuerySet[Participant], QuerySet[Registration]]:
    """One e-mail address as a participant and as a contact, on `offerings` (None: across the network)."""
    participants = Participant.objects.filter(email=email)
    contacts = Registration.objects.filter(contact_email=email)
    if offerings is not None:
        participants = participants.filter(offering__in=offerings)
        contacts = contacts.filter(offering__in=offerings)
    return participants, contacts


def person_data(*, email: str, offerings: QuerySet[OfferingPage] | None = None) -> dict:
    """Everything we hold about one e-mail address, as a participant or as a contact (for a data access request),
    on `offerings` (None: across the network)."""
    email = email.strip().lower()
    participants, contacts = person_records(email=email, offerings=offerings)
    participants = participants.select_related("offering", "registration__library")
    contacts = contacts.select_related("offering", "library")
    return {
        "email": email,
        "participant": [
            {
                "tilbud": p.offering.title,
                "start": timezone.localtime(p.offering.start).isoformat(),
                "bibliotek": p.registration.library.name,
                "navn": p.name,
                "stilling": p.job_title,
                "spor": p.track,
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
        "besked_om_tilmelding": [
            {
                "tilbud": n.offering.title,
                "bibliotek": n.library.name if n.library else "",
                "oprettet": timezone.localtime(n.created_at).isoformat(),
            }
            for n in notification_requests(email=email, offerings=offerings).select_related("offering", "library")
        ],
        "eksperimenter": person_experiments(participants),
    }


def notification_requests(*, email: str, offerings: QuerySet[OfferingPage] | None) -> QuerySet[NotificationRequest]:
    requests = NotificationRequest.objects.filter(email=email)
    return requests if offerings is None else requests.filter(offering__in=offerings)


# --- The cards of a listing ----------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CardAvailability(Availability):
    waiting_list: bool = True
    explicit_deadline: bool = False  # a deadline set by the coordinator, not the start


def card_availabilities(*, offering_ids: list[int], now: dt.datetime) -> dict[int, CardAvailability]:
    """offering pk → Availability, for the shown offerings that take registration and have not ended: one query.

    A listing's cards say whether seats are left; counting per card would cost a query each.
    """
    first_round = EligibilityRound.objects.filter(page_id=OuterRef("pk")).order_by("opens_at").values("opens_at")[:1]
    rows = (
        OfferingPage.objects.filter(pk__in=offering_ids, registration_enabled=True, end__gt=now)
        .values("pk", "status", "capacity", "waiting_list", "start", "registration_opens", "registration_closes")
        .annotate(
            confirmed=Count("participants", filter=Q(participants__status=ParticipantStatus.CONFIRMED)),
            waiting=Count("participants", filter=Q(participants__status=ParticipantStatus.WAITING)),
            first_round=Subquery(first_round),
        )
    )
    result = {}
    for row in rows:
        opens = row["first_round"] or row["registration_opens"]
        closes = row["registration_closes"] or row["start"]
        state = registration_state(
            enabled=True, cancelled=row["status"] == Status.CANCELLED, opens=opens, closes=closes, now=now
        )
        result[row["pk"]] = CardAvailability(
            state=state,
            capacity=row["capacity"],
            confirmed=row["confirmed"],
            waiting=row["waiting"],
            opens_at=opens,
            closes_at=closes,
            waiting_list=row["waiting_list"],
            explicit_deadline=row["registration_closes"] is not None,
        )
    return result
