"""schema.org JSON-LD on each offering page, read back from the rendered page as a search engine would."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from network.models import OrganisationIndexPage
from tests.events.factories import CoursePageFactory, CourseSessionFactory, EventPageFactory
from tests.network.factories import OrganisationPageFactory, PersonFactory, aware, municipality
from tests.webinars.factories import WebinarPageFactory, WebinarPresenterFactory

pytestmark = pytest.mark.django_db

SCHEMA = "https://schema.org/"


@pytest.fixture(scope="module")
def organiser(module_transaction):
    return OrganisationPageFactory(
        parent=OrganisationIndexPage.objects.get(),
        title="Danmarks Biblioteksforening",
        website="https://example.org/db",
    )


@pytest.fixture
def section(organiser, db):
    return organiser


def jsonld(client, page) -> dict:
    response = client.get(page.url)
    assert response.status_code == 200
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), flags=re.S)
    assert len(scripts) == 1, f"expected one JSON-LD script, found {len(scripts)}"
    return json.loads(scripts[0])


def by_type(locations: list[dict], kind: str) -> list[dict]:
    return [location for location in locations if location["@type"] == kind]


def event(section, **kwargs):
    values = {
        "title": "Inspirationsdag om verdensmål",
        "intro": "En dag om FN's 17 mål.",
        "start": aware(2030, 6, 1, 9),
        "end": aware(2030, 6, 1, 15),
        "organiser": section,
        "venue_name": "Herning Bibliotekerne",
        "address": "Brænderigården 1",
        "postcode": "7400",
        "city": "Herning",
        "municipality": municipality("Herning"),
        **kwargs,
    }
    return EventPageFactory(parent=section, **values)


def test_event_is_an_event_with_dates_status_and_mode(client, section):
    page = event(section)
    data = jsonld(client, page)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "Inspirationsdag om verdensmål"
    assert data["description"] == "En dag om FN's 17 mål."
    assert data["url"].startswith("http")
    assert data["url"].endswith(page.url)
    assert dt.datetime.fromisoformat(data["startDate"]) == page.start
    assert data["startDate"] == "2030-06-01T09:00:00+02:00"
    assert data["endDate"] == "2030-06-01T15:00:00+02:00"
    assert data["eventStatus"] == SCHEMA + "EventScheduled"
    assert data["eventAttendanceMode"] == SCHEMA + "OfflineEventAttendanceMode"


def test_event_location_is_a_place_with_its_address(client, section):
    data = jsonld(client, event(section))
    (place,) = data["location"]
    assert place == {
        "@type": "Place",
        "name": "Herning Bibliotekerne",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "Brænderigården 1",
            "postalCode": "7400",
            "addressLocality": "Herning",
            "addressRegion": "Region Midtjylland",
            "addressCountry": "DK",
        },
    }


def test_event_has_its_organizer(client, section):
    data = jsonld(client, event(section))
    assert data["organizer"] == {
        "@type": "Organization",
        "name": "Danmarks Biblioteksforening",
        "url": "https://example.org/db",
    }


@pytest.mark.parametrize(
    ("status", "expected"),
    [("aflyst", "EventCancelled"), ("udskudt", "EventPostponed"), ("planlagt", "EventScheduled")],
)
def test_event_status(client, section, status, expected):
    assert jsonld(client, event(section, status=status))["eventStatus"] == SCHEMA + expected


def test_online_event_has_a_virtual_location(client, section):
    page = event(
        section,
        attendance_mode="online",
        venue_name="",
        address="",
        postcode="",
        city="",
        municipality=None,
        online_url="https://example.org/moede",
    )
    data = jsonld(client, page)
    assert data["eventAttendanceMode"] == SCHEMA + "OnlineEventAttendanceMode"
    assert data["location"] == [{"@type": "VirtualLocation", "url": "https://example.org/moede"}]


def test_hybrid_event_has_both_locations(client, section):
    data = jsonld(client, event(section, attendance_mode="hybrid", online_url="https://example.org/stream"))
    assert data["eventAttendanceMode"] == SCHEMA + "MixedEventAttendanceMode"
    assert [place["name"] for place in by_type(data["location"], "Place")] == ["Herning Bibliotekerne"]
    assert by_type(data["location"], "VirtualLocation") == [
        {"@type": "VirtualLocation", "url": "https://example.org/stream"}
    ]


def test_webinar_is_an_online_event_with_presenters(client, section):
    page = WebinarPageFactory(
        parent=section,
        title="Webinar om citizen science",
        organiser=section,
        start=aware(2030, 5, 20, 14),
        duration=90,
        join_url="https://example.org/deltag",
        presenters=[WebinarPresenterFactory.build(person=PersonFactory(name="Forsker, Aarhus Universitet"))],
    )
    data = jsonld(client, page)
    assert data["@type"] == "Event"
    assert data["eventAttendanceMode"] == SCHEMA + "OnlineEventAttendanceMode"
    assert data["location"] == [{"@type": "VirtualLocation", "url": "https://example.org/deltag"}]
    assert data["startDate"] == "2030-05-20T14:00:00+02:00"
    assert data["endDate"] == "2030-05-20T15:30:00+02:00"
    assert data["performer"] == [{"@type": "Person", "name": "Forsker, Aarhus Universitet"}]
    assert data["organizer"]["name"] == "Danmarks Biblioteksforening"


def course(section, **kwargs):
    values = {
        "title": "Sæt spot på kompetencerne",
        "intro": "Et forløb om kompetencer.",
        "organiser": section,
        "start": aware(2030, 9, 1, 9),
        "end": aware(2030, 10, 31, 16),
        "sessions": [
            CourseSessionFactory.build(
                title="Første kursusgang",
                date=dt.date(2030, 9, 10),
                venue_name="Dokk1",
                address="Hack Kampmanns Plads 2",
                postcode="8000",
                city="Aarhus",
                municipality=municipality("Aarhus"),
            ),
            CourseSessionFactory.build(
                title="Afprøvning på eget bibliotek",
                kind="aktivitet",
                date=dt.date(2030, 9, 20),
                start_time=dt.time(9),
                end_time=dt.time(12),
            ),
            CourseSessionFactory.build(
                title="Anden kursusgang",
                date=dt.date(2030, 10, 30),
                venue_name="Dokk1",
                city="Aarhus",
                municipality=municipality("Aarhus"),
            ),
        ],
        **kwargs,
    }
    return CoursePageFactory(parent=section, **values)


def test_course_is_a_course_with_an_education_event_per_course_day(client, section):
    data = jsonld(client, course(section))
    assert data["@type"] == "Course"
    assert data["name"] == "Sæt spot på kompetencerne"
    (instance,) = data["hasCourseInstance"]
    assert instance["@type"] == "CourseInstance"
    assert instance["courseMode"] == "onsite"
    assert instance["startDate"] == "2030-09-01T09:00:00+02:00"
    days = instance["subEvent"]
    assert [day["@type"] for day in days] == ["EducationEvent", "EducationEvent"]  # the activity is no course day
    assert [day["name"] for day in days] == ["Første kursusgang", "Anden kursusgang"]
    assert [day["startDate"] for day in days] == ["2030-09-10T09:00:00+02:00", "2030-10-30T09:00:00+01:00"]
    assert [day["endDate"] for day in days] == ["2030-09-10T15:30:00+02:00", "2030-10-30T15:30:00+01:00"]


def test_course_days_have_status_mode_and_place(client, section):
    first, _second = jsonld(client, course(section))["hasCourseInstance"][0]["subEvent"]
    assert first["eventStatus"] == SCHEMA + "EventScheduled"
    assert first["eventAttendanceMode"] == SCHEMA + "OfflineEventAttendanceMode"
    (place,) = first["location"]
    assert place["@type"] == "Place"
    assert place["name"] == "Dokk1"
    assert place["address"]["streetAddress"] == "Hack Kampmanns Plads 2"
    assert place["address"]["addressLocality"] == "Aarhus"
    assert place["address"]["addressRegion"] == "Region Midtjylland"


def test_course_has_its_organiser_as_provider(client, section):
    data = jsonld(client, course(section))
    assert data["provider"] == {
        "@type": "Organization",
        "name": "Danmarks Biblioteksforening",
        "url": "https://example.org/db",
    }


def test_cancelled_course_days_are_cancelled(client, section):
    days = jsonld(client, course(section, status="aflyst"))["hasCourseInstance"][0]["subEvent"]
    assert [day["eventStatus"] for day in days] == [SCHEMA + "EventCancelled"] * 2


def test_online_course_day_has_a_virtual_location(client, section):
    page = CoursePageFactory(
        parent=section,
        title="Online forløb",
        attendance_mode="online",
        start=aware(2030, 9, 1, 9),
        sessions=[
            CourseSessionFactory.build(
                title="Online kursusgang",
                date=dt.date(2030, 9, 15),
                attendance_mode="online",
                venue_name="",
                municipality=None,
                online_url="https://example.org/kursus",
            )
        ],
    )
    (day,) = jsonld(client, page)["hasCourseInstance"][0]["subEvent"]
    assert day["eventAttendanceMode"] == SCHEMA + "OnlineEventAttendanceMode"
    assert day["location"] == [{"@type": "VirtualLocation", "url": "https://example.org/kursus"}]


def test_online_course_has_course_mode_online(client, section):
    page = CoursePageFactory(
        parent=section,
        title="Online forløb",
        attendance_mode="online",
        start=aware(2030, 9, 1, 9),
        sessions=[
            CourseSessionFactory.build(
                title="Online kursusgang",
                date=dt.date(2030, 9, 15),
                attendance_mode="online",
                venue_name="",
                municipality=None,
            )
        ],
    )
    assert jsonld(client, page)["hasCourseInstance"][0]["courseMode"] == "online"


def test_markup_in_a_title_cannot_break_out_of_the_script(client, section):
    title = "Slut </script><script>alert(1)</script> & mere"
    page = event(section, title=title)
    content = client.get(page.url).content.decode()
    assert "</script><script>alert(1)" not in content
    assert jsonld(client, page)["name"] == title
