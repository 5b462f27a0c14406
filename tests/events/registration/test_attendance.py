"""Attendance on course days: the rule behind the admin's grid."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

import pytest

from events.registration import services
from events.registration.attendance import attendance_grid, course_days, record_attendance
from events.registration.models import LogAction, ParticipantStatus, RegistrationLogEntry
from events.registration.services import RegistrationError
from tests.events.factories import CoursePageFactory, CourseSessionFactory

from .conftest import people

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(course_index):
    """Like conftest's `course` (2 seats, 2 course days), with an activity between the days: the grid shows course
    days only."""
    start = timezone.localdate() + dt.timedelta(days=20)
    return CoursePageFactory(
        parent=course_index,
        start=timezone.now() + dt.timedelta(days=20),
        end=timezone.now() + dt.timedelta(days=50),
        registration_enabled=True,
        capacity=2,
        waiting_list=True,
        sessions=[
            CourseSessionFactory.build(title="Kursusgang 1", date=start),
            CourseSessionFactory.build(title="Mellem gangene", date=start + dt.timedelta(days=7), kind="aktivitet"),
            CourseSessionFactory.build(title="Kursusgang 2", date=start + dt.timedelta(days=28)),
        ],
    )


@pytest.fixture
def seated(course, library):
    """The course has 2 seats: 2 confirmed and 1 waiting."""
    result = services.register(
        course,
        library=library,
        contact_name="Kontaktperson",
        contact_email="kontakt@example.org",
        participants=people(3),
        consent=True,
    )
    return result.confirmed, result.waiting


def test_the_whole_grid_is_saved_and_each_changed_participant_logged(course, seated, superuser):
    (first, second), _waiting = seated
    day1, day2 = course_days(course)
    actor = services.Actor.coordinator(superuser)

    changed = record_attendance(course=course, attended={(first.pk, day1.pk)}, actor=actor)

    assert changed == 4
    assert attendance_grid(course) == {
        (first.pk, day1.pk): True,
        (first.pk, day2.pk): False,
        (second.pk, day1.pk): False,
        (second.pk, day2.pk): False,
    }
    assert RegistrationLogEntry.objects.filter(action=LogAction.ATTENDANCE, actor=superuser).count() == 2


def test_saving_the_same_grid_again_changes_and_logs_nothing(course, seated, superuser):
    (first, _second), _waiting = seated
    day1, _day2 = course_days(course)
    actor = services.Actor.coordinator(superuser)
    record_attendance(course=course, attended={(first.pk, day1.pk)}, actor=actor)

    assert record_attendance(course=course, attended={(first.pk, day1.pk)}, actor=actor) == 0
    assert RegistrationLogEntry.objects.filter(action=LogAction.ATTENDANCE).count() == 2


def test_waiting_participants_and_foreign_sessions_are_refused(course, seated, superuser):
    (first, _second), (waiting,) = seated
    assert waiting.status == ParticipantStatus.WAITING
    day1, _day2 = course_days(course)
    actor = services.Actor.coordinator(superuser)

    for cell in [(waiting.pk, day1.pk), (first.pk, 999_999)]:
        with pytest.raises(RegistrationError) as error:
            record_attendance(course=course, attended={cell}, actor=actor)
        assert error.value.code == "attendance"
    assert attendance_grid(course) == {}
