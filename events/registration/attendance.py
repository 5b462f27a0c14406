"""Attendance on a course's days: which confirmed participant took part in which course day.

Kept beside `services` (same habits: keyword-only, one transaction, every change logged) so the rule is in one place.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import CourseDayKind, CoursePage, CourseSession

from .models import LogAction, Participant, ParticipantStatus, SessionAttendance
from .services import Actor, RegistrationError, log


def course_days(course: CoursePage) -> list[CourseSession]:
    """The course days (not the activities between them) attendance is kept for, in the course's order."""
    return list(CourseSession.objects.filter(page=course, kind=CourseDayKind.COURSE_DAY))


def attendance_grid(course: CoursePage) -> dict[tuple[int, int], bool]:
    """(participant pk, session pk) → attended, for what has been recorded on the course."""
    rows = SessionAttendance.objects.filter(session__page=course)
    rows = rows.values_list("participant_id", "session_id", "attended")
    return {(participant, session): attended for participant, session, attended in rows}


def record_attendance(
    *,
    course: CoursePage,
    attended: set[tuple[int, int]],
    actor: Actor,
    now: dt.datetime | None = None,
) -> int:
    """Save the whole grid of one course: every confirmed participant × every course day.

    `attended` holds the (participant pk, session pk) pairs that took part; every other cell of the grid is saved as
    absent. Pairs outside the grid (another course, a cancelled participant) are refused. Each participant whose
    attendance changed gets one log entry. Returns the number of cells that changed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        days = {session.pk: session for session in course_days(course)}
        confirmed = Participant.objects.filter(offering_id=course.pk, status=ParticipantStatus.CONFIRMED)
        participants = {p.pk: p for p in confirmed.select_related("registration")}
        if any(p not in participants or s not in days for p, s in attended):
            raise RegistrationError(
                _("Fremmødet gælder kun bekræftede deltagere og forløbets kursusgange."), "attendance"
            )
        before = attendance_grid(course)
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
                log(
                    participant.registration,
                    LogAction.ATTENDANCE,
                    actor,
                    participant=participant,
                    detail="; ".join(changes),
                    now=now,
                )
    return changed_cells
