"""The data migration that moves tracks to the offering (events/0015_tracks_on_the_offering), run on real rows: the
pages, revisions and participants as the old code left them, the old tables' rows passed in as the migration reads
them."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.urls import reverse

import pytest

from events.models import CoursePage, EventPage
from events.registration.models import Participant
from network.models import OfferingTrack
from tests.events.factories import EventPageFactory

from .conftest import people, register

pytestmark = pytest.mark.django_db

migration = importlib.import_module("events.migrations.0015_tracks_on_the_offering")


def old_revision(page, **content) -> None:
    """A latest revision as the old code wrote it: the choices as a comma-separated string, a course's own tracks."""
    revision = page.save_revision()
    revision.content.update(content)
    revision.save(update_fields=["content"])


def set_tracks(offering, library, *codes: str) -> None:
    """Participants with the old codes, registered before there were tracks to choose."""
    register(offering, library, people(len(codes), prefix=f"p{offering.pk}-"))
    for participant, code in zip(Participant.objects.filter(offering=offering).order_by("pk"), codes, strict=True):
        participant.track = code
        participant.save(update_fields=["track"])


@pytest.fixture
def old_data(course, event, organisation, library):
    """A course with its own tracks and the choices ticked, an event with the choices only, and an event with
    participants on codes but no choices left."""
    other = EventPageFactory(parent=organisation, title="Uden spor", registration_enabled=True, capacity=10)
    set_tracks(course, library, "staff", "leaders")
    set_tracks(event, library, "leaders")
    set_tracks(other, library, "staff")
    old_course_tracks = [
        {"pk": 990, "page": course.pk, "sort_order": 0, "name": "Medarbejderspor", "description": ""},
        {"pk": 991, "page": course.pk, "sort_order": 1, "name": "Lederspor", "description": "For ledere."},
    ]
    old_revision(course, tracks=old_course_tracks, registration_tracks="staff,leaders")
    old_revision(event, registration_tracks="staff,leaders")
    migration.tracks_move(
        apps,
        course_tracks={course.pk: [("Medarbejderspor", ""), ("Lederspor", "For ledere.")]},
        codes={course.pk: ["staff", "leaders"], event.pk: ["staff", "leaders"]},
    )
    return course, event, other


def tracks_of(page) -> list[tuple]:
    return list(page.tracks.values_list("name", "description", "for_leaders"))


def test_courses_keep_their_tracks_and_events_get_the_choices_as_tracks(old_data):
    course, event, other = old_data
    assert tracks_of(course) == [("Medarbejderspor", "", False), ("Lederspor", "For ledere.", True)]
    assert tracks_of(event) == [("Medarbejdere", "", False), ("Ledere", "", True)]
    assert tracks_of(other) == []


def test_participants_codes_become_the_names_of_their_offerings_tracks(old_data):
    course, event, other = old_data

    def stored(offering):
        return list(Participant.objects.filter(offering=offering).order_by("pk").values_list("track", flat=True))

    assert stored(course) == ["Medarbejderspor", "Lederspor"]
    assert stored(event) == ["Ledere"]
    assert stored(other) == ["Medarbejdere"]


def test_the_latest_revision_gives_the_new_tracks_and_publishing_it_keeps_them(old_data):
    course, event, _other = old_data
    for page in (CoursePage.objects.get(pk=course.pk), EventPage.objects.get(pk=event.pk)):
        rows = list(OfferingTrack.objects.filter(page=page).values_list("pk", "name", "for_leaders"))
        assert "registration_tracks" not in page.latest_revision.content
        draft = page.get_latest_revision_as_object()
        assert [(t.pk, t.name, t.for_leaders) for t in draft.tracks.all()] == rows
        page.latest_revision.publish()
        assert list(OfferingTrack.objects.filter(page=page).values_list("pk", "name", "for_leaders")) == rows


def test_the_editor_opened_after_the_migration_shows_the_tracks(old_data, admin_client):
    course, _event, _other = old_data
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=(course.pk,))).content.decode()
    assert 'name="tracks-TOTAL_FORMS" value="2"' in html
    assert 'value="Lederspor"' in html
