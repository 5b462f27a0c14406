"""The admin's fixtures: an offering in a coordinator's own section, a coordinator of another section, participants."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from events.registration.values import ParticipantData
from network.services import coordinator_group_ensure, personal_data_group_ensure
from tests.events.factories import CoursePageFactory, CourseSessionFactory, EventPageFactory, tracks
from tests.network.factories import OrganisationPageFactory

from ..conftest import make_user, people, register


@pytest.fixture
def offering(organisation):
    """An event below Danmarks Biblioteksforening with 3 seats and a waiting list."""
    return EventPageFactory(
        parent=organisation,
        title="Temadag om læselyst",
        registration_enabled=True,
        capacity=3,
        waiting_list=True,
        tracks=tracks("Medarbejdere", "Ledere"),
    )


@pytest.fixture
def section_course(organisation):
    start = timezone.localdate() + dt.timedelta(days=20)
    return CoursePageFactory(
        parent=organisation,
        title="Formidling i praksis",
        start=timezone.now() + dt.timedelta(days=20),
        end=timezone.now() + dt.timedelta(days=50),
        registration_enabled=True,
        capacity=5,
        sessions=[
            CourseSessionFactory.build(title="Kursusgang 1", date=start),
            CourseSessionFactory.build(title="Mellem gangene", date=start + dt.timedelta(days=7), kind="aktivitet"),
            CourseSessionFactory.build(title="Kursusgang 2", date=start + dt.timedelta(days=28)),
        ],
    )


def editor():
    """A user who reaches the admin but holds none of the registration permissions."""
    user = make_user("redaktoer")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def coordinator(organisation):
    return make_user("koordinator-db", coordinator_group_ensure(name="Koordinatorer – DB", sections=[organisation]))


@pytest.fixture
def stranger(organisation_index):
    """A coordinator of another section (Kultur og Information)."""
    other = OrganisationPageFactory(parent=organisation_index, title="Kultur og Information", short_name="KI")
    return make_user("koordinator-ki", coordinator_group_ensure(name="Koordinatorer – KI", sections=[other]))


@pytest.fixture
def officer(db):
    """A member of "Persondataansvarlig": every organisation's registrations and personal data, no page rights."""
    return make_user("persondata", personal_data_group_ensure())


@pytest.fixture
def officer_client(officer):
    client = Client()
    client.force_login(officer)
    return client


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def stranger_client(stranger):
    """A client of its own, so a test may hold it beside `coordinator_client`."""
    client = Client()
    client.force_login(stranger)
    return client


@pytest.fixture
def filled(offering, library, other_library):
    """3 confirmed (2 from Herning, 1 from Ballerup) and 2 waiting (Ballerup), one of them on the leaders' track."""
    register(
        offering,
        library,
        [
            ParticipantData("Deltager 1", "deltager1@example.org", track="Medarbejdere"),
            ParticipantData("Deltager 2", "deltager2@example.org", track="Medarbejdere"),
        ],
    )
    register(
        offering,
        other_library,
        [
            ParticipantData("Deltager 3", "deltager3@example.org", track="Medarbejdere"),
            ParticipantData("Deltager 4", "deltager4@example.org", track="Ledere"),
            ParticipantData("Deltager 5", "deltager5@example.org", track="Medarbejdere"),
        ],
        contact_email="ballerup@example.org",
    )
    mail.outbox.clear()
    return offering


def offering_url(offering, **params) -> str:
    url = reverse("registration_admin:offering", args=[offering.pk])
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def denied(response) -> bool:
    """Turned away: 403, or Wagtail's redirect to the dashboard (or to the login)."""
    return response.status_code in (302, 403)


@pytest.fixture
def course_filled(section_course, library):
    register(section_course, library, people(2, prefix="kursist"))
    return section_course


def attendance_url(course) -> str:
    return reverse("registration_admin:attendance", args=[course.pk])
