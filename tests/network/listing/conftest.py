"""The catalogue of offerings the listing tests filter, built once per module and rolled back after it, and the
clock frozen at NOW, so every expectation is a fixed list of titles."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group

from wagtail.models import PageViewRestriction

import pytest
import time_machine

from network.models import OrganisationIndexPage
from tests.events.factories import CoursePageFactory, CourseSessionFactory, EventPageFactory
from tests.network.factories import OrganisationPageFactory, ThemeFactory, aware, municipality
from tests.network.listing.catalogue import (
    CONFERENCE,
    COURSE,
    DRAFT,
    EVENING,
    FESTIVAL,
    INSPIRATION,
    LEADERS,
    NOW,
    PAST_COURSE,
    PAST_DAY,
    PAST_LEADERS,
    PAST_WEBINAR,
    PRIVATE,
    WEBINAR,
)
from tests.webinars.factories import WebinarPageFactory, WebinarPresenterFactory


def on_site(name: str) -> dict:
    return {
        "attendance_mode": "fysisk",
        "venue_name": f"Biblioteket i {name}",
        "city": name,
        "municipality": municipality(name),
    }


ONLINE = {
    "attendance_mode": "online",
    "venue_name": "",
    "city": "",
    "postcode": "",
    "municipality": None,
    "online_url": "https://example.org/moede",
}


@pytest.fixture(scope="module")
def catalogue(module_transaction):
    """Events, courses and webinars around NOW, with themes, audiences, forms and regions to filter on."""
    section = OrganisationPageFactory(parent=OrganisationIndexPage.objects.get(), title="Slots- og Kulturstyrelsen")
    themes = {
        "verdensmaal": ThemeFactory(name="Verdensmål"),
        "laeselyst": ThemeFactory(name="Læselyst"),
        "ledelse": ThemeFactory(name="Ledelse"),
        "historie": ThemeFactory(name="Historie"),  # only on a past offering
        "ubrugt": ThemeFactory(name="Ubrugt tema"),  # on nothing
    }
    t = themes

    def event(title, start, end, intro, themes, audience="alle", **place):
        return EventPageFactory(
            parent=section, title=title, start=start, end=end, intro=intro, themes=themes, audience=audience, **place
        )

    pages = {
        FESTIVAL: event(
            FESTIVAL,
            aware(2030, 5, 14, 9),
            aware(2030, 5, 16, 16),
            "Tre dage med oplæg og værksteder.",
            [t["laeselyst"]],
            **on_site("Herning"),
        ),
        INSPIRATION: event(
            INSPIRATION,
            aware(2030, 6, 1, 9),
            aware(2030, 6, 1, 15),
            "En dag om FN's 17 mål på biblioteket.",
            [t["verdensmaal"]],
            **on_site("Herning"),
        ),
        LEADERS: event(
            LEADERS,
            aware(2030, 6, 10, 10),
            aware(2030, 6, 10, 16),
            "Netværk for bibliotekschefer.",
            [t["ledelse"], t["verdensmaal"]],
            audience="ledere",
            **on_site("København"),
        ),
        EVENING: event(
            EVENING,
            aware(2030, 7, 1, 16),
            aware(2030, 7, 1, 18),
            "Et online møde efter arbejdstid.",
            [t["laeselyst"]],
            audience="medarbejdere",
            **ONLINE,
        ),
        CONFERENCE: event(
            CONFERENCE,
            aware(2030, 8, 20, 9),
            aware(2030, 8, 21, 16),
            "To dage, i salen eller hjemmefra.",
            [t["laeselyst"], t["verdensmaal"]],
            **{**on_site("Odense"), "attendance_mode": "hybrid", "online_url": "https://example.org/stream"},
        ),
        PAST_DAY: event(
            PAST_DAY,
            aware(2030, 3, 10, 9),
            aware(2030, 3, 10, 15),
            "Bæredygtig drift af bibliotekerne.",
            [t["verdensmaal"]],
            **on_site("Herning"),
        ),
        PAST_LEADERS: event(
            PAST_LEADERS,
            aware(2029, 11, 5, 9),
            aware(2029, 11, 5, 16),
            "Ledelse af fremtidens bibliotek.",
            [t["ledelse"], t["historie"]],
            audience="ledere",
            **on_site("København"),
        ),
        COURSE: CoursePageFactory(
            parent=section,
            title=COURSE,
            start=aware(2030, 9, 1, 9),
            end=aware(2030, 10, 31, 16),
            intro="Et forløb om kompetencer i samarbejdet med skolerne.",
            audience="medarbejdere",
            themes=[t["verdensmaal"]],
            sessions=[
                CourseSessionFactory.build(
                    title="Første kursusgang",
                    date=dt.date(2030, 9, 10),
                    municipality=municipality("Aarhus"),
                    city="Aarhus",
                ),
                CourseSessionFactory.build(
                    title="Anden kursusgang",
                    date=dt.date(2030, 10, 20),
                    municipality=municipality("Aarhus"),
                    city="Aarhus",
                ),
            ],
        ),
        PAST_COURSE: CoursePageFactory(
            parent=section,
            title=PAST_COURSE,
            start=aware(2029, 9, 1, 9),
            end=aware(2029, 12, 1, 16),
            intro="Et forløb for nye ledere.",
            audience="ledere",
            attendance_mode="online",
            themes=[t["ledelse"]],
            sessions=[
                CourseSessionFactory.build(
                    title="Online kursusgang",
                    date=dt.date(2029, 9, 15),
                    attendance_mode="online",
                    venue_name="",
                    municipality=None,
                ),
            ],
        ),
        WEBINAR: WebinarPageFactory(
            parent=section,
            title=WEBINAR,
            start=aware(2030, 5, 20, 14),
            intro="Borgere forsker sammen.",
            themes=[t["verdensmaal"]],
            presenters=[WebinarPresenterFactory.build()],
        ),
        PAST_WEBINAR: WebinarPageFactory(
            parent=section,
            title=PAST_WEBINAR,
            start=aware(2030, 4, 2, 14),
            intro="Læs højt for voksne.",
            themes=[t["laeselyst"]],
            recording_url="https://example.org/optagelse",
        ),
        DRAFT: EventPageFactory(
            parent=section,
            title=DRAFT,
            start=aware(2030, 6, 2, 9),
            end=aware(2030, 6, 2, 15),
            live=False,
            intro="Ikke udgivet endnu.",
            themes=[t["verdensmaal"]],
        ),
        PRIVATE: event(
            PRIVATE,
            aware(2030, 6, 3, 9),
            aware(2030, 6, 3, 15),
            "Kun for tovholdere.",
            [t["verdensmaal"]],
            **on_site("Herning"),
        ),
    }
    restriction = PageViewRestriction.objects.create(page=pages[PRIVATE], restriction_type="groups")
    restriction.groups.set([Group.objects.create(name="Tovholdere")])
    return {"pages": pages, "themes": themes}


@pytest.fixture(autouse=True)
def frozen(catalogue, db):
    with time_machine.travel(NOW, tick=False):
        yield
