""" "Giv mig besked, når tilmeldingen åbner": the form on the offering page and every input it refuses, the e-mail
through the outbox when the library's round opens (scoped to the offering's organisation), the unsubscribe link,
retention and the person look-up. The clock stands still at 2 December 2030, 12.00: certification libraries
(Herning) from 1 December, every library from 8 December."""

from __future__ import annotations

import io
import re

from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

import pytest

from events.registration import outbox, selectors
from events.registration.models import EligibilityRound, OutboxMessage
from events.registration.notify import KIND, KIND_RECEIPT, notification_request_create, notifications_queue_due
from events.registration.notify_models import NotificationRequest
from events.registration.privacy import person_erase
from events.registration.values import Actor
from network.services import coordinator_group_ensure
from tests.events.factories import EventPageFactory
from tests.events.registration import notify_fixtures
from tests.events.registration.notify_fixtures import ALL_FROM, LOCMEM, NOW
from tests.network.factories import OrganisationPageFactory, aware

from .conftest import make_user

pytestmark = pytest.mark.django_db

# The shared clock (autouse) and rounds, as this module's fixtures.
clock, in_rounds = notify_fixtures.clock, notify_fixtures.in_rounds


@pytest.fixture
def not_yet_open(in_rounds):
    """Certification libraries from 2 January 2031, 9.00, every library from 5 January."""
    group = in_rounds.registration_rounds.all()[0].library_group
    in_rounds.registration_rounds = [
        EligibilityRound(library_group=group, opens_at=aware(2031, 1, 2, 9)),
        EligibilityRound(library_group=None, opens_at=aware(2031, 1, 5, 9)),
    ]
    in_rounds.save_revision().publish()
    return in_rounds


def notify_url(offering) -> str:
    return reverse("registration_notify", args=[offering.pk])


def ask(client, offering, **overrides):
    data = {"email": "Bibliotekar@Example.org", "library": "", "consent": "on", "website": ""}
    data.update(overrides)
    return client.post(notify_url(offering), data)


def text(response) -> str:
    return response.content.decode()


# --- The form and its rules ----------------------------------------------------------------------------------------


def test_the_offering_page_offers_the_form_while_not_every_library_may_register(client, in_rounds, clock):
    assert "Giv mig besked, når tilmeldingen åbner" in text(client.get(in_rounds.url))
    assert f'action="{notify_url(in_rounds)}#besked"' in text(client.get(in_rounds.url))
    clock.move_to(ALL_FROM)
    assert "Giv mig besked" not in text(client.get(in_rounds.url))


def test_the_form_is_offered_before_the_first_round_and_without_rounds_before_the_opening(client, not_yet_open, event):
    assert "Giv mig besked, når tilmeldingen åbner" in text(client.get(not_yet_open.url))
    not_yet_open.registration_rounds = []
    not_yet_open.registration_opens = aware(2030, 12, 20, 9)
    not_yet_open.save_revision().publish()
    assert "Giv mig besked, når tilmeldingen åbner" in text(client.get(not_yet_open.url))


def test_a_request_is_stored_once_in_lower_case(client, in_rounds, other_library):
    response = ask(client, in_rounds, library=str(other_library.pk))
    assert response.status_code == 200
    assert "Vi sender dig en e-mail, når tilmeldingen åbner." in text(response)
    request = NotificationRequest.objects.get()
    assert (request.email, request.library) == ("bibliotekar@example.org", other_library)
    assert request.offering_id == in_rounds.pk
    assert request.token_hash and request.sent_at is None and request.consent_at == NOW


def test_a_second_request_from_the_same_address_says_so_kindly_and_changes_nothing(
    client, in_rounds, other_library, clock
):
    ask(client, in_rounds, library=str(other_library.pk))
    before = NotificationRequest.objects.values().get()
    clock.shift(60)
    response = ask(client, in_rounds, email="BIBLIOTEKAR@example.org", library="")
    assert response.status_code == 200
    assert "Du har allerede bedt om besked til dette tilbud." in text(response)
    assert NotificationRequest.objects.values().get() == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "ikke-en-adresse"}, "Skriv en gyldig e-mailadresse (navn@domæne.dk)."),
        ({"email": ""}, "Dette felt er påkrævet."),
        ({"consent": ""}, "Du skal give samtykke, før vi kan gemme din e-mailadresse."),
        ({"library": "999999"}, "Vælg et bibliotek fra listen."),
    ],
)
def test_bad_input_is_refused_in_danish_and_nothing_is_stored(client, in_rounds, overrides, message):
    response = ask(client, in_rounds, **overrides)
    assert response.status_code == 400
    assert message in text(response)
    assert not NotificationRequest.objects.exists()


