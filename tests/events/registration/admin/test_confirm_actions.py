"""Cancel and promote in the admin ask first (a page without JavaScript): who is moved, who is e-mailed."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

import pytest

from events.registration.models import Participant, ParticipantStatus, Registration
from events.registration.values import ParticipantData

from ..conftest import register
from .conftest import denied, offering_url

pytestmark = pytest.mark.django_db


def confirm_page(client, name, offering, participant, **params):
    return client.get(reverse(f"registration_admin:{name}", args=[offering.pk, participant.pk]), params)


def statuses(offering) -> dict[str, str]:
    return dict(Participant.objects.filter(offering=offering).values_list("email", "status"))


def test_the_list_links_cancel_and_promote_to_their_confirmation_pages(coordinator_client, filled):
    html = coordinator_client.get(offering_url(filled)).content.decode()
    first, waiting = (Participant.objects.get(email=f"deltager{n}@example.org") for n in (1, 4))
    assert f'href="{reverse("registration_admin:cancel", args=[filled.pk, first.pk])}?next=' in html
    assert f'href="{reverse("registration_admin:promote", args=[filled.pk, waiting.pk])}?next=' in html


def test_cancel_asks_naming_who_gets_the_seat_and_who_is_emailed(coordinator_client, filled):
    before = statuses(filled)
    participant = Participant.objects.get(email="deltager1@example.org")

    response = confirm_page(coordinator_client, "cancel", filled, participant)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Afmeld Deltager 1?" in html
    assert "Pladsen går til den første på ventelisten:" in html and "<strong>Deltager 4</strong>" in html
    assert "Deltager 5" not in html  # second in the queue: one seat is freed
    for address in ("deltager1@example.org", "kontakt@example.org", "deltager4@example.org", "ballerup@example.org"):
        assert f"&lt;{address}&gt;" in html
    assert '<form method="post">' in html and "Ja, afmeld" in html
    assert statuses(filled) == before and not mail.outbox


def test_cancelling_a_waiting_participant_frees_no_seat(coordinator_client, filled):
    waiting = Participant.objects.get(email="deltager5@example.org")
    html = confirm_page(coordinator_client, "cancel", filled, waiting).content.decode()
    assert "Deltageren står på ventelisten, så ingen plads bliver ledig." in html
    assert "Deltager 4" not in html


def test_cancel_of_an_unconfirmed_registration_emails_nobody(coordinator_client, filled, library):
    result = register(
        filled,
        library,
        [ParticipantData("Deltager 9", "deltager9@example.org", track="Medarbejdere")],
        contact_confirmed=False,
    )
    assert Registration.objects.get(pk=result.registration.pk).contact_status == "unconfirmed"
    html = confirm_page(coordinator_client, "cancel", filled, result.waiting[0]).content.decode()
    assert "Ingen: kontaktpersonen har ikke bekræftet sin e-mail endnu." in html


def test_cancel_of_someone_already_cancelled_is_refused_in_danish(coordinator_client, filled):
    participant = Participant.objects.get(email="deltager1@example.org")
    Participant.objects.filter(pk=participant.pk).update(status=ParticipantStatus.CANCELLED)
    before = statuses(filled)

    response = confirm_page(coordinator_client, "cancel", filled, participant, next=offering_url(filled))

    assert response.status_code == 302 and response["Location"] == offering_url(filled)
    followed = coordinator_client.get(response["Location"]).content.decode()
    assert "Deltager 1 er allerede afmeldt." in followed
    assert statuses(filled) == before


def test_confirmed_cancel_moves_the_first_waiting_up_and_says_so(
    coordinator_client, filled, django_capture_on_commit_callbacks
):
    participant = Participant.objects.get(email="deltager1@example.org")
    url = reverse("registration_admin:cancel", args=[filled.pk, participant.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url, {"next": offering_url(filled)}, follow=True)
    html = response.content.decode()
    assert "Deltager 1 er afmeldt. 1 deltager er rykket op fra ventelisten: Deltager 4." in html
    assert statuses(filled)["deltager4@example.org"] == ParticipantStatus.CONFIRMED


def test_promote_asks_and_says_who_is_skipped_and_emailed(coordinator_client, filled):
    filled.registration_enabled = False  # closed: a seat published now waits for the coordinator
    filled.capacity = 4
    filled.save_revision().publish()
    second = Participant.objects.get(email="deltager5@example.org")
    before = statuses(filled)

    html = confirm_page(coordinator_client, "promote", filled, second).content.decode()

    assert "Giv Deltager 5 en plads?" in html
    assert "nr. 2 på ventelisten" in html
    assert "&lt;deltager5@example.org&gt;" in html and "&lt;ballerup@example.org&gt;" in html
    assert "Ja, giv en plads" in html
    assert statuses(filled) == before


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("deltager1@example.org", "Deltager 1 står ikke på ventelisten."),
        (
            "deltager4@example.org",
            "Der er ingen ledige pladser. Hæv antallet af pladser eller afmeld en deltager først.",
        ),
    ],
)
def test_promote_refusals_are_danish_and_change_nothing(coordinator_client, filled, email, message):
    participant = Participant.objects.get(email=email)
    before = statuses(filled)
    response = confirm_page(coordinator_client, "promote", filled, participant)
    assert response.status_code == 302
    assert message in coordinator_client.get(response["Location"]).content.decode()
    assert statuses(filled) == before


def test_another_organisations_coordinator_gets_no_confirmation_page(stranger_client, filled):
    participant = Participant.objects.get(email="deltager1@example.org")
    response = confirm_page(stranger_client, "cancel", filled, participant)
    assert denied(response)
    assert "Deltager 1" not in response.content.decode()
