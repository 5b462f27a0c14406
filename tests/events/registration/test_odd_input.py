"""Odd input to registration, public and admin: ids beyond the database's range and NUL bytes are a 404 or a Danish
message, never a server error, and they change nothing."""

from __future__ import annotations

from django.urls import reverse

import pytest

from events.registration.models import OutboxMessage, OutboxStatus, Participant, ParticipantStatus

from .conftest import people, register

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"
PAST_64_BITS = str(2**63)


@pytest.fixture
def registered(event, library):
    """Three participants of one contact on the event: two confirmed, one waiting."""
    event.capacity = 2
    event.save_revision().publish()
    return register(event, library, people(3))


def manage_page(client, result) -> str:
    """The manage page's address as the contact reaches it from the receipt's link (followed to where it leads)."""
    link = f"/tilmelding/{result.registration.public_id}/{result.token}/"
    response = client.get(link, follow=True)
    assert response.status_code == 200
    return response.redirect_chain[-1][0] if response.redirect_chain else link


def statuses(result) -> list[str]:
    return list(result.registration.participants.order_by("pk").values_list("status", flat=True))


@pytest.mark.parametrize("participant", [HUGE, PAST_64_BITS, "-1", "0", "²", "a\x00b", "9" * 5000])
def test_cancelling_an_impossible_participant_is_a_message_and_changes_nothing(client, registered, participant):
    url = manage_page(client, registered)
    before = statuses(registered)
    response = client.post(url, {"action": "cancel", "participant": participant}, follow=True)
    assert response.status_code == 200
    assert "Vælg, hvem der skal afmeldes." in response.content.decode()
    assert statuses(registered) == before


def test_cancelling_the_largest_id_the_database_holds_is_no_one_of_this_registration(client, registered):
    url = manage_page(client, registered)
    response = client.post(url, {"action": "cancel", "participant": str(2**63 - 1)}, follow=True)
    assert "Der er ingen tilmeldte deltagere at afmelde." in response.content.decode()
    assert ParticipantStatus.CANCELLED not in statuses(registered)


@pytest.mark.parametrize(
    ("library", "message"),
    [
        (HUGE, "Vælg et bibliotek fra listen."),
        (PAST_64_BITS, "Vælg et bibliotek fra listen."),
        ("a\x00b", "Null-tegn er ikke tilladte."),  # Django's own Danish message
    ],
)
def test_registering_from_an_impossible_library_is_a_message_and_writes_nothing(client, event, library, message):
    data = {
        "library": library,
        "contact_name": "Kontaktperson",
        "contact_email": "kontakt@example.org",
        "consent": "on",
        "participants-TOTAL_FORMS": "1",
        "participants-INITIAL_FORMS": "0",
        "participants-0-name": "Deltager 1",
        "participants-0-email": "deltager1@example.org",
    }
    response = client.post(reverse("registration_form", args=[event.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Participant.objects.filter(offering_id=event.pk).exists()


@pytest.mark.parametrize(
    "path",
    [
        f"/admin/tilmeldinger/{HUGE}/",
        f"/admin/tilmeldinger/{PAST_64_BITS}/fremmoede/",
        f"/admin/tilmeldinger/kompetencelandskaber/{HUGE}/",
        f"/admin/tilmeldinger/{{event}}/deltager/{HUGE}/afmeld/",
        f"/admin/tilmeldinger/{{event}}/deltager/{HUGE}/ryk-op/",
    ],
)
def test_an_admin_id_beyond_the_database_is_not_found(admin_client, registered, event, path):
    url = path.format(event=event.pk)
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url).status_code == 404
    assert ParticipantStatus.CANCELLED not in statuses(registered)


@pytest.mark.parametrize("ids", [["²"], [HUGE], [PAST_64_BITS, "٣"], ["a\x00b"]])
def test_retrying_impossible_outbox_ids_retries_nothing(admin_client, registered, ids):
    failed = OutboxMessage.objects.filter(registration=registered.registration).first()
    OutboxMessage.objects.filter(pk=failed.pk).update(status=OutboxStatus.FAILED)
    response = admin_client.post(reverse("registration_admin:outbox_retry"), {"ids": ids}, follow=True)
    assert response.status_code == 200
    assert "Der var ingen fejlede e-mails at sende igen." in response.content.decode()
    assert OutboxMessage.objects.get(pk=failed.pk).status == OutboxStatus.FAILED


@pytest.mark.parametrize(
    "query",
    [
        {"library": HUGE},
        {"library": "a\x00b", "status": "\x00", "track": "\x00"},
        {"export": "\x00"},
        {"export": HUGE},
    ],
)
def test_the_admin_offering_filters_take_odd_input(admin_client, registered, event, query):
    response = admin_client.get(reverse("registration_admin:offering", args=[event.pk]), query)
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("query", [{"email": "a\x00b@example.org"}, {"email": HUGE}])
def test_the_person_search_takes_odd_input(admin_client, registered, query):
    response = admin_client.get(reverse("registration_admin:person"), query)
    assert response.status_code == 200
