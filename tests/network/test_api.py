"""Wagtail's API v2 at /api/v2/: every page type serialises with all its fields; images and documents list."""

from __future__ import annotations

import datetime as dt

import pytest

from events.models import EventPage
from network.demo.site import site_ensure_structure
from network.models import InitiativeIndexPage, OfferingTrack, OrganisationIndexPage, WorkingGroupRelatedOffering
from tests.events.factories import CoursePageFactory, CourseSessionFactory, EventPageFactory
from tests.network.factories import (
    DocumentFactory,
    ImageFactory,
    InitiativePageFactory,
    OrganisationPageFactory,
    PersonFactory,
    StandardPageFactory,
    ThemeFactory,
    WorkingGroupMemberFactory,
    WorkingGroupPageFactory,
    aware,
    programme,
)
from tests.webinars.factories import WebinarPageFactory, WebinarPresenterFactory

pytestmark = pytest.mark.django_db

PAGES_URL = "/api/v2/pages/"


@pytest.fixture(scope="module")
def catalogue(module_transaction):
    """One live page of each kind, with the relations the API must serialise; built once for the module."""
    home = site_ensure_structure()
    themes = [ThemeFactory(name="Verdensmål"), ThemeFactory(name="Citizen science")]
    organisation = OrganisationPageFactory(parent=OrganisationIndexPage.objects.get())
    initiative = InitiativePageFactory(parent=InitiativeIndexPage.objects.get(), organiser=organisation)
    document = DocumentFactory(title="Procesbeskrivelse til interviews")
    contact = PersonFactory(name="Tovholder, Danmarks Biblioteksforening", email="tovholder@example.org")
    initiative.coordinator = contact
    initiative.themes.set(themes)
    initiative.save()
    event = EventPageFactory(
        parent=organisation,
        title="Inspirationsdag om verdensmål",
        organiser=organisation,
        contact_person=contact,
        start=aware(2030, 3, 23, 9, 0),
        end=aware(2030, 3, 23, 15, 0),
        programme=programme(("09:00", "Ankomst og kaffe"), ("09:30", "Sådan kommer I i gang")),
        materials=[{"type": "document", "value": {"document": document.pk, "title": "", "description": ""}}],
        themes=themes,
    )
    course = CoursePageFactory(
        parent=initiative,
        title="Sæt spot på kompetencerne",
        start=aware(2030, 9, 1, 9, 0),
        end=aware(2030, 10, 31, 16, 0),
        sessions=[
            CourseSessionFactory.build(
                title="Kursusgang 1",
                date=dt.date(2030, 9, 10),
                programme=programme(("09:00", "Ankomst")),
            ),
            CourseSessionFactory.build(
                title="Kursusgang 2",
                date=dt.date(2030, 10, 20),
                programme=programme(("09:00", "Ankomst og spørgsmål siden sidst"), ("11:45", "Frokost")),
            ),
        ],
        themes=themes[:1],
        tracks=[
            OfferingTrack(name="Medarbejderspor"),
            OfferingTrack(name="Lederspor", description="Et ekstra modul for ledere.", for_leaders=True),
        ],
    )
    webinar = WebinarPageFactory(
        parent=organisation,
        title="Citizen Science og verdensmålene",
        start=aware(2030, 4, 2, 14, 0),
        slides=document,
        presenters=[WebinarPresenterFactory.build(topic="Citizen Science som arbejdsmetode")],
        themes=themes,
    )
    group = WorkingGroupPageFactory(
        parent=initiative,
        contact_person=contact,
        members=[WorkingGroupMemberFactory.build(role="Formand"), WorkingGroupMemberFactory.build()],
        related_offerings=[WorkingGroupRelatedOffering(offering=event)],
        themes=themes,
    )
    standard = StandardPageFactory(parent=home, title="Om netværket")
    return {
        "home": home,
        "organisation": organisation,
        "initiative": initiative,
        "event": event,
        "course": course,
        "webinar": webinar,
        "working_group": group,
        "standard": standard,
        "document": document,
    }


def get_pages(client, page_type: str) -> list[dict]:
    response = client.get(PAGES_URL, {"type": page_type, "fields": "*"})
    assert response.status_code == 200, response.content[:2000]
    return response.json()["items"]


def get_one(client, page_type: str, page) -> dict:
    items = [item for item in get_pages(client, page_type) if item["id"] == page.pk]
    assert len(items) == 1, f"{page_type} {page.pk} not listed"
    return items[0]


@pytest.mark.parametrize(
    "page_type",
    [
        "network.HomePage",
        "network.StandardPage",
        "network.InitiativeIndexPage",
        "network.OrganisationIndexPage",
        "network.WorkingGroupIndexPage",
        "network.ThemeIndexPage",
        "network.InitiativePage",
        "network.OrganisationPage",
        "network.WorkingGroupPage",
        "events.EventIndexPage",
        "events.CourseIndexPage",
        "events.EventPage",
        "events.CoursePage",
        "webinars.WebinarIndexPage",
        "webinars.WebinarPage",
    ],
)
def test_every_page_type_is_listed_with_all_fields(client, catalogue, page_type):
    items = get_pages(client, page_type)
    assert len(items) == 1
    assert items[0]["meta"]["type"] == page_type


