"""The contact confirms the e-mail address before anyone else is written to; unconfirmed seats are held for a while.

The public form is no relay: a stranger's addresses typed into it get nothing until the contact's address has shown,
through a link, that it reads its mail; seats held meanwhile run out and go to the waiting list.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from events.registration import confirmation, selectors
from events.registration.errors import RegistrationError
from events.registration.models import (
    ContactStatus,
    LogAction,
    OutboxMessage,
    Participant,
    ParticipantStatus,
    Registration,
    RegistrationLogEntry,
)
from events.registration.privacy import person_erase
from events.registration.reminders import reminders_queue_due
from events.registration.services import (
    participants_add,
    participants_cancel,
    registration_confirm,
    registration_holds_expire,
)
from events.registration.values import Actor

from .conftest import people, register
from .test_views import form_url, post_data

pytestmark = pytest.mark.django_db

STRANGER_TEXT = "Vind en iPhone på example.net"
CONFIRM_LINK = re.compile(r"http://testserver(/tilmelding/[0-9a-f-]{36}/bekraeft/)\?adgang=([A-Za-z0-9_-]+)")
MANAGE_LINK = re.compile(r"http://testserver(/tilmelding/[0-9a-f-]{36}/)\?adgang=([A-Za-z0-9_-]+)")


def submit(client, event, library, participants, **overrides):
    """The public form sent by a contact; every e-mail of the change delivered (the tests run tasks at once)."""
    response = client.post(form_url(event), post_data(library, participants, **overrides))
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def hold(event, library, n=2, **kwargs) -> Registration:
    """An unconfirmed registration of n participants, as the form makes one for an address not yet confirmed."""
    kwargs.setdefault("contact_confirmed", False)
    return register(event, library, people(n, **kwargs.pop("people", {})), **kwargs).registration


def confirm_link(message) -> tuple[str, str]:
    path, token = CONFIRM_LINK.search(message.body).groups()
    return path, token


def confirm_in(client, message, **data):
    """Open the confirmation link of `message` and press the button; the response to the press."""
    path, token = confirm_link(message)
    opened = client.get(f"{path}?adgang={token}")
    assert opened.status_code == 302 and opened.url == path  # the token leaves the address at once
    return client.post(path, data)


# --- No e-mail to anyone but the contact before the confirmation ---------------------------------------------------


def test_an_unconfirmed_contact_gets_one_e_mail_without_the_text_typed_into_the_form(
    client, event, library, django_capture_on_commit_callbacks
):
    event.capacity = 30
    event.save_revision().publish()
    rows = [(f"{STRANGER_TEXT} {i}", f"offer{i}@example.net") for i in range(25)]
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, event, library, rows, contact_name=STRANGER_TEXT, contact_email="victim@example.net")

    assert [m.to for m in mail.outbox] == [["victim@example.net"]]
    message = mail.outbox[0]
    assert message.subject == f"Bekræft tilmeldingen: {event.title}"
    assert "Der er tilmeldt 25 deltagere med din e-mailadresse som kontaktperson." in message.body
    assert "Vind en iPhone" not in message.subject + message.body + message.alternatives[0].content
    assert not OutboxMessage.objects.exclude(to_email="victim@example.net").exists()
    # The seats are held meanwhile, and the page says so.
    registration = Registration.objects.get()
    assert registration.contact_status == ContactStatus.UNCONFIRMED
    expected = timezone.now() + dt.timedelta(minutes=60)
    assert abs(registration.hold_until - expected) < dt.timedelta(minutes=1)
    assert selectors.participant_counts(offering_id=event.pk)["confirmed"] == 25
    html = client.get(response.url).content.decode()
    assert 'data-contact-status="unconfirmed"' in html and "victim@example.net" in html


def test_confirming_tells_the_colleagues_and_sends_the_receipt(
    client, event, library, django_capture_on_commit_callbacks
):
    event.capacity = 1
    event.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, event, library, [("A", "a@example.org"), ("B", "b@example.org")])
    contact = Client()  # the contact opens the e-mail elsewhere: the link alone gives access
    path, token = confirm_link(mail.outbox[0])
    page = contact.get(path + "?adgang=" + token, follow=True)
    assert page.status_code == 200
    assert "Bekræft og send til kollegerne" in page.content.decode()
    assert len(mail.outbox) == 1  # opening the link (as a mail scanner does) confirms nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = contact.post(path)

    registration = Registration.objects.get()
    assert response.status_code == 302 and response.url == f"/tilmelding/{registration.public_id}/"
    assert registration.contact_status == ContactStatus.CONFIRMED and registration.hold_until is None
    sent = {m.to[0]: m for m in mail.outbox[1:]}
    assert set(sent) == {"kontakt@example.org", "a@example.org", "b@example.org"}
    assert sent["a@example.org"].subject.startswith("Du har fået plads")
    assert "som nummer 1." in sent["b@example.org"].body
    manage_path, manage_token = MANAGE_LINK.search(sent["kontakt@example.org"].body).groups()
    assert Client().get(f"{manage_path}?adgang={manage_token}", follow=True).status_code == 200
    assert "Tilmeldingen er bekræftet" in contact.get(response.url).content.decode()
    assert RegistrationLogEntry.objects.filter(registration=registration, action=LogAction.CONFIRMED).count() == 1
    # The link again: already confirmed, nothing is sent twice.
    again = contact.get(path + "?adgang=" + token, follow=True)
    assert "Tilmeldingen er allerede bekræftet." in again.content.decode()
    assert len(mail.outbox) == 4


def test_a_seat_given_before_the_confirmation_is_told_at_the_confirmation(
    event, library, other_library, django_capture_on_commit_callbacks
):
    event.capacity = 1
    event.save_revision().publish()
    first = register(event, other_library, people(1, prefix="foerst"), contact_email="foerst@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        result = register(event, library, people(1), contact_confirmed=False)
        participants_cancel(registration=first.registration)  # the waiting participant of the hold moves up
    assert Participant.objects.get(pk=result.waiting[0].pk).status == ParticipantStatus.CONFIRMED
    assert not OutboxMessage.objects.filter(registration=result.registration).exclude(kind="contact_confirm")

    with django_capture_on_commit_callbacks(execute=True):
        registration_confirm(registration=result.registration)

    kinds = set(OutboxMessage.objects.filter(registration=result.registration).values_list("kind", flat=True))
    assert kinds == {"contact_confirm", "contact_receipt", "confirmed"}


def test_participants_added_or_cancelled_before_the_confirmation_hear_nothing(event, library):
    registration = hold(event, library, 1)
    participants_add(registration=registration, participants=people(1, start=2))
    participants_cancel(registration=registration, participant_ids=None)
    assert list(OutboxMessage.objects.values_list("kind", flat=True)) == ["contact_confirm"]


def test_reminders_skip_seats_that_are_not_confirmed(event, library, other_library):
    hold(event, library, 1)
    register(event, other_library, people(1, prefix="bekraeftet"), contact_email="b@example.org")
    reminded = reminders_queue_due(now=event.start - dt.timedelta(days=1))
    assert reminded == 1
    assert list(OutboxMessage.objects.filter(kind="reminder").values_list("to_email", flat=True)) == [
        "bekraeftet1@example.org"
    ]


# --- Confirmed once: this browser remembers the address, if asked ----------------------------------------------------


def test_a_browser_that_confirmed_an_address_registers_straight_through(
    client, event, library, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, event, library, [("A", "a@example.org")])
    with django_capture_on_commit_callbacks(execute=True):
        confirm_in(client, mail.outbox[0], remember="on")
    assert confirmation.COOKIE in client.cookies
    cookie = client.cookies[confirmation.COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert "kontakt" not in cookie.value  # a keyed hash of the address, not the address
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        submit(client, event, library, [("C", "c@example.org")], contact_email="KONTAKT@example.org")

    newest = Registration.objects.latest("pk")
    assert newest.contact_status == ContactStatus.CONFIRMED
    assert {m.to[0] for m in mail.outbox} == {"kontakt@example.org", "c@example.org"}
    assert "Tak! Tilmeldingen er modtaget." in client.get(f"/tilmelding/{newest.public_id}/").content.decode()


def test_without_asking_to_remember_the_next_registration_is_confirmed_again(
    client, event, library, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, event, library, [("A", "a@example.org")])
    with django_capture_on_commit_callbacks(execute=True):
        confirm_in(client, mail.outbox[0])
    assert confirmation.COOKIE not in client.cookies
    submit(client, event, library, [("C", "c@example.org")])
    assert Registration.objects.latest("pk").contact_status == ContactStatus.UNCONFIRMED


@pytest.mark.parametrize(
    "cookie",
    [
        "forfalsket",  # not signed
        "{hash}",  # the right hash, unsigned
        "other",  # signed, for another address
    ],
)
def test_another_browser_or_a_forged_cookie_is_not_trusted(client, event, library, cookie):
    key = confirmation.address_key("kontakt@example.org")
    if cookie == "other":
        response = Client().get("/")
        confirmation.address_remember(response.wsgi_request, response, "andet@example.org")
        value = response.cookies[confirmation.COOKIE].value
    else:
        value = cookie.format(hash=key)
    client.cookies[confirmation.COOKIE] = value
    submit(client, event, library, [("A", "a@example.org")])
    assert Registration.objects.get().contact_status == ContactStatus.UNCONFIRMED
    assert list(OutboxMessage.objects.values_list("kind", flat=True)) == ["contact_confirm"]


# --- The hold runs out ---------------------------------------------------------------------------------------------


@pytest.fixture
def full_with_a_queue(event, library, other_library):
    """Two seats, both held by an unconfirmed registration; a confirmed contact's colleague waits first in line."""
    event.capacity = 2
    event.save_revision().publish()
    held = hold(event, library, 2)
    queued = register(event, other_library, people(1, prefix="venter"), contact_email="venter-kontakt@example.org")
    assert [p.status for p in queued.waiting] == [ParticipantStatus.WAITING]
    return held, queued


