"""The public form and the manage page: what a library contact sees, and every bad input refused in Danish."""

from __future__ import annotations

import datetime as dt
import json
import re

from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from events.registration import selectors
from events.registration.models import EligibilityRound, Participant, ParticipantStatus, Registration
from events.registration.privacy import registrations_anonymise_expired
from events.registration.views import AVAILABILITY_SLOT, CSRF_SLOT
from tests.events.factories import tracks

from .conftest import people, register

pytestmark = pytest.mark.django_db

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit-tests"}}


def form_url(offering) -> str:
    return reverse("registration_form", args=[offering.pk])


def post_data(from_library, participants=(("Deltager 1", "deltager1@example.org"),), **overrides) -> dict:
    data = {
        "library": str(from_library.pk),
        "contact_name": "Kontaktperson",
        "contact_email": "kontakt@example.org",
        "consent": "on",
        "website": "",
        "participants-TOTAL_FORMS": str(max(len(participants), 1)),
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "25",
    }
    for i, (name, email) in enumerate(participants):
        data.update({f"participants-{i}-name": name, f"participants-{i}-email": email})
    data.update(overrides)
    return data


def manage_link(body: str) -> str:
    """The manage or confirmation link in an e-mail, without the site's address."""
    link = r"http://[^\s\"/]+(/tilmelding/[0-9a-f-]{36}/(?:bekraeft/)?\?adgang=[A-Za-z0-9_-]+)"
    return re.search(link, body).group(1)


def test_offering_page_shows_seats_and_links_the_form(client, event):
    response = client.get(event.url)
    html = response.content.decode()
    assert "10 ledige pladser" in html
    assert form_url(event) in html


def test_form_renders_with_three_participant_rows_and_more_without_javascript(client, event):
    html = client.get(form_url(event)).content.decode()
    assert 'name="participants-TOTAL_FORMS" value="3"' in html
    assert "Herning" in html and "Privatlivserklæring" in html
    more = client.get(form_url(event) + "?deltagere=6").content.decode()
    assert 'name="participants-TOTAL_FORMS" value="6"' in more
    assert client.get(form_url(event) + "?deltagere=abc").status_code == 200
    assert client.get(form_url(event) + "?deltagere=99999").status_code == 200


def test_a_registration_redirects_to_its_manage_page_and_mails_the_link(
    client, event, library, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url(event), post_data(library, [("A", "a@example.org"), ("B", "b@example.org")]))
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert response.url == f"/tilmelding/{registration.public_id}/"  # no token in the address
    # An address this browser has not confirmed: the contact alone gets a message, with the confirmation link.
    assert [m.to for m in mail.outbox] == [["kontakt@example.org"]]
    assert manage_link(mail.outbox[0].body).startswith(f"/tilmelding/{registration.public_id}/bekraeft/?adgang=")
    page = client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Bekræft tilmeldingen med linket i den e-mail, vi har sendt dig." in html
    assert 'data-contact-status="unconfirmed"' in html
    assert html.count('data-participant-status="confirmed"') == 2
    assert page["X-Robots-Tag"] == "noindex"


