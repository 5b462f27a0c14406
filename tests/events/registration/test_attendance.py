"""Attendance on course days: the rule behind the admin's grid."""

from __future__ import annotations

import pytest

from events.registration.errors import RegistrationError
from events.registration.models import LogAction, ParticipantStatus, RegistrationLogEntry
from events.registration.selectors import attendance_grid, course_days
from events.registration.services import attendance_record
from events.registration.values import Actor

from .conftest import people, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def seated(course, library):
    """The course has 2 seats: 2 confirmed and 1 waiting."""
    result = register(course, library, people(3))
    return result.confirmed, result.waiting


def test_the_grid_holds_the_course_days_not_the_activity_between_them(course):
    assert [day.title for day in course_days(course=course)] == ["Kursusgang 1", "Kursusgang 2"]


def test_the_whole_grid_is_saved_and_each_changed_participant_logged(course, seated, superuser):
    (first, second), _waiting = seated
    day1, day2 = course_days(course=course)
    actor = Actor.coordinator(superuser)

    changed = attendance_record(course=course, attended={(first.pk, day1.pk)}, actor=actor)

    assert changed == 4
    assert attendance_grid(course=course) == {
        (first.pk, day1.pk): True,
        (first.pk, day2.pk): False,
        (second.pk, day1.pk): False,
        (second.pk, day2.pk): False,
    }
    assert RegistrationLogEntry.objects.filter(action=LogAction.ATTENDANCE, actor=superuser).count() == 2


def test_saving_the_same_grid_again_changes_and_logs_nothing(course, seated, superuser):
    (first, _second), _waiting = seated
    day1, _day2 = course_days(course=course)
    actor = Actor.coordinator(superuser)
    attendance_record(course=course, attended={(first.pk, day1.pk)}, actor=actor)

    assert attendance_record(course=course, attended={(first.pk, day1.pk)}, actor=actor) == 0
    assert RegistrationLogEntry.objects.filter(action=LogAction.ATTENDANCE).count() == 2


def test_waiting_participants_and_foreign_sessions_are_refused(course, seated, superuser):
    (first, _second), (waiting,) = seated
    assert waiting.status == ParticipantStatus.WAITING
    day1, _day2 = course_days(course=course)
    actor = Actor.coordinator(superuser)

    for cell in [(waiting.pk, day1.pk), (first.pk, 999_999)]:
        with pytest.raises(RegistrationError) as error:
            attendance_record(course=course, attended={cell}, actor=actor)
        assert error.value.code == "attendance"
    assert attendance_grid(course=course) == {}