def later(registration) -> dt.datetime:
    return registration.hold_until + dt.timedelta(seconds=1)


def assert_released_and_promoted(held, queued):
    assert set(held.participants.values_list("status", flat=True)) == {ParticipantStatus.CANCELLED}
    held.refresh_from_db()
    assert held.contact_status == ContactStatus.EXPIRED
    assert Participant.objects.get(pk=queued.waiting[0].pk).status == ParticipantStatus.CONFIRMED
    assert RegistrationLogEntry.objects.filter(registration=held, action=LogAction.EXPIRED).count() == 2
    # The promoted colleague is told; the participants of the hold never heard of it and hear nothing now.
    assert set(OutboxMessage.objects.filter(registration=held).values_list("kind", flat=True)) == {"contact_confirm"}
    assert OutboxMessage.objects.filter(kind="promoted", to_email="venter1@example.org").exists()


def test_the_worker_frees_an_expired_hold_and_promotes_the_waiting_list(full_with_a_queue):
    held, queued = full_with_a_queue
    assert registration_holds_expire(now=held.hold_until - dt.timedelta(seconds=1)) == 0
    assert Participant.objects.get(pk=queued.waiting[0].pk).status == ParticipantStatus.WAITING

    assert registration_holds_expire(now=later(held)) == 1

    assert_released_and_promoted(held, queued)
    assert "Plads holdt" not in Participant.objects.filter(registration=held).first().status_label
    assert Participant.objects.filter(registration=held).first().status_label == "Udløbet, ikke bekræftet"


