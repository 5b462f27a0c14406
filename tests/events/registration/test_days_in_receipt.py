"""The receipt, the e-mails and the manage page list a course's days, each with its date, its own start and end
and its place, and what the contact told us of each participant (job title, track, needs)."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from events.registration.schedule import offering_days
from events.registration.services import participants_add
from events.registration.values import ParticipantData
from tests.events.factories import CoursePageFactory, CourseSessionFactory, tracks
from tests.events.registration.conftest import register
from tests.events.registration.test_views import manage_url

pytestmark = pytest.mark.django_db

FIRST = dt.date(2030, 1, 14)
SECOND = dt.date(2030, 2, 11)
PROGRAMME = [
    ("item", {"start": dt.time(9, 30), "end": dt.time(12), "title": "Oplæg", "description": ""}),
    ("item", {"start": dt.time(13), "end": dt.time(14, 45), "title": "Workshop", "description": ""}),
]
DAY_1 = "Kursusgang 1: 14. januar 2030 kl. 9.30–15.30, Dokk1, Aarhus"
DAY_2 = "Kursusgang 2: 11. februar 2030 kl. 10.00–15.00, Online"


@pytest.fixture
def course(initiative):
    """Two course days five weeks apart, an activity between; the first day's programme ends at 14.45, the day at
    15.30."""
    return CoursePageFactory(
        parent=initiative,
        title="Kompetencer i skolesamarbejdet",
        registration_enabled=True,
        capacity=10,
        tracks=tracks("Medarbejdere", "Ledere"),
        sessions=[
            CourseSessionFactory.build(
                title="Opstart", date=FIRST, start_time=dt.time(9, 30), end_time=dt.time(15, 30), venue_name="Dokk1",
                city="Aarhus", programme=PROGRAMME,
            ),
            CourseSessionFactory.build(
                title="Opgave på eget bibliotek", kind="aktivitet", date=FIRST + dt.timedelta(days=1),
                end_date=SECOND - dt.timedelta(days=1), start_time=None, end_time=None,
            ),
            CourseSessionFactory.build(
                title="Opfølgning", date=SECOND, start_time=dt.time(10), end_time=dt.time(15),
                attendance_mode="online", venue_name="", municipality=None,
            ),
        ],
    )  # fmt: skip


def colleagues():
    return [
        ParticipantData(
            name="Deltager Et", email="et@example.org", job_title="Bibliotekar", track="Ledere", needs="Vegetar"
        ),
        ParticipantData(name="Deltager To", email="to@example.org", track="Medarbejdere"),
    ]


def test_the_course_days_are_lines_of_their_own_ending_at_the_day_s_end(course):
    assert [str(day) for day in offering_days(offering=course)] == [DAY_1, DAY_2]


def test_an_event_is_one_line_from_its_start_to_its_end(event):
    event.start = timezone.make_aware(dt.datetime(2030, 3, 4, 10))
    event.end = timezone.make_aware(dt.datetime(2030, 3, 4, 16))
    assert [str(day) for day in offering_days(offering=event)] == [
        "4. marts 2030 kl. 10.00–16.00, Herning Bibliotekerne, Herning"
    ]


def test_the_receipt_lists_each_course_day_and_each_participant_s_details(
    course, library, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(course, library, colleagues())
    (receipt,) = [m for m in mail.outbox if m.to == ["kontakt@example.org"]]
    html = receipt.alternatives[0].content
    for body in (receipt.body, html):
        assert DAY_1 in body and DAY_2 in body
        assert "14.45" not in body
        assert "Opgave på eget bibliotek" not in body  # an activity between the days is not a meeting
        assert "Bibliotekar · Spor: Ledere · Særlige behov: Vegetar" in body
        assert "Spor: Medarbejdere" in body
    assert f"\n{DAY_1}\n{DAY_2}\n" in receipt.body  # a line each in the text


def test_a_participant_s_e_mail_lists_the_days_and_their_own_details(
    course, library, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(course, library, colleagues())
    (message,) = [m for m in mail.outbox if m.to == ["et@example.org"]]
    assert DAY_1 in message.body and DAY_2 in message.body
    assert "Deltager: Deltager Et, Bibliotekar · Spor: Ledere · Særlige behov: Vegetar" in message.body


def test_the_manage_page_lists_the_days_and_each_participant_s_details(client, course, library):
    result = register(course, library, colleagues())
    html = client.get(manage_url(client, result)).content.decode()
    assert f"<li>{DAY_1}</li>" in html and f"<li>{DAY_2}</li>" in html
    assert "14.45" not in html
    assert "Bibliotekar · Spor: Ledere · Særlige behov: Vegetar" in html


def test_the_manage_page_reads_the_same_whatever_the_number_of_participants(
    client, course, library, django_assert_num_queries
):
    result = register(course, library, colleagues()[:1])
    url = manage_url(client, result)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    more = [ParticipantData(name=f"Kollega {i}", email=f"k{i}@example.org", track="Medarbejdere") for i in range(4)]
    participants_add(registration=result.registration, participants=more, now=timezone.now())
    with django_assert_num_queries(len(one)):
        html = client.get(url).content.decode()
    assert html.count("Spor: Medarbejdere") == 4