@pytest.mark.parametrize("key", ["event", "course", "webinar", "working_group", "initiative", "organisation"])
def test_every_page_has_a_detail_view(client, catalogue, key):
    page = catalogue[key]
    response = client.get(f"{PAGES_URL}{page.pk}/")
    assert response.status_code == 200
    assert response.json()["title"] == page.title


def test_event_in_the_api_has_time_place_themes_and_programme(client, catalogue):
    event = get_one(client, "events.EventPage", catalogue["event"])
    assert event["start"].startswith("2030-03-23T09:00:00")
    assert event["end"].startswith("2030-03-23T15:00:00")
    assert event["venue_name"] == "Herning Bibliotekerne"
    assert event["municipality"] == "Herning"
    assert event["region"] == "midtjylland"
    assert sorted(event["themes"], key=lambda theme: theme["slug"]) == [
        {"name": "Citizen science", "slug": "citizen-science"},
        {"name": "Verdensmål", "slug": "verdensmaal"},
    ]
    assert [item["value"]["title"] for item in event["programme"]] == ["Ankomst og kaffe", "Sådan kommer I i gang"]
    assert event["materials"][0]["value"]["document"] == catalogue["document"].pk
    assert event["organiser"]["id"] == catalogue["organisation"].pk
    assert event["contact_person"]["email"] == "tovholder@example.org"
    assert "phone" not in event["contact_person"]


def test_course_in_the_api_has_its_sessions_with_programme(client, catalogue):
    course = get_one(client, "events.CoursePage", catalogue["course"])
    assert [session["title"] for session in course["sessions"]] == ["Kursusgang 1", "Kursusgang 2"]
    second = course["sessions"][1]
    assert second["date"] == "2030-10-20"
    assert second["start_time"] == "09:00:00"
    assert [item["value"]["title"] for item in second["programme"]] == [
        "Ankomst og spørgsmål siden sidst",
        "Frokost",
    ]
    assert "Mere fokus på egne kompetencer" in second["goals"]
    assert course["themes"] == [{"name": "Verdensmål", "slug": "verdensmaal"}]


def test_course_in_the_api_has_its_tracks_with_name_and_description(client, catalogue):
    course = get_one(client, "events.CoursePage", catalogue["course"])
    assert [(track["name"], track["description"]) for track in course["tracks"]] == [
        ("Medarbejderspor", ""),
        ("Lederspor", "Et ekstra modul for ledere."),
    ]


def test_webinar_in_the_api_has_presenters_phase_end_and_slides(client, catalogue):
    webinar = get_one(client, "webinars.WebinarPage", catalogue["webinar"])
    assert webinar["duration"] == 60
    assert webinar["end"].startswith("2030-04-02T15:00:00")
    assert webinar["phase"] == "upcoming"
    assert webinar["attendance_mode"] == "online"
    assert [presenter["topic"] for presenter in webinar["presenters"]] == ["Citizen Science som arbejdsmetode"]
    assert webinar["presenters"][0]["person"]["name"].startswith("Tovholder")
    assert webinar["slides"]["id"] == catalogue["document"].pk


def test_working_group_in_the_api_has_members_and_related_offerings(client, catalogue):
    group = get_one(client, "network.WorkingGroupPage", catalogue["working_group"])
    assert [member["role"] for member in group["members"]] == ["Formand", "Medlem"]
    assert group["members"][0]["organisation_name"] == "Danmarks Biblioteksforening"
    assert [related["offering"]["id"] for related in group["related_offerings"]] == [catalogue["event"].pk]


def test_initiative_in_the_api_has_funding_and_coordinator(client, catalogue):
    initiative = get_one(client, "network.InitiativePage", catalogue["initiative"])
    assert initiative["funding_source"] == "Folketinget"
    assert initiative["funding_start"] == "2022-01-01"
    assert initiative["coordinator"]["name"] == "Tovholder, Danmarks Biblioteksforening"
    assert {theme["slug"] for theme in initiative["themes"]} == {"verdensmaal", "citizen-science"}


def test_pages_can_be_filtered_by_type_of_offering_and_listed_together(client, catalogue):
    response = client.get(PAGES_URL, {"type": "network.OfferingPage", "fields": "start,end"})
    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["items"]}
    assert ids == {catalogue["event"].pk, catalogue["course"].pk, catalogue["webinar"].pk}


def test_draft_pages_are_not_in_the_api(client, catalogue):
    EventPage.objects.get(pk=catalogue["event"].pk).unpublish()
    assert get_pages(client, "events.EventPage") == []


def test_images_endpoint_lists_images(client, db):
    image = ImageFactory(title="Inspirationsdag i Herning")
    response = client.get("/api/v2/images/")
    assert response.status_code == 200
    assert image.pk in [item["id"] for item in response.json()["items"]]


def test_documents_endpoint_lists_documents(client, db):
    document = DocumentFactory(title="Kompetencelandskab")
    response = client.get("/api/v2/documents/")
    assert response.status_code == 200
    assert document.pk in [item["id"] for item in response.json()["items"]]
