"""A coordinator registers a participant by hand (a telephone registration), through the public form's service."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from events.registration.models import LogAction, Participant, ParticipantStatus, RegistrationLogEntry
from network.models import LibraryGroup

from .conftest import denied

pytestmark = pytest.mark.django_db


def add_url(offering) -> str:
    return reverse("registration_admin:add", args=[offering.pk])


def form_data(chosen, **changes) -> dict:
    data = {
        "library": chosen.pk,
        "contact_name": "Kontakt i telefonen",
        "contact_email": "telefon@example.org",
        "name": "Ny Deltager",
        "email": "ny.deltager@example.org",
        "job_title": "Bibliotekar",
        "track": "Medarbejdere",
        "needs": "",
        "informed": "on",
    }
    data.update(changes)
    return data


def test_the_offering_page_links_to_the_form_and_the_form_asks_the_public_fields(coordinator_client, offering):
    assert add_url(offering) in coordinator_client.get(reverse("registration_admin:offering", args=[offering.pk])).text
    html = coordinator_client.get(add_url(offering)).content.decode()
    for field in (
        "library",
        "contact_name",
        "contact_email",
        "name",
        "email",
        "job_title",
        "track",
        "needs",
        "informed",
    ):
        assert f'name="{field}"' in html


def test_a_telephone_registration_takes_a_free_seat_and_sends_the_receipt(
    coordinator_client, coordinator, offering, library, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(add_url(offering), form_data(library), follow=True)

    assert "Ny Deltager er tilmeldt og har fået en plads." in response.content.decode()
    participant = Participant.objects.get(email="ny.deltager@example.org")
    assert participant.status == ParticipantStatus.CONFIRMED
    assert participant.registration.contact_email == "telefon@example.org"
    assert participant.registration.is_contact_confirmed
    assert {"telefon@example.org", "ny.deltager@example.org"} <= {m.to[0] for m in mail.outbox}
    entry = RegistrationLogEntry.objects.get(registration=participant.registration, action=LogAction.REGISTERED)
    assert (entry.actor, entry.actor_role) == (coordinator, "coordinator")


def test_when_full_the_participant_goes_on_the_waiting_list_and_the_admin_says_so(coordinator_client, filled, library):
    response = coordinator_client.post(add_url(filled), form_data(library), follow=True)

    assert "Der var ingen ledig plads: Ny Deltager står på ventelisten som nr. 3." in response.content.decode()
    assert Participant.objects.get(email="ny.deltager@example.org").status == ParticipantStatus.WAITING
    assert Participant.objects.filter(offering=filled, status=ParticipantStatus.CONFIRMED).count() == 3


def test_when_full_without_a_waiting_list_nothing_is_written(coordinator_client, filled, library):
    filled.waiting_list = False
    filled.save_revision().publish()
    before = Participant.objects.count()

    response = coordinator_client.post(add_url(filled), form_data(library))

    assert response.status_code == 200
    assert "Der er ikke flere ledige pladser." in response.content.decode()
    assert Participant.objects.count() == before


def test_a_coordinator_may_register_after_the_deadline_and_outside_the_rounds(coordinator_client, offering, library):
    offering.registration_closes = timezone.now() - dt.timedelta(days=1)
    offering.save_revision().publish()
    group = LibraryGroup.objects.create(name="Certificeringsbiblioteker", slug="cert")  # Herning is not in it
    offering.registration_rounds.create(library_group=group, opens_at=timezone.now() - dt.timedelta(days=2))

    coordinator_client.post(add_url(offering), form_data(library))

    assert Participant.objects.get(email="ny.deltager@example.org").status == ParticipantStatus.CONFIRMED


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"informed": ""}, "Bekræft, at kontaktpersonen kender privatlivserklæringen."),
        ({"email": "ikke-en-adresse"}, "Skriv en gyldig e-mailadresse"),
        ({"track": ""}, "Vælg et spor for hver deltager."),
        ({"track": "staff"}, "Vælg et af tilbuddets spor."),
        ({"email": "deltager1@example.org"}, "Allerede tilmeldt: deltager1@example.org."),
        ({"library": "999999"}, "Vælg et bibliotek fra listen."),
    ],
)
def test_bad_input_gets_a_danish_message_and_writes_nothing(coordinator_client, filled, library, changes, message):
    before = Participant.objects.count()
    response = coordinator_client.post(add_url(filled), form_data(library, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Participant.objects.count() == before


def test_a_coordinator_may_not_register_after_the_offering_ended_or_when_registration_is_off(
    coordinator_client, offering, library
):
    offering.registration_enabled = False
    offering.save_revision().publish()
    assert (
        "Der er ikke tilmelding til dette tilbud."
        in coordinator_client.post(add_url(offering), form_data(library)).text
    )
    offering.registration_enabled = True
    offering.start = timezone.now() - dt.timedelta(days=2)
    offering.end = timezone.now() - dt.timedelta(days=1)
    offering.save_revision().publish()
    assert "Tilbuddet er slut." in coordinator_client.post(add_url(offering), form_data(library)).text
    assert not Participant.objects.filter(email="ny.deltager@example.org").exists()


def test_another_organisations_coordinator_may_not_register(stranger_client, offering, library):
    assert denied(stranger_client.get(add_url(offering)))
    assert denied(stranger_client.post(add_url(offering), form_data(library)))
    assert not Participant.objects.filter(email="ny.deltager@example.org").exists()