def test_the_command_expires_holds(full_with_a_queue, capsys):
    held, queued = full_with_a_queue
    Registration.objects.filter(pk=held.pk).update(hold_until=timezone.now() - dt.timedelta(seconds=1))
    call_command("expire_registration_holds")
    assert "1 ubekræftede tilmeldinger udløbet." in capsys.readouterr().out
    assert_released_and_promoted(held, queued)


def test_without_a_worker_the_next_change_of_seats_expires_the_hold_first(full_with_a_queue, event, library):
    held, queued = full_with_a_queue

    newcomer = register(event, library, people(1, prefix="ny"), contact_email="ny@example.org", now=later(held))

    assert_released_and_promoted(held, queued)
    # One seat was left after the first in line moved up: the newcomer gets it, behind the queue.
    assert [p.status for p in newcomer.confirmed] == [ParticipantStatus.CONFIRMED]


def test_a_participant_of_an_expired_hold_may_be_registered_again_before_the_worker_ran(full_with_a_queue, event):
    held, _queued = full_with_a_queue
    again = register(event, held.library, people(1), contact_email="igen@example.org", now=later(held))
    assert again.registration.participants.get().email == "deltager1@example.org"
    assert set(held.participants.values_list("status", flat=True)) == {ParticipantStatus.CANCELLED}


def test_a_hold_that_ran_out_takes_no_more_participants(full_with_a_queue):
    held, _queued = full_with_a_queue
    with pytest.raises(RegistrationError) as refused:
        participants_add(registration=held, participants=people(1, prefix="sent"), now=later(held))
    assert refused.value.code == "expired"
    assert not Participant.objects.filter(email__startswith="sent").exists()


@pytest.mark.parametrize("released", [False, True])
def test_a_confirmation_after_the_hold_ran_out_gets_a_message_and_changes_nothing(
    client, full_with_a_queue, django_capture_on_commit_callbacks, released
):
    held, queued = full_with_a_queue
    token = held.set_confirm_token()
    Registration.objects.filter(pk=held.pk).update(
        confirm_token_hash=held.confirm_token_hash, hold_until=timezone.now() - dt.timedelta(seconds=1)
    )
    if released:
        registration_holds_expire()
    before = sorted(Participant.objects.values_list("pk", "status"))
    status_before = Registration.objects.get(pk=held.pk).contact_status
    path = reverse("registration_confirm", args=[held.public_id])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.get(f"{path}?adgang={token}")
        shown = client.get(path)
        pressed = client.post(path)

    for response in (shown, pressed):
        assert response.status_code == 410
        assert "Linket er udløbet, og pladserne er givet videre." in response.content.decode()
    assert sorted(Participant.objects.values_list("pk", "status")) == before
    assert Registration.objects.get(pk=held.pk).contact_status == status_before
    assert not callbacks and not mail.outbox
    with pytest.raises(RegistrationError) as refused:
        registration_confirm(registration=held)
    assert refused.value.code == "expired"


