"""The receipt tells the contact to keep it: its link is the only way back to the registration (there is no login)."""

from __future__ import annotations

from django.core import mail

import pytest

from tests.events.registration.conftest import people, register
from tests.events.registration.test_views import manage_url

pytestmark = pytest.mark.django_db

KEEP = "Gem denne e-mail. Linket er den eneste vej tilbage til tilmeldingen"


def test_the_receipt_email_says_to_keep_it_in_text_and_html(event, library, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(event, library, people(1))
    (receipt,) = [m for m in mail.outbox if m.to == ["kontakt@example.org"]]
    assert KEEP in receipt.body
    assert KEEP in receipt.alternatives[0].content


def test_the_manage_page_says_to_keep_the_receipt(client, event, library):
    result = register(event, library, people(1))
    html = client.get(manage_url(client, result)).content.decode()
    assert "Gem kvitteringen, vi har sendt til kontakt@example.org." in html
    assert "eneste vej tilbage til denne side" in html


def test_after_confirming_the_address_the_manage_page_says_to_keep_the_receipt(client, event, library):
    result = register(event, library, people(1), contact_confirmed=False)
    client.get(f"/tilmelding/{result.registration.public_id}/bekraeft/?adgang={result.confirm_token}")
    client.post(f"/tilmelding/{result.registration.public_id}/bekraeft/")
    html = client.get(f"/tilmelding/{result.registration.public_id}/").content.decode()
    assert "Gem kvitteringen" in html  # the receipt is on its way
