"""The certificate rule: once a course has ended, each confirmed participant whose attendance was registered for
enough of its course days (the course's `certificate_share`) gets one certificate, e-mailed through the outbox."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from events.models import CourseDayKind, CoursePage

from . import emails
from .models import Certificate, ContactStatus, LogAction, Participant, ParticipantStatus
from .privacy import months_before
from .services import log_entry_create
from .values import SYSTEM


def certificate_candidates(course: CoursePage):
    """The confirmed participants of `course` who attended enough of its course days and have no certificate yet."""
    days = course.sessions.filter(kind=CourseDayKind.COURSE_DAY).count()
    if not days:
        return Participant.objects.none()
    attended = Count(
        "attendance",
        filter=Q(attendance__attended=True, attendance__session__kind=CourseDayKind.COURSE_DAY),
        distinct=True,
    )
    return (
        Participant.objects.filter(
            offering=course,
            status=ParticipantStatus.CONFIRMED,
            anonymised_at__isnull=True,
            certificate__isnull=True,
            registration__contact_status=ContactStatus.CONFIRMED,
        )
        .annotate(days_attended=attended)
        .filter(days_attended__gte=days_needed(days, course.certificate_share))
        .select_related("registration__offering", "registration__library")
    )


def days_needed(days: int, share: int) -> int:
    """The course days a participant must have attended: `share` percent of `days`, rounded up."""
    return -(-days * share // 100)


def certificates_issue(*, course: CoursePage, now: dt.datetime | None = None) -> list[Certificate]:
    """Issue the certificates `course` owes, once it has ended; each is logged and e-mailed to its holder."""
    now = now or timezone.now()
    if course.end > now or course.is_cancelled:
        return []
    issued = []
    for participant in certificate_candidates(course):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    code=Certificate.new_code(),
                    participant=participant,
                    offering=course,
                    holder_name=participant.name,
                    language=participant.registration.language,
                    issued_at=now,
                )
                log_entry_create(
                    registration=participant.registration,
                    action=LogAction.CERTIFIED,
                    actor=SYSTEM,
                    participant=participant,
                    now=now,
                )
                emails.certificate_issued(certificate)
        except IntegrityError:  # another run issued this participant's certificate first
            continue
        issued.append(certificate)
    return issued


def certificates_issue_due(*, now: dt.datetime | None = None) -> int:
    """Issue the certificates of every live course that has ended within the retention period."""
    now = now or timezone.now()
    since = months_before(now, settings.REGISTRATION_RETENTION_MONTHS)
    courses = CoursePage.objects.live().filter(end__lte=now, end__gt=since)
    return sum(len(certificates_issue(course=course, now=now)) for course in courses)