def test_an_offering_open_to_every_library_takes_no_request(client, in_rounds, clock):
    clock.move_to(ALL_FROM)
    response = ask(client, in_rounds)
    assert response.status_code == 400
    assert "Tilmeldingen er allerede åben for alle biblioteker." in text(response)
    assert not NotificationRequest.objects.exists()


def test_an_offering_whose_registration_has_closed_or_ended_takes_no_request(client, in_rounds, clock):
    clock.move_to(aware(2031, 1, 12, 10))
    response = ask(client, in_rounds)
    assert response.status_code == 400
    assert "Der er ikke længere tilmelding til dette tilbud." in text(response)
    assert not NotificationRequest.objects.exists()


def test_a_library_that_may_register_now_is_sent_to_the_form(client, in_rounds, library):
    response = ask(client, in_rounds, library=str(library.pk))
    assert response.status_code == 400
    assert "Bibliotekerne i Herning kan allerede tilmelde nu." in text(response)
    assert not NotificationRequest.objects.exists()


def test_an_offering_for_one_group_only_needs_the_library(client, in_rounds, certification_group):
    in_rounds.registration_rounds = [EligibilityRound(library_group=certification_group, opens_at=ALL_FROM)]
    in_rounds.save_revision().publish()
    response = ask(client, in_rounds)
    assert "Tilbuddet åbner kun for udvalgte biblioteker. Vælg dit bibliotek." in text(response)
    assert not NotificationRequest.objects.exists()


def test_a_bot_filling_the_hidden_field_is_refused(client, in_rounds):
    response = ask(client, in_rounds, website="http://spam.example")
    assert response.status_code == 400
    assert not NotificationRequest.objects.exists()


def test_the_form_is_rate_limited_as_the_registration_form_is(client, in_rounds, settings):
    settings.CACHES = LOCMEM
    settings.REGISTRATION_RATE_LIMIT_PER_IP = 2
    cache.clear()
    for i in range(2):
        assert ask(client, in_rounds, email=f"b{i}@example.org").status_code == 200
    response = ask(client, in_rounds, email="b9@example.org")
    assert response.status_code == 429
    assert "Der er sendt for mange anmodninger herfra." in text(response)
    assert NotificationRequest.objects.count() == 2
    cache.clear()


def test_the_form_needs_no_csrf_token_as_the_offering_page_is_kept_whole_in_the_cache(in_rounds):
    client = Client(enforce_csrf_checks=True)
    assert ask(client, in_rounds).status_code == 200
    assert NotificationRequest.objects.count() == 1


def test_the_form_post_costs_a_fixed_number_of_queries(client, in_rounds, django_assert_num_queries):
    ask(client, in_rounds, email="a@example.org")  # the offering in the (dummy) cache: every read counted below
    # the offering and its rounds, the request and its receipt in the outbox, the page (site, restrictions)
    with django_assert_num_queries(15):
        ask(client, in_rounds, email="b@example.org")


# --- The e-mail ----------------------------------------------------------------------------------------------------


def request(offering, email, library=None):
    return notification_request_create(offering=offering, email=email, library=library, consent=True)[0]


@pytest.fixture
def waiting(not_yet_open, library, other_library):
    """Three requests before any round: a certification library, another library, and one without a library."""
    return [
        request(not_yet_open, "herning@example.org", library),
        request(not_yet_open, "ballerup@example.org", other_library),
        request(not_yet_open, "ingen@example.org"),
    ]


def test_nothing_is_sent_before_the_round_of_the_library(waiting):
    assert notifications_queue_due() == 0
    assert not OutboxMessage.objects.filter(kind=KIND).exists()
    assert NotificationRequest.objects.count() == 3


