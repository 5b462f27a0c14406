"""The error summary at the top of the form lists each error as a link to its field, participant rows included
("Deltager 2: E-mail: ..."), and each field in error says so to a screen reader (aria-invalid, aria-describedby)."""

from __future__ import annotations

import re

import pytest

from events.registration.models import Participant, Registration
from tests.events.registration.conftest import people, register
from tests.events.registration.test_views import form_url, manage_url, post_data

pytestmark = pytest.mark.django_db

BAD_EMAIL = "Skriv en gyldig e-mailadresse (navn@domæne.dk)."


def summary(html: str) -> str:
    return re.search(r'<div class="form-errors".*?</div>', html, re.S).group(0)


def links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<li><a href="#([^"]+)">([^<]*)</a></li>', summary(html))


def test_two_mistakes_are_two_links_to_their_fields(client, event, library):
    people_ = [("Deltager 1", "deltager1@example.org"), ("Deltager 2", "ikke-en-adresse")]
    data = post_data(library, people_, contact_email="forkert")
    html = client.post(form_url(event), data).content.decode()
    assert "Der er 2 fejl" in summary(html)
    assert links(html) == [
        ("id_contact_email", f"Din e-mail: {BAD_EMAIL}"),
        ("id_participants-1-email", f"Deltager 2: E-mail: {BAD_EMAIL}"),
    ]
    assert not Registration.objects.exists()


def test_each_field_in_error_is_marked_invalid_and_described_by_its_message(client, event, library):
    data = post_data(library, [("Deltager 1", "deltager1@example.org"), ("Deltager 2", "ikke-en-adresse")])
    html = client.post(form_url(event), data).content.decode()
    field = re.search(r'<input type="email" name="participants-1-email"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_participants-1-email_error"' in field
    assert f'<p class="field__error" id="id_participants-1-email_error">{BAD_EMAIL}</p>' in html
    fine = re.search(r'<input type="email" name="participants-0-email"[^>]*>', html).group(0)
    assert "aria-invalid" not in fine


def test_an_error_of_the_whole_list_links_to_the_first_participant(client, event, library):
    data = post_data(library, [("A", "a@example.org"), ("A igen", "A@example.org")])
    html = client.post(form_url(event), data).content.decode()
    assert links(html) == [("id_participants-0-name", "a@example.org står flere gange på listen.")]


def test_the_consent_comes_last_and_without_its_long_label(client, event, library):
    data = post_data(library, [("", "deltager1@example.org")], consent="")
    html = client.post(form_url(event), data).content.decode()
    assert links(html) == [
        ("id_participants-0-name", "Deltager 1: Navn: Dette felt er påkrævet."),
        ("id_consent", "Du skal acceptere privatlivserklæringen for at tilmelde."),
    ]


def test_the_manage_page_s_add_form_has_the_same_summary(client, event, library):
    result = register(event, library, people(1))
    data = {"action": "add", "add-TOTAL_FORMS": "1", "add-INITIAL_FORMS": "0", "add-0-name": "Ny", "add-0-email": "x"}
    html = client.post(manage_url(client, result), data).content.decode()
    assert "Der er 1 fejl" in summary(html) and "Deltagerne er ikke tilføjet." in summary(html)
    assert links(html) == [("id_add-0-email", f"Deltager 1: E-mail: {BAD_EMAIL}")]
    assert Participant.objects.count() == 1
