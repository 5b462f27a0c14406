"""Attendance in the admin: the grid of a course's confirmed participants and course days."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

import pytest

from events.models import CoursePage
from events.registration.models import Certificate, LogAction, Participant, RegistrationLogEntry, SessionAttendance

from .conftest import attendance_url, denied

pytestmark = pytest.mark.django_db


def test_attendance_grid_saves_and_logs(coordinator_client, coordinator, course_filled):
    first, second = Participant.objects.filter(offering=course_filled).order_by("pk")
    day1, day2 = [s for s in course_filled.sessions.all() if s.kind == "kursusgang"]

    page = coordinator_client.get(attendance_url(course_filled))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kursusgang 1" in html and "Kursusgang 2" in html and "Mellem gangene" not in html

    response = coordinator_client.post(
        attendance_url(course_filled), {f"a-{first.pk}-{day1.pk}": "1", f"a-{second.pk}-{day2.pk}": "1"}
    )
    assert response.status_code == 302
    grid = {(a.participant_id, a.session_id): a.attended for a in SessionAttendance.objects.all()}
    assert grid == {
        (first.pk, day1.pk): True,
        (first.pk, day2.pk): False,
        (second.pk, day1.pk): False,
        (second.pk, day2.pk): True,
    }
    entries = RegistrationLogEntry.objects.filter(action=LogAction.ATTENDANCE)
    assert entries.count() == 2
    assert {e.actor for e in entries} == {coordinator}

    # Saving again: only the change is written and logged.
    coordinator_client.post(attendance_url(course_filled), {f"a-{first.pk}-{day1.pk}": "1"})
    assert not SessionAttendance.objects.get(participant=second, session=day2).attended
    assert RegistrationLogEntry.objects.filter(action=LogAction.ATTENDANCE).count() == 3
    assert "checked" in coordinator_client.get(attendance_url(course_filled)).content.decode()


def test_attendance_refuses_cells_outside_the_grid(admin_client, course_filled, filled):
    outsider = Participant.objects.filter(offering=filled).first()
    day = course_filled.sessions.first()
    response = admin_client.post(attendance_url(course_filled), {f"a-{outsider.pk}-{day.pk}": "1"}, follow=True)
    assert response.status_code == 200
    assert "Fremmødet gælder kun" in response.content.decode()
    assert not SessionAttendance.objects.exists()


def test_attendance_is_forbidden_to_another_section_and_missing_for_events(stranger_client, course_filled):
    assert denied(stranger_client.get(attendance_url(course_filled)))
    assert denied(stranger_client.post(attendance_url(course_filled), {}))


def test_attendance_for_an_event_is_not_found(admin_client, offering):
    assert admin_client.get(attendance_url(offering)).status_code == 404


def test_certificates_are_issued_from_the_grid_once_the_course_has_ended(coordinator_client, course_filled):
    first, second = Participant.objects.filter(offering=course_filled).order_by("pk")
    day1, day2 = [s for s in course_filled.sessions.all() if s.kind == "kursusgang"]
    cells = {f"a-{first.pk}-{day1.pk}": "1", f"a-{first.pk}-{day2.pk}": "1", f"a-{second.pk}-{day1.pk}": "1"}
    coordinator_client.post(attendance_url(course_filled), cells)

    early = coordinator_client.post(attendance_url(course_filled), {"issue_certificates": "1"}, follow=True)
    assert "Kursusbeviser udstedes, når forløbet er slut." in early.content.decode()
    assert not Certificate.objects.exists()
    assert "Udsted kursusbeviser nu" not in early.content.decode()

    # The course is over (its dates moved into the past, as time travel would end the coordinator's session).
    CoursePage.objects.filter(pk=course_filled.pk).update(
        start=timezone.now() - dt.timedelta(days=30), end=timezone.now() - dt.timedelta(days=1)
    )
    page = coordinator_client.get(attendance_url(course_filled)).content.decode()
    assert "Udsted kursusbeviser nu" in page
    response = coordinator_client.post(attendance_url(course_filled), {"issue_certificates": "1"}, follow=True)
    assert "1 kursusbevis er udstedt og sendt." in response.content.decode()
    assert [c.participant for c in Certificate.objects.all()] == [first]
    assert "Udstedt " in response.content.decode()
