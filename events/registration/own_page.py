"""Reads for the participant's own page and a certificate's verification: who may open them, and what they show."""

from __future__ import annotations

import datetime as dt
import re

from events.models import CourseDayKind, CoursePage

from .certificates import days_needed
from .models import Certificate, Participant, ParticipantStatus, SessionAttendance
from .selectors import waiting_positions

CERTIFICATE_CODE_RE = re.compile(r"[A-Za-z0-9_-]{16,40}")


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate with this verification code, with its course; None for a code that is not one."""
    if not CERTIFICATE_CODE_RE.fullmatch(code or ""):
        return None
    return Certificate.objects.select_related("offering").filter(code=code).first()


def participant_by_id(participant_id: int) -> Participant | None:
    """The participant with what their page shows (registration, library, certificate); None when erased."""
    participant = (
        Participant.objects.select_related("registration__library", "offering", "certificate")
        .filter(pk=participant_id, anonymised_at__isnull=True)
        .first()
    )
    return participant


def participant_by_link(*, participant_id: int, token: str) -> Participant | None:
    """The participant whose own-page link this is (compared in constant time), or None."""
    participant = participant_by_id(participant_id)
    if participant is None or not participant.token_matches(token):
        return None
    return participant


def participant_page_context(*, participant: Participant, now: dt.datetime) -> dict:
    """What a participant's own page shows: the offering, its steps (a course's days and what lies between them),
    the place on the waiting list, and the certificate once it is issued."""
    offering = participant.offering.specific
    steps = list(offering.sessions.select_related("municipality")) if isinstance(offering, CoursePage) else []
    position = None
    if participant.status == ParticipantStatus.WAITING:
        position = waiting_positions(offering_id=offering.pk).get(participant.pk)
    try:
        certificate = participant.certificate
    except Certificate.DoesNotExist:
        certificate = None
    return {
        "page": offering,
        "offering": offering,
        "participant": participant,
        "registration": participant.registration,
        "steps": steps,
        "position": position,
        "certificate": certificate if certificate and not certificate.is_expired else None,
        "ended": offering.end <= now,
        "attendance_short": _attendance_short(participant, offering, steps, certificate, now),
    }


def _attendance_short(participant, offering, steps, certificate, now) -> dict | None:
    """Once the course has ended and attendance is recorded for every course day: the days attended, of how many, and
    the days a certificate needs, when they fall short; else None (the page says the certificate is on its way)."""
    if certificate or offering.end > now or participant.status != ParticipantStatus.CONFIRMED:
        return None
    days = [step.pk for step in steps if step.kind == CourseDayKind.COURSE_DAY]
    if not days:
        return None
    cells = dict(
        SessionAttendance.objects.filter(participant=participant, session__in=days).values_list("session", "attended")
    )
    needed = days_needed(len(days), offering.certificate_share)
    attended = sum(cells.values())
    if len(cells) < len(days) or attended >= needed:
        return None
    return {"attended": attended, "days": len(days), "needed": needed}
