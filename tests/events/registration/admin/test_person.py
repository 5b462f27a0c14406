"""One person's data in the admin: see it, export it (logged), erase it (after asking)."""

from __future__ import annotations

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from events.registration.models import LogAction, Participant, ParticipantStatus, RegistrationLogEntry
from events.registration.privacy import ANONYMOUS
from events.registration.values import ParticipantData
from tests.events.factories import EventPageFactory
from tests.network.factories import OrganisationPageFactory

from ..conftest import register
from .conftest import denied, editor

pytestmark = pytest.mark.django_db


def person_url() -> str:
    return reverse("registration_admin:person")


def test_person_view_shows_what_we_hold(coordinator_client, filled):
    response = coordinator_client.get(person_url(), {"email": "Deltager4@example.org"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Deltager 4" in html and "Temadag om læselyst" in html


def test_person_view_invalid_email_is_a_message(coordinator_client):
    response = coordinator_client.get(person_url(), {"email": "ikke en adresse"})
    assert response.status_code == 200
    assert "error-message" in response.content.decode()


def test_person_export_downloads_json_and_logs(coordinator_client, coordinator, filled):
    response = coordinator_client.post(person_url(), {"email": "deltager4@example.org", "action": "export"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert [row["navn"] for row in data["participant"]] == ["Deltager 4"]
    assert RegistrationLogEntry.objects.filter(action=LogAction.EXPORTED, actor=coordinator).exists()


def test_person_post_without_action_returns_to_the_lookup_without_the_token(coordinator_client, filled):
    response = coordinator_client.post(person_url(), {"email": "deltager4@example.org"})
    assert response.status_code == 302
    assert response["Location"] == person_url() + "?email=deltager4%40example.org"


def test_person_erase_asks_first_then_anonymises(coordinator_client, filled, django_capture_on_commit_callbacks):
    ask = coordinator_client.post(person_url(), {"email": "deltager1@example.org", "action": "erase"})
    assert ask.status_code == 200
    assert "Ja, slet data" in ask.content.decode()
    assert Participant.objects.filter(email="deltager1@example.org").exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = coordinator_client.post(
            person_url(), {"email": "deltager1@example.org", "action": "erase", "confirm": "1"}
        )
    assert done.status_code == 302
    assert not Participant.objects.filter(email="deltager1@example.org").exists()
    assert Participant.objects.filter(name=ANONYMOUS, status=ParticipantStatus.CANCELLED).count() == 1
    # The freed seat went to the first on the waiting list.
    assert Participant.objects.get(email="deltager4@example.org").status == ParticipantStatus.CONFIRMED


def test_person_tools_need_the_permission(client, filled):
    client.force_login(editor())
    assert denied(client.get(person_url(), {"email": "deltager1@example.org"}))
    assert denied(client.post(person_url(), {"email": "deltager1@example.org", "action": "erase", "confirm": "1"}))
    assert Participant.objects.filter(email="deltager1@example.org").exists()


@pytest.fixture
def both(filled, organisation_index, other_library):
    """deltager1@example.org also takes part in an offering of another organisation (FKI), and is its contact."""
    fki = OrganisationPageFactory(parent=organisation_index, title="FKI", short_name="FKI")
    elsewhere = EventPageFactory(parent=fki, title="Webinar om trivsel", registration_enabled=True, capacity=5)
    register(
        elsewhere,
        other_library,
        [ParticipantData("Deltager 1", "deltager1@example.org", needs="Kørestolsbruger")],
        contact_email="deltager1@example.org",
    )
    return elsewhere


def test_person_view_of_a_coordinator_shows_only_their_offerings(coordinator_client, both):
    html = coordinator_client.get(person_url(), {"email": "deltager1@example.org"}).content.decode()
    assert "Temadag om læselyst" in html
    assert "Webinar om trivsel" not in html and "Kørestolsbruger" not in html
    assert "Du ser kun tilmeldinger til de tilbud, du kan redigere" in html


def test_person_of_another_organisation_is_not_found_exported_or_erased(stranger_client, stranger, filled):
    html = stranger_client.get(person_url(), {"email": "deltager4@example.org"}).content.decode()
    assert "Deltager 4" not in html and "Temadag om læselyst" not in html
    export = stranger_client.post(person_url(), {"email": "deltager4@example.org", "action": "export"})
    assert json.loads(export.content)["participant"] == [] and json.loads(export.content)["kontaktperson"] == []
    assert not RegistrationLogEntry.objects.filter(action=LogAction.EXPORTED, actor=stranger).exists()
    stranger_client.post(person_url(), {"email": "deltager4@example.org", "action": "erase", "confirm": "1"})
    participant = Participant.objects.get(email="deltager4@example.org")
    assert (participant.name, participant.status) == ("Deltager 4", ParticipantStatus.WAITING)


def test_coordinator_erases_only_their_offerings_part_of_a_person(
    coordinator_client, both, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(person_url(), {"email": "deltager1@example.org", "action": "erase", "confirm": "1"})
    kept = Participant.objects.get(email="deltager1@example.org")
    assert kept.offering_id == both.pk and kept.needs == "Kørestolsbruger"
    assert kept.registration.contact_email == "deltager1@example.org"
    assert kept.registration.messages.filter(to_email="deltager1@example.org").exists()


def test_personal_data_officer_finds_exports_and_erases_across_the_network(
    officer_client, officer, both, django_capture_on_commit_callbacks
):
    html = officer_client.get(person_url(), {"email": "deltager1@example.org"}).content.decode()
    assert "Temadag om læselyst" in html and "Webinar om trivsel" in html and "Kørestolsbruger" in html
    assert "Du ser kun tilmeldinger" not in html
    export = json.loads(
        officer_client.post(person_url(), {"email": "deltager1@example.org", "action": "export"}).content
    )
    assert sorted(row["tilbud"] for row in export["participant"]) == ["Temadag om læselyst", "Webinar om trivsel"]
    assert [row["tilbud"] for row in export["kontaktperson"]] == ["Webinar om trivsel"]
    assert RegistrationLogEntry.objects.filter(action=LogAction.EXPORTED, actor=officer).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(person_url(), {"email": "deltager1@example.org", "action": "erase", "confirm": "1"})
    assert not Participant.objects.filter(email="deltager1@example.org").exists()
    assert not both.registrations.filter(contact_email="deltager1@example.org").exists()


def test_person_lookup_of_a_coordinator_costs_the_same_for_more_records(
    coordinator_client, filled, library, django_assert_num_queries
):
    """The scope is one subquery of the look-up, not a check per record."""

    def lookup():
        return coordinator_client.get(person_url(), {"email": "deltager1@example.org"})

    lookup()
    with CaptureQueriesContext(connection) as first:
        lookup()
    for _ in range(3):
        event = EventPageFactory(parent=filled.get_parent(), registration_enabled=True, capacity=5)
        register(event, library, [ParticipantData("Deltager 1", "deltager1@example.org")])
    with django_assert_num_queries(len(first)):
        assert lookup().content.decode().count("Deltager 1") == 4
