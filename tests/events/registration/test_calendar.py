"""The calendar a participant gets, and takes back: a cancellation carries METHOD:CANCEL with the UIDs they were sent;
subscribed feeds say how often to refresh; a course day's DESCRIPTION has its goals a line each and its programme."""

from __future__ import annotations

import datetime as dt

from django.core import mail

import pytest
from icalendar import Calendar

from events.registration.models import Participant
from events.registration.services import participants_cancel
from tests.events.factories import CoursePageFactory, CourseSessionFactory
from tests.events.registration.conftest import people, register

pytestmark = pytest.mark.django_db


def _calendar(message) -> Calendar:
    (attachment,) = [a for a in message.attachments if a[0].endswith(".ics")]
    return Calendar.from_ical(attachment[1])


def _uids(cal: Calendar) -> set[str]:
    return {str(event["uid"]) for event in cal.walk("VEVENT")}


def test_a_cancelled_participant_gets_a_cancel_calendar_with_the_same_uids(
    course, library, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = register(course, library, people(3))  # two seats: Deltager 3 waits
    sent = {m.to[0]: m for m in mail.outbox}
    published = _calendar(sent["deltager1@example.org"])
    assert str(published["method"]) == "PUBLISH"
    assert len(_uids(published)) == 3  # each dated step of the course
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        participants_cancel(
            registration=result.registration, participant_ids=[result.confirmed[0].pk, result.waiting[0].pk]
        )
    sent = {m.to[0]: m for m in mail.outbox}
    cancel = _calendar(sent["deltager1@example.org"])
    assert str(cancel["method"]) == "CANCEL"
    assert _uids(cancel) == _uids(published)
    assert {str(e["status"]) for e in cancel.walk("VEVENT")} == {"CANCELLED"}
    pairs = zip(cancel.walk("VEVENT"), published.walk("VEVENT"), strict=True)
    assert all(int(e["sequence"]) > int(p.get("sequence", 0)) for e, p in pairs)
    assert any("method=CANCEL" in a[2] for a in sent["deltager1@example.org"].attachments)
    # The one who only waited was never sent the calendar, so there is nothing to take back.
    assert not sent["deltager3@example.org"].attachments
    assert not sent["kontakt@example.org"].attachments
    assert Participant.objects.filter(status="cancelled").count() == 2


def test_subscribed_feeds_say_how_often_to_refresh_and_the_single_file_does_not(client, course):
    for url in ("/ical/alle.ics", f"/ical/temaer/{course.themes.first().slug}.ics" if course.themes.exists() else None):
        if url is None:
            continue
        body = client.get(url).content.decode()
        assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H" in body, url
        assert "X-PUBLISHED-TTL:PT6H" in body, url
    single = client.get(f"/ical/tilbud/{course.pk}.ics").content.decode()
    assert "REFRESH-INTERVAL" not in single


def test_a_course_days_description_has_its_goals_as_lines_and_its_programme(client, initiative):
    day = CourseSessionFactory.build(
        title="Kursusgang 2",
        goals="<ul><li>Mere fokus på egne kompetencer</li><li>Lokale kompetencelandskaber</li></ul>",
        programme=[
            ("item", {"start": dt.time(9, 0), "title": "Ankomst"}),
            ("item", {"start": dt.time(9, 30), "end": dt.time(11, 25), "title": "Refleksioner over forsøgene"}),
        ],
    )
    course = CoursePageFactory(parent=initiative, sessions=[day])
    cal = Calendar.from_ical(client.get(f"/ical/tilbud/{course.pk}.ics").content)
    (event,) = cal.walk("VEVENT")
    lines = str(event["description"]).splitlines()
    assert "- Mere fokus på egne kompetencer" in lines
    assert "- Lokale kompetencelandskaber" in lines
    assert "09.00 Ankomst" in lines
    assert "09.30–11.25 Refleksioner over forsøgene" in lines
