"""Each participant's own page: a link of their own in the e-mail about their seat (256 bits, stored hashed), their
course days, the calendar and, once issued, their certificate."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail

import pytest
import time_machine

from events.registration.certificates import certificates_issue
from events.registration.models import Participant
from events.registration.privacy import person_erase
from events.registration.selectors import course_days
from events.registration.services import attendance_record, participants_cancel
from events.registration.values import Actor

from .conftest import people, register

pytestmark = pytest.mark.django_db

OWN_LINK = re.compile(r"http://testserver(/tilmelding/deltager/(\d+)/\?adgang=([A-Za-z0-9_-]+))")


def own_link(message) -> tuple[str, int, str]:
    path, pk, token = OWN_LINK.search(message.body).groups()
    return path, int(pk), token


@pytest.fixture
def seated(course, library, django_capture_on_commit_callbacks):
    """The course (2 seats): Deltager 1 and 2 have seats, Deltager 3 waits; the e-mails are sent."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = register(course, library, people(3))
    return result


def message_to(address: str):
    return next(m for m in mail.outbox if m.to == [address])


def test_a_seat_e_mail_carries_a_personal_link_whose_token_is_stored_only_hashed(seated):
    _path, pk, token = own_link(message_to("deltager1@example.org"))
    participant = Participant.objects.get(pk=pk)
    assert participant.email == "deltager1@example.org"
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    assert participant.token_hash and token not in participant.token_hash
    assert participant.token_matches(token) and not participant.token_matches(token[:-1] + "x")
    assert not OWN_LINK.search(message_to("deltager3@example.org").body)  # the waiting list gets no page yet


def test_the_link_opens_the_page_and_leaves_the_token_out_of_the_address(seated, client, course):
    path, pk, _token = own_link(message_to("deltager1@example.org"))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/tilmelding/deltager/{pk}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page["X-Robots-Tag"] == "noindex"
    assert "no-store" in page["Cache-Control"]
    text = page.content.decode()
    assert "Din side, Deltager 1" in text
    assert 'data-participant-status="confirmed"' in text
    for day in course_days(course=course):
        assert day.title in text
    assert "Mellem gangene" in text  # the activity between the days, marked as one
    assert f"/ical/tilbud/{course.pk}.ics" in text
    assert 'name="robots" content="noindex"' in text


def test_a_wrong_token_or_another_participants_page_is_refused(seated, client):
    path, pk, token = own_link(message_to("deltager1@example.org"))
    _other_path, other_pk, _other_token = own_link(message_to("deltager2@example.org"))
    assert client.get(f"/tilmelding/deltager/{pk}/?adgang=forkert").status_code == 404
    assert client.get(f"/tilmelding/deltager/{other_pk}/?adgang={token}").status_code == 404
    assert client.get(f"/tilmelding/deltager/{pk}/").status_code == 404  # no access in this session yet
    client.get(path)
    assert client.get(f"/tilmelding/deltager/{other_pk}/").status_code == 404
    assert client.get("/tilmelding/deltager/999999/").status_code == 404


def test_erasure_ends_the_access_at_once(seated, client, superuser):
    path, pk, _token = own_link(message_to("deltager1@example.org"))
    client.get(path)
    person_erase(email="deltager1@example.org", actor=Actor.coordinator(superuser))
    assert client.get(f"/tilmelding/deltager/{pk}/").status_code == 404
    assert client.get(path).status_code == 404
    assert Participant.objects.get(pk=pk).token_hash == ""


def test_a_promoted_participant_gets_a_link_too(seated, django_capture_on_commit_callbacks):
    first = Participant.objects.get(email="deltager1@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        participants_cancel(registration=seated.registration, participant_ids=[first.pk])
    _path, pk, token = own_link(message_to("deltager3@example.org"))
    assert Participant.objects.get(pk=pk).token_matches(token)


def test_the_certificate_shows_on_the_page_once_issued(seated, client, course, superuser):
    path, pk, _token = own_link(message_to("deltager1@example.org"))
    day1, day2 = course_days(course=course)
    attendance_record(course=course, attended={(pk, day1.pk), (pk, day2.pk)}, actor=Actor.coordinator(superuser))
    client.get(path)
    assert 'data-certificate="issued"' not in client.get(f"/tilmelding/deltager/{pk}/").content.decode()
    (certificate,) = certificates_issue(course=course, now=course.end + dt.timedelta(days=1))
    text = client.get(f"/tilmelding/deltager/{pk}/").content.decode()
    assert 'data-certificate="issued"' in text
    assert f"/kursusbevis/{certificate.code}/pdf/" in text


def test_a_participant_who_missed_a_day_is_told_no_certificate_comes_and_why(seated, client, course, superuser):
    path, pk, _token = own_link(message_to("deltager1@example.org"))
    other = own_link(message_to("deltager2@example.org"))[1]
    day1, day2 = course_days(course=course)
    attendance_record(
        course=course, attended={(pk, day1.pk), (other, day1.pk), (other, day2.pk)}, actor=Actor.coordinator(superuser)
    )
    after = course.end + dt.timedelta(days=1)
    certificates_issue(course=course, now=after)
    with time_machine.travel(after, tick=False):
        client.get(path)
        text = client.get(f"/tilmelding/deltager/{pk}/").content.decode()
    assert 'data-certificate="pending"' not in text
    assert "du var med på 1 af 2 kursusgange, og beviset kræver 2" in text


def test_before_attendance_is_recorded_the_certificate_is_said_to_come(seated, client, course):
    path, pk, _token = own_link(message_to("deltager1@example.org"))
    with time_machine.travel(course.end + dt.timedelta(days=1), tick=False):
        client.get(path)
        text = client.get(f"/tilmelding/deltager/{pk}/").content.decode()
    assert 'data-certificate="pending"' in text
    assert 'data-certificate="not-earned"' not in text


def test_the_page_in_english(seated, client):
    path, pk, _token = own_link(message_to("deltager1@example.org"))
    client.get(path)
    text = client.get(f"/en/tilmelding/deltager/{pk}/").content.decode()
    assert "Your page, Deltager 1" in text
    assert "You have a seat." in text
