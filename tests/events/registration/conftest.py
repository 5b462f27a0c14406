"""Fixtures for registration: an open event and a course with seats, libraries, participants and users to build."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

import pytest

from events.registration.services import registration_create
from events.registration.values import ParticipantData
from network.models import Library, LibraryGroup
from tests.events.factories import CoursePageFactory, CourseSessionFactory, EventPageFactory


def people(n: int, prefix: str = "deltager", start: int = 1) -> list[ParticipantData]:
    """n participants with made-up names and example.org addresses."""
    return [ParticipantData(name=f"Deltager {i}", email=f"{prefix}{i}@example.org") for i in range(start, start + n)]


def register(offering, library, participants, **kwargs):
    """A registration by a contact who consents, through the service the public form calls."""
    kwargs.setdefault("contact_name", "Kontaktperson")
    kwargs.setdefault("contact_email", "kontakt@example.org")
    kwargs.setdefault("consent", True)
    kwargs.setdefault("contact_confirmed", True)
    return registration_create(offering=offering, library=library, participants=participants, **kwargs)


def make_user(username: str, group=None):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="adgangskode-til-test"
    )
    if group is not None:
        user.groups.add(group)
    return user


@pytest.fixture
def library(db) -> Library:
    return Library.objects.select_related("municipality").get(municipality__name="Herning")


@pytest.fixture
def other_library(db) -> Library:
    return Library.objects.get(municipality__name="Ballerup")


@pytest.fixture
def certification_group(db, library) -> LibraryGroup:
    group = LibraryGroup.objects.create(name="Certificeringsbiblioteker", slug="certificeringsbiblioteker")
    group.libraries.add(library)
    return group


@pytest.fixture
def event(organisation):
    """An event of Danmarks Biblioteksforening in 30 days with 10 seats and a waiting list, open for registration."""
    return EventPageFactory(
        parent=organisation,
        title="Inspirationsdag om verdensmål",
        registration_enabled=True,
        capacity=10,
        waiting_list=True,
    )


@pytest.fixture
def course(initiative):
    """A course of the initiative in 20 days with 2 seats and a waiting list: two course days, an activity between."""
    start = timezone.localdate() + dt.timedelta(days=20)
    return CoursePageFactory(
        parent=initiative,
        title="Sæt spot på kompetencerne",
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


# The experiment tests' course and participants (tests/events/registration/experiment_fixtures.py).
from .experiment_fixtures import experiment_course, seats  # noqa: E402, F401
