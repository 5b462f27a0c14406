"""Course certificates: who gets one, the PDF and its text, the e-mail, the verification page, and erasure."""

from __future__ import annotations

import datetime as dt
import io

from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

import pypdf
import pytest
import time_machine

from events.registration.certificate_pdf import certificate_pdf
from events.registration.certificates import certificates_issue, certificates_issue_due
from events.registration.models import Certificate, LogAction, RegistrationLogEntry
from events.registration.privacy import person_erase, registrations_anonymise_expired
from events.registration.selectors import course_days
from events.registration.services import attendance_record
from events.registration.values import Actor

from .conftest import people, register

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def ended(course, library, superuser):
    """The course (2 seats) after its end: Deltager 1 came both days, Deltager 2 one of two; Deltager 3 waited."""
    result = register(course, library, people(3))
    first, second = result.confirmed
    day1, day2 = course_days(course=course)
    attendance_record(
        course=course,
        attended={(first.pk, day1.pk), (first.pk, day2.pk), (second.pk, day1.pk)},
        actor=Actor.coordinator(superuser),
    )
    return course, first, second, course.end + dt.timedelta(days=1)


def test_only_those_who_attended_every_course_day_get_one(ended):
    course, first, _second, after = ended
    issued = certificates_issue(course=course, now=after)
    assert [c.participant for c in issued] == [first]
    assert issued[0].holder_name == "Deltager 1"
    assert RegistrationLogEntry.objects.filter(action=LogAction.CERTIFIED, participant=first).count() == 1


def test_the_coordinators_share_lets_one_of_two_days_do(ended):
    course, first, second, after = ended
    course.certificate_share = 50
    course.save_revision().publish()
    assert {c.participant for c in certificates_issue(course=course, now=after)} == {first, second}


def test_nothing_is_issued_before_the_course_ends_and_nothing_twice(ended):
    course, _first, _second, after = ended
    assert certificates_issue(course=course, now=course.end - dt.timedelta(hours=1)) == []
    assert len(certificates_issue(course=course, now=after)) == 1
    assert certificates_issue(course=course, now=after) == []
    assert certificates_issue_due(now=after) == 0
    assert Certificate.objects.count() == 1


def test_a_share_outside_1_to_100_is_refused_in_danish(course):
    course.certificate_share = 0
    with pytest.raises(ValidationError) as error:
        course.full_clean()
    assert "certificate_share" in error.value.message_dict
    course.certificate_share = 101
    with pytest.raises(ValidationError):
        course.full_clean()


def test_the_holder_gets_it_by_e_mail_as_a_pdf_with_the_course_days_and_hours(
    ended, django_capture_on_commit_callbacks
):
    course, _first, _second, after = ended
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        (certificate,) = certificates_issue(course=course, now=after)
    (message,) = mail.outbox
    assert message.to == ["deltager1@example.org"]
    assert message.subject == f"Dit kursusbevis: {course.title}"
    assert f"/kursusbevis/{certificate.code}/" in message.body
    (filename, content, mimetype) = message.attachments[0]
    assert mimetype == "application/pdf" and filename.endswith(".pdf")
    text = pdf_text(content)
    assert "Kursusbevis" in text
    assert "Deltager 1" in text
    assert course.title in text
    assert "Kursusgang 1:" in text and "Kursusgang 2:" in text
    assert "Kursusgang 3" not in text  # the activity between the days is not a course day
    assert "I alt" in text and "timer" in text
    assert certificate.code in text.replace(" ", "")


def test_the_verification_page_shows_name_course_and_date_only(ended, client):
    course, _first, _second, after = ended
    (certificate,) = certificates_issue(course=course, now=after)
    response = client.get(f"/kursusbevis/{certificate.code}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-certificate="genuine"' in text
    assert "Deltager 1" in text and course.title in text
    assert "deltager1@example.org" not in text
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_the_pdf_address_gives_the_pdf(ended, client):
    course, _first, _second, after = ended
    (certificate,) = certificates_issue(course=course, now=after)
    response = client.get(f"/kursusbevis/{certificate.code}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Deltager 1" in pdf_text(response.content)


@pytest.mark.parametrize("code", ["ukendt-kode-der-er-lang-nok", "kort", "x" * 60, "æøå" * 8, "a%00b" * 5])
def test_an_unknown_or_malformed_code_says_so_in_danish(db, client, code):
    for path in (f"/kursusbevis/{code}/", f"/kursusbevis/{code}/pdf/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Vi kender ikke dette kursusbevis" in response.content.decode()


def test_erasing_the_holder_expires_the_certificate(ended, client, superuser):
    course, _first, _second, after = ended
    (certificate,) = certificates_issue(course=course, now=after)
    person_erase(email="deltager1@example.org", actor=Actor.coordinator(superuser), now=after)
    certificate.refresh_from_db()
    assert certificate.holder_name == "" and certificate.participant is None and certificate.is_expired
    for path in (f"/kursusbevis/{certificate.code}/", f"/kursusbevis/{certificate.code}/pdf/"):
        response = client.get(path)
        assert response.status_code == 410
        text = response.content.decode()
        assert "udløbet" in text and "Deltager 1" not in text


def test_anonymisation_after_the_retention_period_expires_it_too(ended, settings):
    course, _first, _second, after = ended
    (certificate,) = certificates_issue(course=course, now=after)
    later = course.end + dt.timedelta(days=31 * (settings.REGISTRATION_RETENTION_MONTHS + 1))
    assert registrations_anonymise_expired(now=later) == 1
    certificate.refresh_from_db()
    assert certificate.is_expired and certificate.holder_name == ""


def test_an_english_registration_gets_an_english_certificate(course, library, superuser):
    result = register(course, library, people(1), language="en")
    (participant,) = result.confirmed
    day1, day2 = course_days(course=course)
    attendance_record(
        course=course,
        attended={(participant.pk, day1.pk), (participant.pk, day2.pk)},
        actor=Actor.coordinator(superuser),
    )
    (certificate,) = certificates_issue(course=course, now=course.end + dt.timedelta(days=1))
    text = pdf_text(certificate_pdf(certificate))
    assert "Course certificate" in text
    assert "Course day 1:" in text


def test_the_command_issues_what_is_due(ended):
    course, _first, _second, after = ended
    out = io.StringIO()
    with time_machine.travel(after, tick=False):
        call_command("issue_certificates", stdout=out)
    assert out.getvalue().startswith("1 kursusbeviser")