def test_no_registration_page_for_offerings_without_registration(client, event):
    event.registration_enabled = False
    event.save_revision().publish()
    assert client.get(form_url(event)).status_code == 404
    assert client.get(reverse("registration_form", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"consent": ""}, "Du skal acceptere privatlivserklæringen for at tilmelde."),
        ({"library": "999999"}, "Vælg et bibliotek fra listen."),
        ({"library": "abc"}, "Vælg et bibliotek fra listen."),
        ({"contact_email": "ikke-en-adresse"}, "Skriv en gyldig e-mailadresse (navn@domæne.dk)."),
        ({"participants-0-email": "a@b"}, "Skriv en gyldig e-mailadresse (navn@domæne.dk)."),
        ({"contact_email": "a@" + "b" * 300 + ".dk"}, "Højst 254 tegn."),
        ({"contact_name": "x" * 10_000}, "Højst 150 tegn."),
        ({"participants-0-needs": "x" * 501}, "Højst 500 tegn."),
        ({"participants-0-name": "", "participants-0-email": ""}, "Tilmeld mindst én deltager."),
        ({"participants-0-name": ""}, "Dette felt er påkrævet."),
        ({"participants-TOTAL_FORMS": "abc"}, "Formularen mangler oplysninger. Genindlæs siden, og prøv igen."),
        ({"participants-TOTAL_FORMS": "500"}, "Du kan højst tilmelde 25 deltagere ad gangen."),
    ],
)
def test_bad_input_is_refused_in_danish_and_changes_nothing(client, event, library, overrides, message):
    response = client.post(form_url(event), post_data(library, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tilmeldingen er ikke sendt" in html
    assert message in html.replace("&#x27;", "'")
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("track", "message"), [("Ledere", "Vælg et af tilbuddets spor."), ("", "Vælg et spor for hver deltager.")]
)
def test_a_track_not_among_the_offerings_or_none_is_refused_in_danish(client, event, library, track, message):
    event.tracks = tracks("Medarbejdere", "Lederspor")
    event.save_revision().publish()
    html = client.get(form_url(event)).content.decode()
    assert '<option value="Lederspor">Lederspor</option>' in html
    response = client.post(form_url(event), post_data(library, **{"participants-0-track": track}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Registration.objects.exists()


def test_the_same_participant_twice_in_one_form(client, event, library):
    data = post_data(library, [("A", "a@example.org"), ("A igen", "A@example.org")])
    response = client.post(form_url(event), data)
    assert "a@example.org står flere gange på listen." in response.content.decode()
    assert not Registration.objects.exists()


def test_a_rule_of_the_offering_is_shown_on_the_form(client, event, library):
    event.registration_opens = timezone.now() + dt.timedelta(days=2)
    event.save_revision().publish()
    response = client.post(form_url(event), post_data(library))
    assert "Tilmeldingen åbner" in response.content.decode()
    assert not Registration.objects.exists()


def test_full_without_waiting_list_says_so(client, event, library):
    event.capacity = 1
    event.waiting_list = False
    event.save_revision().publish()
    client.post(form_url(event), post_data(library))
    response = client.post(form_url(event), post_data(library, [("B", "b@example.org")], contact_email="b@example.org"))
    assert "Der er ikke flere ledige pladser." in response.content.decode()
    assert Participant.objects.count() == 1


def test_the_honeypot_refuses_bots(client, event, library):
    response = client.post(form_url(event), post_data(library, website="http://spam.example.org"))
    assert response.status_code == 400
    assert "Formularen kunne ikke sendes." in response.content.decode()
    assert not Registration.objects.exists()


def test_csrf_is_required(event, library):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(form_url(event), post_data(library)).status_code == 403
    assert not Registration.objects.exists()


def test_rate_limit_per_ip(client, event, library, settings):
    settings.CACHES = LOCMEM
    settings.REGISTRATION_RATE_LIMIT_PER_IP = 2
    cache.clear()
    for i in range(2):
        data = post_data(library, [(f"P{i}", f"p{i}@example.org")], contact_email=f"k{i}@example.org")
        assert client.post(form_url(event), data).status_code == 302
    response = client.post(form_url(event), post_data(library, [("P9", "p9@example.org")]))
    assert response.status_code == 429
    assert "for mange tilmeldinger" in response.content.decode()
    assert Registration.objects.count() == 2


def test_rate_limit_per_contact_email(client, event, library, settings):
    settings.CACHES = LOCMEM
    settings.REGISTRATION_RATE_LIMIT_PER_EMAIL = 1
    cache.clear()
    assert client.post(form_url(event), post_data(library)).status_code == 302
    response = client.post(form_url(event), post_data(library, [("B", "b@example.org")]), REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert Registration.objects.count() == 1


# --- The manage page ---------------------------------------------------------------------------------------


@pytest.fixture
def registered(event, library):
    event.capacity = 2
    event.save_revision().publish()
    return register(event, library, people(3), contact_name="Kontakt")


def manage_url(client, result) -> str:
    """Open the e-mailed manage link in `client`: the access goes into its session; the address without the token."""
    response = client.get(f"/tilmelding/{result.registration.public_id}/?adgang={result.token}")
    assert response.status_code == 302
    assert response.url == f"/tilmelding/{result.registration.public_id}/"
    return response.url


def test_manage_page_shows_participants_and_waiting_position(client, registered):
    html = client.get(manage_url(client, registered)).content.decode()
    assert "Deltager 1" in html and "Deltager 3" in html
    assert "Venteliste (nummer 1)" in html


def test_a_wrong_or_expired_link_gets_a_clear_page(client, registered, event):
    public_id = registered.registration.public_id
    for bad in (f"/tilmelding/{public_id}/?adgang=forkert", f"/tilmelding/{public_id}/forkert/"):
        response = client.get(bad)
        assert response.status_code == 404
        assert "Linket til tilmeldingen er forkert eller udløbet." in response.content.decode()
    # Without the link this session has no access: the page is not shown.
    assert client.get(f"/tilmelding/{public_id}/").status_code == 404
    assert client.get("/tilmelding/ikke-et-uuid/token/").status_code == 404
    url = manage_url(client, registered)
    registrations_anonymise_expired(now=event.end + dt.timedelta(days=400))
    assert client.get(url).status_code == 404
    assert client.get(f"/tilmelding/{public_id}/?adgang={registered.token}").status_code == 404


def test_cancelling_one_promotes_the_first_waiting(client, registered, django_capture_on_commit_callbacks):
    url = manage_url(client, registered)
    first = registered.confirmed[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "cancel", "participant": str(first.pk)})
    assert response.status_code == 302
    assert Participant.objects.get(pk=first.pk).status == ParticipantStatus.CANCELLED
    assert Participant.objects.get(pk=registered.waiting[0].pk).status == ParticipantStatus.CONFIRMED
    assert any("Du har fået en plads" in m.subject for m in mail.outbox)


def test_cancel_all_and_bad_cancel_input(client, registered):
    url = manage_url(client, registered)
    response = client.post(url, {"action": "cancel", "participant": "abc"}, follow=True)
    assert "Vælg, hvem der skal afmeldes." in response.content.decode()
    response = client.post(url, {"action": "noget-andet"}, follow=True)
    assert response.status_code == 200
    client.post(url, {"action": "cancel", "everyone": "on"})
    assert selectors.participant_counts(offering_id=registered.registration.offering_id)["cancelled"] == 3


def test_a_participant_of_another_registration_cannot_be_cancelled(client, registered, event, other_library):
    other = register(event, other_library, people(1, prefix="anden"), contact_name="B", contact_email="b@example.org")
    response = client.post(
        manage_url(client, registered), {"action": "cancel", "participant": str(other.waiting[0].pk)}, follow=True
    )
    assert "Der er ingen tilmeldte deltagere at afmelde." in response.content.decode()
    assert Participant.objects.get(pk=other.waiting[0].pk).status == ParticipantStatus.WAITING


def test_adding_participants_from_the_manage_page(client, registered):
    data = {
        "action": "add",
        "add-TOTAL_FORMS": "1",
        "add-INITIAL_FORMS": "0",
        "add-0-name": "Ny kollega",
        "add-0-email": "ny@example.org",
    }
    response = client.post(manage_url(client, registered), data, follow=True)
    assert "1 deltager står på venteliste." in response.content.decode()
    assert Participant.objects.filter(email="ny@example.org", status=ParticipantStatus.WAITING).exists()


def test_after_the_change_deadline_the_page_is_read_only(client, registered, event):
    event.change_deadline = timezone.now() - dt.timedelta(minutes=1)
    event.registration_closes = timezone.now() - dt.timedelta(minutes=2)
    event.registration_opens = timezone.now() - dt.timedelta(days=2)
    event.save_revision().publish()
    html = client.get(manage_url(client, registered)).content.decode()
    assert "Fristen for ændringer er overskredet." in html
    assert "Afmeld alle" not in html
    response = client.post(manage_url(client, registered), {"action": "cancel", "everyone": "on"}, follow=True)
    assert "Fristen for ændringer er overskredet." in response.content.decode()
    assert selectors.participant_counts(offering_id=event.pk)["cancelled"] == 0


def test_the_manage_page_never_leaks_its_link_to_other_sites(client, registered):
    response = client.get(manage_url(client, registered))
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_eligibility_rounds_are_shown_on_the_form_and_the_page(client, event, certification_group):
    event.registration_rounds = [
        EligibilityRound(library_group=certification_group, opens_at=timezone.now() - dt.timedelta(days=1)),
        EligibilityRound(library_group=None, opens_at=timezone.now() + dt.timedelta(days=7)),
    ]
    event.save_revision().publish()
    for url in (form_url(event), event.url):
        html = client.get(url).content.decode()
        assert "Certificeringsbiblioteker: fra" in html
        assert "Alle biblioteker: fra" in html


def test_registering_in_english_gives_english_pages_and_mails(
    client, event, library, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en" + form_url(event), post_data(library), follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Your registration" in html
    assert Registration.objects.get().language == "en"
    first = next(m for m in mail.outbox if m.to == ["kontakt@example.org"])
    assert first.subject == f"Confirm the registration: {event.title}"
    assert "/en/tilmelding/" in first.body


def test_english_form_errors_are_english(client, event, library):
    response = client.post("/en" + form_url(event), post_data(library, consent=""))
    assert "You must accept the privacy notice to register." in response.content.decode()


def offer_of(client, offering) -> dict:
    html = client.get(offering.url).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    return data.get("offers")


def test_json_ld_offers_follow_the_seats(client, event, library):
    offer = offer_of(client, event)
    assert offer["availability"] == "https://schema.org/InStock"
    assert offer["price"] == "0"
    assert offer["url"].endswith(form_url(event))
    event.capacity = 1
    event.save_revision().publish()
    register(event, library, people(1), contact_name="K", contact_email="k@example.org")
    assert offer_of(client, event)["availability"] == "https://schema.org/SoldOut"
    event.registration_enabled = False
    event.save_revision().publish()
    assert offer_of(client, event) is None


def _names(response) -> list[str]:
    return [template.name for template in response.templates]


def _token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)


def test_the_empty_form_page_is_rendered_once_and_every_visitor_gets_a_token_that_works(event, library, settings):
    settings.CACHES = LOCMEM
    cache.clear()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    one = first.get(form_url(event))
    assert "registration/register.html" in _names(one)
    two = second.get(form_url(event))
    assert "registration/register.html" not in _names(two)  # from the cache
    assert _token(one) != _token(two)
    # The same page but for the token.
    assert one.content.decode().replace(_token(one), "T") == two.content.decode().replace(_token(two), "T")
    for response in (one, two):
        html = response.content.decode()
        assert CSRF_SLOT not in html and AVAILABILITY_SLOT not in html
        assert "10 ledige pladser" in html

    data = post_data(library, [("Deltager 2", "d2@example.org")], contact_email="k2@example.org")
    assert second.post(form_url(event), {**data, "csrfmiddlewaretoken": _token(two)}).status_code == 302
    data = post_data(library, [("Deltager 1", "d1@example.org")])
    assert first.post(form_url(event), {**data, "csrfmiddlewaretoken": _token(one)}).status_code == 302
    again = Client().get(form_url(event))
    assert "registration/register.html" not in _names(again)
    assert "8 ledige pladser" in again.content.decode()  # the seats are counted for every visitor


def test_a_logged_in_user_and_a_query_beyond_the_rows_get_the_form_page_rendered(admin_client, event, settings):
    settings.CACHES = LOCMEM
    cache.clear()
    client = Client()  # (pytest-django's `client` is the one admin_client logs in)
    for _ in range(2):
        assert "registration/register.html" in _names(admin_client.get(form_url(event)))
        assert "registration/register.html" in _names(client.get(form_url(event), {"deltagere": "3", "x": "1"}))
    client.get(form_url(event), {"deltagere": "5"})
    five = client.get(form_url(event), {"deltagere": "5"})
    assert "registration/register.html" not in _names(five)
    assert 'name="participants-TOTAL_FORMS" value="5"' in five.content.decode()
