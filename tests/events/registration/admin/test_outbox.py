"""The outbox in the admin: failed e-mails with their error, a retry, read-only; the menu."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

import pytest

from events.registration.models import OutboxMessage, OutboxStatus
from events.wagtail_hooks import outbox_kind

from .conftest import denied, editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_message(filled):
    message = OutboxMessage.objects.filter(registration__offering=filled).first()
    message.status = OutboxStatus.FAILED
    message.attempts = 5
    message.last_error = "SMTPServerDisconnected: Connection unexpectedly closed"
    message.save()
    return message


def test_outbox_lists_failed_messages_with_their_error(coordinator_client, failed_message):
    response = coordinator_client.get(reverse("udbakke:index"), {"status": "failed"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "SMTPServerDisconnected" in html
    assert "Prøv igen" in html
    assert str(outbox_kind(failed_message)) in html
    sent = OutboxMessage.objects.exclude(to_email=failed_message.to_email).first()
    assert sent.to_email not in html  # the status filter shows only the failed ones
    found = coordinator_client.get(reverse("udbakke:index"), {"q": failed_message.to_email})
    assert found.status_code == 200
    assert failed_message.to_email in found.content.decode()
    inspect = coordinator_client.get(reverse("udbakke:inspect", args=[failed_message.pk])).content.decode()
    assert "SMTPServerDisconnected" in inspect
    assert reverse("udbakke:edit", args=[failed_message.pk]) not in html


def test_outbox_retry_sends_the_failed_message(coordinator_client, failed_message):
    response = coordinator_client.post(reverse("registration_admin:outbox_retry"), {"ids": [failed_message.pk]})
    assert response.status_code == 302
    failed_message.refresh_from_db()
    assert failed_message.status == OutboxStatus.SENT
    assert [m.to[0] for m in mail.outbox] == [failed_message.to_email]


def test_outbox_is_read_only_and_needs_the_permission(coordinator_client, client, failed_message):
    assert denied(coordinator_client.get(reverse("udbakke:add")))
    assert denied(coordinator_client.get(reverse("udbakke:edit", args=[failed_message.pk])))
    assert denied(coordinator_client.post(reverse("udbakke:delete", args=[failed_message.pk])))
    assert coordinator_client.get(reverse("udbakke:inspect", args=[failed_message.pk])).status_code == 200
    client.force_login(editor())
    assert denied(client.get(reverse("udbakke:index")))
    assert denied(client.post(reverse("registration_admin:outbox_retry"), {"ids": [failed_message.pk]}))
    assert OutboxMessage.objects.filter(pk=failed_message.pk).exists()


def test_menu_shows_the_registration_tools_to_coordinators(coordinator_client):
    html = coordinator_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("registration_admin:overview") in html
    assert reverse("registration_admin:person") in html


def test_outbox_of_another_organisation_is_neither_listed_nor_shown_nor_retried(stranger_client, failed_message):
    index = stranger_client.get(reverse("udbakke:index"))
    assert index.status_code == 200
    assert failed_message.to_email not in index.content.decode()
    found = stranger_client.get(reverse("udbakke:index_results"), {"q": failed_message.to_email})
    assert failed_message.to_email not in found.content.decode()
    assert stranger_client.get(reverse("udbakke:inspect", args=[failed_message.pk])).status_code == 404
    stranger_client.post(reverse("registration_admin:outbox_retry"), {"ids": [failed_message.pk]})
    failed_message.refresh_from_db()
    assert failed_message.status == OutboxStatus.FAILED
    assert mail.outbox == []


def test_outbox_without_an_offering_is_for_the_personal_data_officer_only(
    coordinator_client, officer_client, failed_message
):
    """An e-mail whose registration went with its deleted offering belongs to no organisation."""
    failed_message.registration = None
    failed_message.save()
    assert failed_message.to_email not in coordinator_client.get(reverse("udbakke:index")).content.decode()
    assert failed_message.to_email in officer_client.get(reverse("udbakke:index")).content.decode()
    assert officer_client.get(reverse("udbakke:inspect", args=[failed_message.pk])).status_code == 200


def test_outbox_retry_ignores_ids_that_are_no_number(coordinator_client, failed_message):
    response = coordinator_client.post(
        reverse("registration_admin:outbox_retry"), {"ids": ["²", "99999999999999999999999", "x"]}
    )
    assert response.status_code == 302
    failed_message.refresh_from_db()
    assert failed_message.status == OutboxStatus.FAILED


def test_the_subject_column_wraps_between_words(coordinator_client, failed_message):
    """Wagtail's title cells break inside words (word-break: break-word); the outbox's subject cell does not."""
    html = coordinator_client.get(reverse("udbakke:index")).content.decode()
    assert 'class="title"' in html and failed_message.subject in html
    assert ".listing td.title { word-break: normal; overflow-wrap: break-word;" in html
