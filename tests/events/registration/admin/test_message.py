"""A coordinator writes to the participants of an offering: a form, a preview that counts, the outbox, a log."""

from __future__ import annotations

from unittest import mock

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from events.registration import outbox
from events.registration.models import CoordinatorMessage, OutboxMessage, OutboxStatus, Participant
from events.registration.values import ParticipantData

from ..conftest import register
from ..test_outbox_and_commands import fail_sending
from .conftest import denied, offering_url

pytestmark = pytest.mark.django_db


def message_url(offering) -> str:
    return reverse("registration_admin:message", args=[offering.pk])


def data(audience="all", action="send", **changes) -> dict:
    return {
        "audience": audience,
        "subject": "Husk madpakke",
        "text": "Kære alle\n\nTag en madpakke med.",
        "action": action,
        **changes,
    }


def test_the_form_counts_each_audience(coordinator_client, filled):
    html = coordinator_client.get(message_url(filled)).content.decode()
    assert "Alle tilmeldte (bekræftede og på ventelisten) (5)" in html
    assert "Kun bekræftede (3)" in html
    assert "Kun ventelisten (2)" in html


def test_the_preview_says_how_many_get_it_and_sends_nothing(coordinator_client, filled):
    response = coordinator_client.post(message_url(filled), data("waiting", action="preview"))
    html = response.content.decode()
    assert 'data-recipients="2"' in html and "2 modtagere får e-mailen (kun ventelisten)." in html
    assert "Send til 2 modtagere" in html
    assert not OutboxMessage.objects.filter(kind="coordinator_message").exists()
    assert not CoordinatorMessage.objects.exists()


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        ("all", {f"deltager{n}@example.org" for n in range(1, 6)}),
        ("confirmed", {f"deltager{n}@example.org" for n in range(1, 4)}),
        ("waiting", {"deltager4@example.org", "deltager5@example.org"}),
    ],
)
def test_sending_goes_through_the_outbox_to_the_audience_and_is_logged(
    coordinator_client, coordinator, filled, audience, expected, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(message_url(filled), data(audience), follow=True)

    assert f"Beskeden er lagt i udbakken til {len(expected)} modtager" in response.content.decode()
    stored = OutboxMessage.objects.filter(kind="coordinator_message")
    assert {m.to_email for m in stored} == expected
    assert all(m.status == OutboxStatus.SENT for m in stored)
    assert {m.to[0] for m in mail.outbox} == expected
    sent = mail.outbox[0]
    assert sent.subject == "Husk madpakke"
    assert "Tag en madpakke med." in sent.body and "Temadag om læselyst" in sent.body
    logged = CoordinatorMessage.objects.get()
    assert (logged.sent_by, logged.audience, logged.recipients) == (coordinator, audience, len(expected))
    page = coordinator_client.get(offering_url(filled)).content.decode()
    assert f'data-message="{logged.pk}"' in page and "Husk madpakke" in page and "koordinator-db" in page


def test_a_failed_copy_is_retried_like_every_other_email(coordinator_client, filled):
    coordinator_client.post(message_url(filled), data("waiting"))
    copy = OutboxMessage.objects.filter(kind="coordinator_message").first()
    # The mail backend is Django's; making *it* fail stands in for an SMTP server that is down.
    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", fail_sending):
        assert not outbox.deliver(copy.pk)
    copy.refresh_from_db()
    assert (copy.status, copy.attempts) == (OutboxStatus.PENDING, 1)
    assert copy.next_attempt_at > copy.created_at
    assert outbox.deliver(copy.pk, now=copy.next_attempt_at)


def test_participants_of_an_unconfirmed_contact_get_nothing(coordinator_client, filled, library):
    register(
        filled,
        library,
        [ParticipantData("Deltager 9", "deltager9@example.org", track="Medarbejdere")],
        contact_confirmed=False,
    )
    coordinator_client.post(message_url(filled), data("waiting"))
    assert "deltager9@example.org" not in set(OutboxMessage.objects.values_list("to_email", flat=True))
    assert CoordinatorMessage.objects.get().recipients == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"subject": ""}, "Dette felt er påkrævet."),
        ({"text": ""}, "Dette felt er påkrævet."),
        ({"subject": "x" * 201}, "Højst 200 tegn."),
        ({"audience": "alle-i-danmark"}, "Vælg, hvem beskeden er til."),
    ],
)
def test_bad_input_gets_a_danish_message_and_sends_nothing(coordinator_client, filled, changes, message):
    response = coordinator_client.post(message_url(filled), data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CoordinatorMessage.objects.exists()
    assert not OutboxMessage.objects.filter(kind="coordinator_message").exists()


def test_nobody_to_write_to_is_refused_in_danish(coordinator_client, offering):
    response = coordinator_client.post(message_url(offering), data())
    assert "Ingen deltagere får beskeden: der er ingen at skrive til." in response.content.decode()
    assert not CoordinatorMessage.objects.exists()


def test_another_organisations_coordinator_may_not_write(stranger_client, filled):
    assert denied(stranger_client.get(message_url(filled)))
    assert denied(stranger_client.post(message_url(filled), data()))
    assert not OutboxMessage.objects.filter(kind="coordinator_message").exists()
    assert Participant.objects.filter(offering=filled).count() == 5


def test_the_offering_page_lists_messages_in_a_fixed_number_of_queries(coordinator_client, filled):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert coordinator_client.get(offering_url(filled)).status_code == 200
        return len(captured)

    coordinator_client.post(message_url(filled), data())
    one = queries()
    for audience in ("confirmed", "waiting", "all"):
        coordinator_client.post(message_url(filled), data(audience))
    assert queries() == one
    assert CoordinatorMessage.objects.count() == 4
