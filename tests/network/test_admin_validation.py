"""Validation in the Wagtail admin: coordinators get Danish messages, and nothing half-valid is saved."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

import pytest

from events.models import CoursePage, EventPage
from network.models import LibraryGroup, Theme
from tests.network.factories import ThemeFactory, municipality
from webinars.models import WebinarPage

pytestmark = pytest.mark.django_db

DATETIME_FORMAT = "%d.%m.%Y %H:%M"  # WAGTAIL_DATETIME_FORMAT
DATE_FORMAT = "%d.%m.%Y"  # WAGTAIL_DATE_FORMAT
REQUIRED = "Dette felt er påkrævet."


def add_url(model: type[Page], parent: Page) -> str:
    return reverse("wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk))


def as_admin_datetime(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime(DATETIME_FORMAT)


def publish(data: dict) -> dict:
    return {**data, "action-publish": "action-publish"}


def event_data(**overrides) -> dict:
    start = timezone.now() + dt.timedelta(days=30)
    data = {
        "title": "Inspirationsdag om verdensmål",
        "slug": "inspirationsdag-om-verdensmaal",
        "intro": "En dag med erfaringer og konkrete idéer.",
        "body": streamfield([]),
        "start": as_admin_datetime(start),
        "end": as_admin_datetime(start + dt.timedelta(hours=6)),
        "status": "planlagt",
        "attendance_mode": "fysisk",
        "venue_name": "Herning Bibliotekerne",
        "address": "Brændgårdvej 1",
        "postcode": "7400",
        "city": "Herning",
        "municipality": str(municipality("Herning").pk),
        "online_url": "",
        "themes": "",
        "audience": "alle",
        "organiser": "",
        "contact_person": "",
        "programme": streamfield([]),
        "materials": streamfield([]),
        "comments": inline_formset([]),
        "tracks": inline_formset([]),
        "registration_rounds": inline_formset([]),
        "evaluation": streamfield([]),
        "waiting_list": "on",
    }
    data.update(overrides)
    return nested_form_data(data)


def course_session(day: dt.date, **overrides) -> dict:
    session = {
        "kind": "kursusgang",
        "title": "Kursusgang 1: Kompetencer og skolereformen",
        "date": day.strftime(DATE_FORMAT),
        "end_date": "",
        "start_time": "09:00",
        "end_time": "15:30",
        "attendance_mode": "fysisk",
        "venue_name": "Hovedbiblioteket",
        "address": "",
        "postcode": "",
        "city": "",
        "municipality": str(municipality("Herning").pk),
        "online_url": "",
        "goals": rich_text("<p>Mere fokus på egne kompetencer.</p>"),
        "description": rich_text(""),
        "programme": streamfield([]),
        "materials": streamfield([]),
        "evaluation": streamfield([]),
    }
    session.update(overrides)
    return session


def course_data(start: dt.datetime, end: dt.datetime, sessions: list[dict], **overrides) -> dict:
    data = {
        "title": "Sæt spot på kompetencerne",
        "slug": "saet-spot-paa-kompetencerne",
        "intro": "Et forløb om bibliotekets kompetencer i samarbejdet med skolerne.",
        "body": streamfield([]),
        "start": as_admin_datetime(start),
        "end": as_admin_datetime(end),
        "status": "planlagt",
        "attendance_mode": "fysisk",
        "themes": "",
        "audience": "alle",
        "organiser": "",
        "contact_person": "",
        "sessions": inline_formset(sessions, min=1),
        "materials": streamfield([]),
        "comments": inline_formset([]),
        "tracks": inline_formset([]),
        "registration_rounds": inline_formset([]),
        "evaluation": streamfield([]),
        "waiting_list": "on",
        "certificate_share": "100",  # the editor shows the default filled in
    }
    data.update(overrides)
    return nested_form_data(data)


def webinar_data(**overrides) -> dict:
    data = {
        "title": "Citizen Science og verdensmålene",
        "slug": "citizen-science-og-verdensmaalene",
        "intro": "Hvad er citizen science, og hvordan kan biblioteket være med?",
        "body": streamfield([]),
        "start": as_admin_datetime(timezone.now() + dt.timedelta(days=7)),
        "duration": "60",
        "status": "planlagt",
        "audience": "alle",
        "themes": "",
        "organiser": "",
        "contact_person": "",
        "presenters": inline_formset([]),
        "join_url": "https://example.org/webinar",
        "recording_url": "",
        "slides": "",
        "materials": streamfield([]),
        "transcript": "",
        "comments": inline_formset([]),
        "tracks": inline_formset([]),
        "registration_rounds": inline_formset([]),
        "evaluation": streamfield([]),
        "waiting_list": "on",
    }
    data.update(overrides)
    return nested_form_data(data)


def assert_form_reshown_with(response, message: str) -> None:
    """The admin shows the form again (200, no redirect to the explorer) with the message on the page."""
    assert response.status_code == 200, f"expected the form again, got {response.status_code}"
    assert message in response.content.decode()


def field_errors(form, field: str) -> list[str]:
    return [str(error) for error in form.errors.get(field, [])]


# --- The admin speaks Danish ---------------------------------------------------------------------------------


def test_admin_login_page_is_in_danish(client):
    response = client.get(reverse("wagtailadmin_login"))
    assert response.status_code == 200
    assert 'lang="da"' in response.content.decode()
    assert "Log ind" in response.content.decode()


def test_admin_dashboard_is_in_danish(admin_client, home):
    response = admin_client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert "Sider" in response.content.decode()


# --- Invalid input is refused with a Danish message ----------------------------------------------------------


def test_event_ending_before_it_starts_is_refused(admin_client, organisation):
    start = timezone.now() + dt.timedelta(days=30)
    data = event_data(start=as_admin_datetime(start), end=as_admin_datetime(start - dt.timedelta(hours=2)))

    response = admin_client.post(add_url(EventPage, organisation), publish(data))

    assert_form_reshown_with(response, "Slut skal ligge efter start.")
    assert field_errors(response.context["form"], "end") == ["Slut skal ligge efter start."]
    assert not EventPage.objects.exists()


def test_on_site_event_without_venue_is_refused(admin_client, organisation):
    data = event_data(attendance_mode="fysisk", venue_name="")

    response = admin_client.post(add_url(EventPage, organisation), publish(data))

    assert_form_reshown_with(response, "Skriv hvor det foregår")
    assert field_errors(response.context["form"], "venue_name") == [
        "Skriv hvor det foregår, når der er fysisk fremmøde."
    ]
    assert not EventPage.objects.exists()


def test_online_event_needs_no_venue(admin_client, organisation):
    data = event_data(attendance_mode="online", venue_name="", municipality="", online_url="https://example.org/m")

    response = admin_client.post(add_url(EventPage, organisation), publish(data))

    assert response.status_code == 302
    assert EventPage.objects.get().venue_name == ""


def test_webinar_without_start_is_refused(admin_client, organisation):
    response = admin_client.post(add_url(WebinarPage, organisation), publish(webinar_data(start="")))

    assert_form_reshown_with(response, REQUIRED)
    form = response.context["form"]
    assert dict(form.errors) == {"start": [REQUIRED]}
    assert not WebinarPage.objects.exists()


def theme_data(name: str) -> dict:
    return {"name": name, "slug": "", "description": "", "synonyms": ""}


@pytest.mark.parametrize("name", ["Verdensmål", "verdensmål", " VERDENSMÅL "])
def test_duplicate_theme_is_refused_whatever_the_case(admin_client, name):
    ThemeFactory(name="Verdensmål")

    response = admin_client.post(reverse("wagtailsnippets_network_theme:add"), theme_data(name))

    assert_form_reshown_with(response, "Der findes allerede et tema med dette navn.")
    assert list(Theme.objects.values_list("name", flat=True)) == ["Verdensmål"]


def test_new_theme_gets_a_danish_slug(admin_client):
    response = admin_client.post(reverse("wagtailsnippets_network_theme:add"), theme_data("Bæredygtighed"))

    assert response.status_code == 302
    assert Theme.objects.get().slug == "baeredygtighed"


# --- A coordinator publishes ---------------------------------------------------------------------------------


def test_coordinator_publishes_an_event_with_two_themes(admin_client, organisation):
    ThemeFactory(name="Verdensmål")
    ThemeFactory(name="Design thinking")
    ThemeFactory(name="Ledelse")
    data = event_data(themes='Verdensmål, "Design thinking"')

    response = admin_client.post(add_url(EventPage, organisation), publish(data))

    assert response.status_code == 302
    event = EventPage.objects.live().get()
    assert event.get_parent().pk == organisation.pk
    assert sorted(event.themes.values_list("name", flat=True)) == ["Design thinking", "Verdensmål"]
    assert event.latest_revision is not None
    assert event.live_revision_id == event.latest_revision.pk


# --- Registration settings ----------------------------------------------------------------------------------


def test_registration_deadline_before_opening_is_refused(admin_client, organisation):
    start = timezone.now() + dt.timedelta(days=30)
    data = event_data(
        registration_enabled="on",
        registration_opens=as_admin_datetime(start - dt.timedelta(days=5)),
        registration_closes=as_admin_datetime(start - dt.timedelta(days=10)),
    )

    response = admin_client.post(add_url(EventPage, organisation), publish(data))

    assert field_errors(response.context["form"], "registration_closes") == [
        "Tilmeldingsfristen skal ligge efter åbningen."
    ]
    assert not EventPage.objects.exists()


def test_zero_seats_is_refused_with_a_hint(admin_client, organisation):
    response = admin_client.post(add_url(EventPage, organisation), publish(event_data(capacity="0")))

    assert field_errors(response.context["form"], "capacity") == [
        "Der skal være mindst én plads. Lad feltet stå tomt for ubegrænset."
    ]
    assert not EventPage.objects.exists()


def test_change_deadline_after_the_end_is_refused(admin_client, organisation):
    start = timezone.now() + dt.timedelta(days=30)
    data = event_data(change_deadline=as_admin_datetime(start + dt.timedelta(days=2)))

    response = admin_client.post(add_url(EventPage, organisation), publish(data))

    assert field_errors(response.context["form"], "change_deadline") == [
        "Fristen for ændringer kan ikke ligge efter tilbuddets slut."
    ]


@pytest.mark.parametrize("model", [EventPage, CoursePage, WebinarPage])
def test_the_editor_of_every_offering_kind_has_the_tracks_inline_once(admin_client, organisation, model):
    html = admin_client.get(add_url(model, organisation)).content.decode()
    assert html.count('name="tracks-TOTAL_FORMS"') == 1
    assert 'id="id_tracks-__prefix__-for_leaders"' in html
    # On the registration tab, beside the seats.
    registration_tab = html[html.index('id="tab-tilmelding"') :]
    assert "tracks-TOTAL_FORMS" in registration_tab


def test_registration_settings_and_a_round_are_saved(admin_client, organisation):
    group = LibraryGroup.objects.create(name="Certificeringsbiblioteker", slug="certificeringsbiblioteker")
    start = timezone.now() + dt.timedelta(days=30)
    data = event_data(
        registration_enabled="on",
        capacity="25",
        max_per_library="4",
        registration_rounds=inline_formset(
            [{"library_group": str(group.pk), "opens_at": as_admin_datetime(start - dt.timedelta(days=20))}]
        ),
        tracks=inline_formset(
            [
                {"name": "Medarbejdere", "description": "", "for_leaders": ""},
                {"name": "Lederspor", "description": "Et ekstra modul for ledere.", "for_leaders": "on"},
            ]
        ),
    )

    response = admin_client.post(add_url(EventPage, organisation), publish(data))

    assert response.status_code == 302
    event = EventPage.objects.get()
    assert (event.registration_enabled, event.capacity, event.max_per_library) == (True, 25, 4)
    assert list(event.tracks.values_list("name", "for_leaders")) == [("Medarbejdere", False), ("Lederspor", True)]
    assert event.registration_rounds.get().library_group == group