# --- Links that are wrong ------------------------------------------------------------------------------------------


def test_a_wrong_or_forged_confirmation_link_gets_nothing(client, event, library):
    registration = hold(event, library, 1)
    path = reverse("registration_confirm", args=[registration.public_id])
    manage_token = registration.set_new_token()  # the manage link's token does not confirm
    Registration.objects.filter(pk=registration.pk).update(token_hash=registration.token_hash)
    forged = ["", "forkert", "x" * 43, manage_token]
    for token in forged:
        response = client.get(f"{path}?adgang={token}")
        assert response.status_code == 404, token
        assert "Linket til tilmeldingen er forkert eller udløbet." in response.content.decode()
    # Without a link opened in this session, the page and the button give nothing.
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404
    other = reverse("registration_confirm", args=["00000000-0000-4000-8000-000000000000"])
    assert client.get(f"{other}?adgang=forkert").status_code == 404
    assert Registration.objects.get(pk=registration.pk).contact_status == ContactStatus.UNCONFIRMED
    assert list(OutboxMessage.objects.values_list("kind", flat=True)) == ["contact_confirm"]


def test_a_confirmation_token_does_not_open_the_manage_page(client, event, library):
    registration = hold(event, library, 1)
    token = registration.set_confirm_token()
    Registration.objects.filter(pk=registration.pk).update(confirm_token_hash=registration.confirm_token_hash)
    assert client.get(f"/tilmelding/{registration.public_id}/?adgang={token}").status_code == 404
    assert client.get(f"/tilmelding/{registration.public_id}/{token}/").status_code == 404


# --- The manage link: the token leaves the address -------------------------------------------------------------------


def test_old_links_with_the_token_in_the_path_still_open_the_page(client, event, library):
    result = register(event, library, people(1))
    public_id = result.registration.public_id
    for old, clean in (
        (f"/tilmelding/{public_id}/{result.token}/", f"/tilmelding/{public_id}/"),
        (f"/tilmelding/{public_id}/{result.token}/kompetencelandskab/", f"/tilmelding/{public_id}/kompetencelandskab/"),
    ):
        response = Client().get(old, follow=True)
        assert response.redirect_chain == [(clean, 302)]
        assert response.status_code == 200
    assert client.get(f"/tilmelding/{public_id}/").status_code == 404  # a session that never had the link


def test_coordinators_see_which_seats_are_held_unconfirmed(admin_client, event, library, other_library):
    hold(event, library, 1)
    register(event, other_library, people(1, prefix="b"), contact_email="b@example.org")
    url = reverse("registration_admin:offering", args=[event.pk])
    html = admin_client.get(url).content.decode()
    assert html.count("Plads holdt, ikke bekræftet") == 1
    exported = b"".join(admin_client.get(url + "?export=csv").streaming_content).decode("utf-8-sig")
    rows = {row[1]: row for row in csv.reader(io.StringIO(exported), delimiter=";")}
    assert "Plads holdt, ikke bekræftet" in rows["deltager1@example.org"]
    assert "Bekræftet" in rows["b1@example.org"] and "Plads holdt, ikke bekræftet" not in rows["b1@example.org"]


# --- What a link opens afterwards -----------------------------------------------------------------------------------


def test_a_used_confirmation_link_opens_nothing_in_another_browser(
    client, event, library, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, event, library, [("Anders And", "a@example.org")])
    with django_capture_on_commit_callbacks(execute=True):
        confirm_in(client, mail.outbox[0])
    path, token = confirm_link(mail.outbox[0])
    stranger = Client()
    with django_capture_on_commit_callbacks(execute=True):
        page = stranger.get(f"{path}?adgang={token}", follow=True)
    assert "Anders And" not in page.content.decode()
    registration = Registration.objects.get()
    assert stranger.get(f"/tilmelding/{registration.public_id}/").status_code == 404


def test_an_unconfirmed_contact_sees_no_competency_landscape(client, event, library):
    response = submit(client, event, library, [("A", "a@example.org")])
    assert client.get(response.url).status_code == 200  # the manage page says it waits for the confirmation
    assert client.get(f"{response.url}kompetencelandskab/").status_code == 404


def test_an_erasure_ends_the_access_a_session_had(
    client, event, library, superuser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, event, library, [("A", "a@example.org")])
    with django_capture_on_commit_callbacks(execute=True):
        confirm_in(client, mail.outbox[0])
    assert client.get(response.url).status_code == 200
    person_erase(email="kontakt@example.org", actor=Actor.coordinator(superuser))
    assert client.get(response.url).status_code == 404
