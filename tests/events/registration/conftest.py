"""Fixtures for registration: an open event with seats, libraries and a way to build participants."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

import pytest

from events.registration.services import ParticipantData
from network.models import Library, LibraryGroup
from tests.events.factories import CoursePageFactory, CourseSessionFactory, EventPageFactory


def people(n: int, prefix: str = "deltager", start: int = 1) -> list[ParticipantData]:
    """n participants with made-up names and example.org addresses."""
    return [ParticipantData(name=f"Deltager {i}", email=f"{prefix}{i}@example.org") for i in range(start, start + n)]


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
def event(event_index):
    """An event in 30 days with 10 seats and a waiting list, open for registration now."""
    return EventPageFactory(
        parent=event_index,
        title="Inspirationsdag om verdensmål",
        registration_enabled=True,
        capacity=10,
        waiting_list=True,
    )


@pytest.fixture
def course(course_index):
    start = timezone.localdate() + dt.timedelta(days=20)
    return CoursePageFactory(
        parent=course_index,
        title="Sæt spot på kompetencerne",
        start=timezone.now() + dt.timedelta(days=20),
        end=timezone.now() + dt.timedelta(days=50),
        registration_enabled=True,
        capacity=2,
        waiting_list=True,
        sessions=[
            CourseSessionFactory.build(title="Kursusgang 1", date=start),
            CourseSessionFactory.build(title="Kursusgang 2", date=start + dt.timedelta(days=28)),
        ],
    )
