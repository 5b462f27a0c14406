"""What the experiment tests share: a course with an activity between its two days, participants of two libraries
with their own-page access, and files of each kind."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import pytest

from events.models import CourseDayKind
from events.registration.models import Participant
from events.registration.values import ParticipantData
from tests.events.factories import CoursePageFactory, CourseSessionFactory

from .conftest import register

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def plain_zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("program.exe", "MZ")
    return buffer.getvalue()


def upload(name="forsoeg.pdf", content=PDF_BYTES, content_type="application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def experiment_course(organisation):
    """A course of Danmarks Biblioteksforening: day 1 in 10 days, "Eksperiment mellem kursusgange" a week later,
    day 2 (09.00) in 31 days."""
    start = timezone.localdate() + dt.timedelta(days=10)
    return CoursePageFactory(
        parent=organisation,
        title="Sæt spot på kompetencerne",
        registration_enabled=True,
        capacity=10,
        sessions=[
            CourseSessionFactory.build(title="Kursusgang 1", date=start),
            CourseSessionFactory.build(
                title="Eksperiment mellem kursusgange", date=start + dt.timedelta(days=7), kind="aktivitet"
            ),
            CourseSessionFactory.build(title="Kursusgang 2", date=start + dt.timedelta(days=21)),
        ],
    )


def activity_of(course):
    return course.sessions.get(kind=CourseDayKind.ACTIVITY)


@pytest.fixture
def seats(experiment_course, library, other_library):
    """Anna and Bo from Herning, Cai from Ballerup: all confirmed. Returns {first name: participant}."""
    register(
        experiment_course,
        library,
        [ParticipantData("Anna Testesen", "anna@example.org"), ParticipantData("Bo Prøvesen", "bo@example.org")],
    )
    register(
        experiment_course,
        other_library,
        [ParticipantData("Cai Eksempel", "cai@example.org")],
        contact_email="ballerup@example.org",
    )
    return {p.name.split()[0]: p for p in Participant.objects.filter(offering=experiment_course)}


def open_own_page(client, participant) -> None:
    """Open the participant's own page through a fresh link, so this client's session has the access."""
    token = participant.set_new_token()
    participant.save(update_fields=["token_hash"])
    assert client.get(f"/tilmelding/deltager/{participant.pk}/?adgang={token}").status_code == 302