def test_each_request_is_answered_once_when_its_library_may_register_and_then_deleted(waiting, clock):
    clock.move_to(aware(2031, 1, 2, 9))  # the certification libraries' round
    assert notifications_queue_due() == 1
    message = OutboxMessage.objects.get(kind=KIND)
    assert message.to_email == "herning@example.org"
    assert set(NotificationRequest.objects.values_list("email", flat=True)) == {
        "ballerup@example.org",
        "ingen@example.org",
    }
    assert notifications_queue_due() == 0  # a second run sends nothing again
    clock.move_to(aware(2031, 1, 5, 9))  # every library
    assert notifications_queue_due() == 2
    assert OutboxMessage.objects.filter(kind=KIND).count() == 3
    assert not NotificationRequest.objects.exists()


def test_the_message_belongs_to_the_offering_and_says_who_may_register(waiting, not_yet_open, clock):
    clock.move_to(aware(2031, 1, 2, 9))
    call_command("send_registration_notices", stdout=io.StringIO())
    message = OutboxMessage.objects.get(kind=KIND)
    assert message.registration is None and message.offering_id == not_yet_open.pk
    assert message.subject == f"Tilmeldingen er åben: {not_yet_open.title}"
    assert f"Nu kan Bibliotekerne i Herning tilmelde sig {not_yet_open.title}." in message.body_text
    assert "Lige nu: kun Certificeringsbiblioteker; alle biblioteker fra 5. januar 2031 kl. 9.00" in message.body_text
    assert f"{reverse('registration_form', args=[not_yet_open.pk])}\n" in message.body_text
    assert not_yet_open.url in message.body_text
    assert "/tilmelding/besked/slet/?adgang=" in message.body_text
    assert "/tilmelding/besked/slet/?adgang=" in message.body_html
    assert "Tilmeldingen er åben" in message.body_html


def test_the_message_goes_out_through_the_outbox_with_text_and_html(waiting, clock):
    clock.move_to(aware(2031, 1, 2, 9))
    notifications_queue_due()
    mail.outbox.clear()
    assert outbox.deliver(OutboxMessage.objects.get(kind=KIND).pk)
    sent = mail.outbox[-1]
    assert sent.to == ["herning@example.org"]
    assert sent.alternatives and "Tilmeldingen er åben" in sent.alternatives[0][0]


def test_a_request_made_in_english_is_answered_in_english(client, not_yet_open, clock):
    client.post("/en" + notify_url(not_yet_open), {"email": "en@example.org", "consent": "on", "library": ""})
    assert NotificationRequest.objects.get().language == "en"
    clock.move_to(aware(2031, 1, 5, 9))
    notifications_queue_due()
    message = OutboxMessage.objects.get(kind=KIND)
    assert message.subject == f"Registration is open: {not_yet_open.title}"
    assert "Every library may now register for" in message.body_text


def test_a_cancelled_or_unpublished_offering_sends_nothing(waiting, not_yet_open, clock):
    not_yet_open.status = "aflyst"
    not_yet_open.save_revision().publish()
    clock.move_to(aware(2031, 1, 5, 9))
    assert notifications_queue_due() == 0


def test_requests_are_deleted_when_the_offering_closes_or_ends(waiting, clock):
    clock.move_to(aware(2031, 1, 12, 9, 30))  # the start: registration closed, nobody told (nothing due)
    call_command("send_registration_notices", stdout=io.StringIO())
    assert not NotificationRequest.objects.exists()


# --- Unsubscribe ---------------------------------------------------------------------------------------------------


def unsubscribe_link(message: OutboxMessage) -> str:
    return re.search(r"http://[^\s\"/]+(/tilmelding/besked/slet/\?adgang=[A-Za-z0-9_-]+)", message.body_text).group(1)


def test_the_link_in_the_email_deletes_its_stored_copy_after_asking(client, waiting, clock, django_assert_num_queries):
    clock.move_to(aware(2031, 1, 2, 9))
    notifications_queue_due()
    link = unsubscribe_link(OutboxMessage.objects.get(kind=KIND))
    response = client.get(link)
    assert response.status_code == 302 and "adgang" not in response.url
    with django_assert_num_queries(7):  # the session, the request and the copy looked up, the page
        page = client.get(response.url)
    assert "Vil du have den slettet?" in text(page)
    assert OutboxMessage.objects.filter(kind=KIND).exists()  # opening the link (a mail scanner) deletes nothing
    done = client.post(response.url)
    assert "Din e-mailadresse er slettet." in text(done)
    assert not OutboxMessage.objects.filter(kind=KIND).exists()
    assert "Der er intet at slette" in text(client.get(link, follow=True))


