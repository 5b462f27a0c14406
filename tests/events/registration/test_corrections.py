"""The contact corrects a participant's details on the manage page until the change deadline, keeping the seat; a new
address gets the participant's e-mail."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import timezone

import pytest

from events.registration.corrections import participant_correct
from events.registration.errors import RegistrationError
from events.registration.models import LogAction, Participant, Registration, RegistrationLogEntry
from events.registration.services import participants_cancel
from events.registration.values import ParticipantData
from tests.events.factories import tracks

from .conftest import people, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(event, library):
    """The event has 2 seats: Deltager 1 and 2 have them, Deltager 3 waits."""
    event.capacity = 2
    event.save_revision().publish()
    return register(event, library, people(3), contact_name="Kontakt")


def open_manage(client, result) -> str:
    response = client.get(f"/tilmelding/{result.registration.public_id}/?adgang={result.token}")
    assert response.status_code == 302
    return response.url


def form(participant, **changes) -> dict:
    data = {"action": "correct", "participant": participant.pk, "ret-name": participant.name}
    data.update(
        {"ret-email": participant.email, "ret-job_title": participant.job_title, "ret-needs": participant.needs}
    )
    data.update({f"ret-{key}": value for key, value in changes.items()})
    return data


def snapshot() -> list[tuple]:
    return list(Participant.objects.order_by("pk").values_list("name", "email", "job_title", "needs", "status"))


def test_the_contact_corrects_a_participant_and_the_seat_stays(client, registered):
    first = registered.confirmed[0]
    url = open_manage(client, registered)
    page = client.get(url, {"ret": first.pk})
    assert page.status_code == 200
    assert 'value="deltager1@example.org"' in page.content.decode()
    response = client.post(url, form(first, name="Deltager Et", job_title="Bibliotekar", needs="Vegetar"))
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.name, first.job_title, first.needs, first.status) == ("Deltager Et", "Bibliotekar", "Vegetar",
                                                                        "confirmed")  # fmt: skip
    entry = RegistrationLogEntry.objects.get(action=LogAction.CORRECTED)
    assert entry.participant == first and "name" in entry.detail
    assert "Oplysningerne om Deltager Et er rettet." in client.get(url).content.decode()


def test_a_new_address_gets_the_participants_e_mail_and_the_old_one_nothing(
    client, registered, django_capture_on_commit_callbacks
):
    first, waiting = registered.confirmed[0], registered.waiting[0]
    url = open_manage(client, registered)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, form(first, email="ny.adresse@example.org"))
        client.post(url, form(waiting, email="ny.venter@example.org"))
    assert sorted(m.to[0] for m in mail.outbox) == ["ny.adresse@example.org", "ny.venter@example.org"]
    seat = next(m for m in mail.outbox if m.to == ["ny.adresse@example.org"])
    assert "/tilmelding/deltager/" in seat.body  # the own page's link goes to the new address
    place = next(m for m in mail.outbox if m.to == ["ny.venter@example.org"])
    assert "nummer 1" in place.body
    assert Participant.objects.get(pk=waiting.pk).status == "waiting"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Dette felt er påkrævet."),
        ({"email": "ikke-en-adresse"}, "e-mail"),
        ({"email": "deltager2@example.org"}, "Allerede tilmeldt: deltager2@example.org."),
        ({"name": "x" * 200}, "Højst 150 tegn."),
    ],
)
def test_bad_input_is_refused_in_danish_and_changes_nothing(client, registered, changes, message):
    first = registered.confirmed[0]
    url = open_manage(client, registered)
    before = snapshot()
    response = client.post(url, form(first, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot() == before
    assert not RegistrationLogEntry.objects.filter(action=LogAction.CORRECTED).exists()


@pytest.mark.parametrize("wanted", ["999999", "abc", "1" * 30, "٣"])
def test_an_unknown_participant_cannot_be_corrected(client, registered, wanted):
    url = open_manage(client, registered)
    before = snapshot()
    response = client.get(url, {"ret": wanted}, follow=True)
    assert "Deltageren kan ikke rettes her" in response.content.decode()
    assert client.post(url, {"action": "correct", "participant": wanted, "ret-name": "X"}).status_code == 302
    assert snapshot() == before


def test_a_cancelled_participant_cannot_be_corrected(client, registered):
    first = registered.confirmed[0]
    participants_cancel(registration=registered.registration, participant_ids=[first.pk])
    url = open_manage(client, registered)
    before = snapshot()
    response = client.post(url, form(Participant.objects.get(pk=first.pk), name="Afmeldt alligevel"), follow=True)
    assert "Deltageren kan ikke rettes her" in response.content.decode()
    assert snapshot() == before
    with pytest.raises(RegistrationError, match="Deltageren er ikke på denne tilmelding."):
        participant_correct(
            registration=registered.registration,
            participant_id=first.pk,
            data=ParticipantData(name="Afmeldt alligevel", email=first.email),
        )


def test_after_the_change_deadline_nothing_is_corrected(client, registered, event):
    event.change_deadline = timezone.now() - dt.timedelta(minutes=1)
    event.save_revision().publish()
    first = registered.confirmed[0]
    url = open_manage(client, registered)
    before = snapshot()
    response = client.post(url, form(first, name="For sent"), follow=True)
    assert "Deltageren kan ikke rettes her" in response.content.decode()
    assert snapshot() == before
    with pytest.raises(RegistrationError, match="Fristen for ændringer er overskredet"):
        participant_correct(
            registration=Registration.objects.get(pk=registered.registration.pk),
            participant_id=first.pk,
            data=ParticipantData(name="For sent", email=first.email),
        )


def test_a_track_not_among_the_offerings_is_refused(registered, event):
    event.tracks = tracks("Medarbejdere", "Ledere")
    event.save_revision().publish()
    first = registered.confirmed[0]
    for track in ("Andet spor", ""):
        with pytest.raises(RegistrationError, match="Vælg et af tilbuddets spor."):
            participant_correct(
                registration=registered.registration,
                participant_id=first.pk,
                data=ParticipantData(name=first.name, email=first.email, track=track),
            )
    participant_correct(
        registration=registered.registration,
        participant_id=first.pk,
        data=ParticipantData(name=first.name, email=first.email, track="Ledere"),
    )
    assert Participant.objects.get(pk=first.pk).track == "Ledere"
