"""One person's data in the admin: see it, export it (logged), erase it (after asking)."""

from __future__ import annotations

import json

from django.urls import reverse

import pytest

from events.registration.models import LogAction, Participant, ParticipantStatus, RegistrationLogEntry
from events.registration.privacy import ANONYMOUS

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