def test_a_request_is_confirmed_at_once_with_a_link_that_deletes_it_before_the_round(client, not_yet_open):
    ask(client, not_yet_open, email="ny@example.org")
    receipt = OutboxMessage.objects.get(kind=KIND_RECEIPT)
    assert receipt.to_email == "ny@example.org" and receipt.offering_id == not_yet_open.pk
    assert receipt.subject == f"Du får besked: {not_yet_open.title}"
    assert f"Vi sender dig en e-mail, når alle biblioteker kan tilmelde sig {not_yet_open.title}." in receipt.body_text
    assert "Efter planen: 5. januar 2031 kl. 9.00." in receipt.body_text
    assert "/tilmelding/besked/slet/?adgang=" in receipt.body_html
    ask(client, not_yet_open, email="ny@example.org")  # the same address again: no second e-mail
    assert OutboxMessage.objects.filter(kind=KIND_RECEIPT).count() == 1
    response = client.get(unsubscribe_link(receipt))
    client.post(response.url)
    assert not NotificationRequest.objects.exists()
    assert not OutboxMessage.objects.exists()  # the receipt's stored copy went with it


def test_a_made_up_link_finds_nothing(client, waiting):
    page = client.get("/tilmelding/besked/slet/?adgang=gaet", follow=True)
    assert "Der er intet at slette" in text(page)
    assert NotificationRequest.objects.count() == 3


# --- Scope and personal data ---------------------------------------------------------------------------------------


def test_the_outbox_shows_the_message_to_the_offerings_organisation_only(waiting, not_yet_open, organisation, clock):
    other = OrganisationPageFactory(parent=organisation.get_parent(), title="Kultur og Information", short_name="KI")
    own = make_user("koordinator-db", coordinator_group_ensure(name="Koordinatorer – DB", sections=[organisation]))
    stranger = make_user("koordinator-ki", coordinator_group_ensure(name="Koordinatorer – KI", sections=[other]))
    EventPageFactory(parent=other, registration_enabled=True)
    clock.move_to(aware(2031, 1, 2, 9))
    notifications_queue_due()
    message = OutboxMessage.objects.get(kind=KIND)
    own_messages = selectors.outbox_messages(offerings=selectors.editable_offerings(own))
    assert message in own_messages and own_messages.count() == 4  # and the three receipts
    assert not selectors.outbox_messages(offerings=selectors.editable_offerings(stranger)).exists()
    admin = Client()
    admin.force_login(stranger)
    assert admin.get(reverse("udbakke:inspect", args=[message.pk])).status_code in (302, 403, 404)


def test_the_person_lookup_shows_a_waiting_request_and_erasure_deletes_it(waiting, not_yet_open):
    data = selectors.person_data(email="Ballerup@example.org")
    assert data["besked_om_tilmelding"] == [
        {"tilbud": not_yet_open.title, "bibliotek": "Bibliotekerne i Ballerup", "oprettet": "2030-12-02T12:00:00+01:00"}
    ]
    assert person_erase(email="ballerup@example.org", actor=Actor.system()) == 1
    assert set(NotificationRequest.objects.values_list("email", flat=True)) == {
        "herning@example.org",
        "ingen@example.org",
    }
    assert selectors.person_data(email="ballerup@example.org")["besked_om_tilmelding"] == []


def test_a_coordinators_erasure_leaves_other_organisations_requests(waiting, organisation):
    other = OrganisationPageFactory(parent=organisation.get_parent(), title="Kultur og Information", short_name="KI")
    stranger = make_user("koordinator-ki", coordinator_group_ensure(name="Koordinatorer – KI", sections=[other]))
    scope = selectors.editable_offerings(stranger)
    assert person_erase(email="ballerup@example.org", actor=Actor.coordinator(stranger), offerings=scope) == 0
    assert NotificationRequest.objects.count() == 3
