"""Factories for events, courses and their course days (pass `parent=` a section, as in the real tree)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

import factory

from events.models import CoursePage, CourseSession, EventPage
from network.models import OfferingTrack
from tests.network.factories import ThemedPageFactory, municipality


class EventPageFactory(ThemedPageFactory):
    title = factory.Sequence(lambda n: f"Inspirationsdag {n}")
    intro = "En dag om FN's verdensmål på biblioteket."
    start = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    end = factory.LazyAttribute(lambda obj: obj.start + dt.timedelta(hours=6))
    venue_name = "Herning Bibliotekerne"
    city = "Herning"
    postcode = "7400"
    municipality = factory.LazyFunction(municipality)

    class Meta:
        model = EventPage


class CourseSessionFactory(factory.django.DjangoModelFactory):
    """An unsaved course day; pass a list of these as `sessions=[...]` to CoursePageFactory."""

    title = factory.Sequence(lambda n: f"Kursusgang {n}")
    date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    start_time = dt.time(9, 0)
    end_time = dt.time(15, 30)
    venue_name = "Hovedbiblioteket"
    municipality = factory.LazyFunction(municipality)
    goals = "<p>Mere fokus på egne kompetencer.</p>"

    class Meta:
        model = CourseSession


class CoursePageFactory(ThemedPageFactory):
    title = factory.Sequence(lambda n: f"Sæt spot på kompetencerne {n}")
    intro = "Et forløb om bibliotekets kompetencer i samarbejdet med skolerne."
    start = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    end = factory.LazyAttribute(lambda obj: obj.start + dt.timedelta(days=30))

    class Meta:
        model = CoursePage


def tracks(*names: str) -> list[OfferingTrack]:
    """Unsaved tracks for `tracks=[...]` of a page factory (or a page); a name with "leder" is the leaders' track."""
    return [OfferingTrack(name=name, for_leaders="leder" in name.lower()) for name in names]
