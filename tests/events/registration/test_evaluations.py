"""Evaluations: a link by e-mail when an offering ends, one reminder, one anonymous answer per link, closed in time."""

from __future__ import annotations

import datetime as dt
import io
import re

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

import pytest

from events.registration.errors import RegistrationError
from events.registration.evaluation_models import EvaluationInvitation, EvaluationResponse, receipt_hash
from events.registration.evaluations import (
    EvaluationAnswerError,
    evaluation_answer,
    evaluation_questions,
    evaluations_invite_due,
)
from events.registration.models import OutboxMessage, Participant
from events.registration.privacy import person_erase, registrations_anonymise_expired
from events.registration.values import Actor
from network.blocks import SEED_QUESTIONS
from network.models import OfferingPage
from tests.events.factories import EventPageFactory

from .conftest import people, register

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/tilmelding/evaluering/(\d+)/\?adgang=([A-Za-z0-9_-]+))")

QUESTIONS = [
    (
        "scale",
        {"question": "Hvor nyttig var dagen?", "low_label": "Slet ikke", "high_label": "Meget", "required": True},
    ),
    ("choice", {"question": "Hvordan hørte du om den?", "choices": ["Nyhedsbrev", "Kollega"], "required": True}),
    ("text", {"question": "Hvad tager du med hjem?", "required": False}),
]


def end_offering(offering, *, days_ago: float = 1) -> None:
    """Move the offering into the past (registration is only possible before it)."""
    end = timezone.now() - dt.timedelta(days=days_ago)
    OfferingPage.objects.filter(pk=offering.pk).update(start=end - dt.timedelta(hours=6), end=end)
    offering.refresh_from_db()


@pytest.fixture
def ended(event, library, django_capture_on_commit_callbacks):
    """The event with three questions; six confirmed participants; ended yesterday."""
    event.evaluation = QUESTIONS
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        register(event, library, people(6))
    end_offering(event)
    mail.outbox.clear()
    return event


def invite(now=None, *, capture):
    with capture(execute=True):
        return evaluations_invite_due(now=now or timezone.now())


def link(message) -> tuple[str, int, str]:
    path, pk, token = LINK.search(message.body).groups()
    return path, int(pk), token


def links() -> dict[str, tuple[str, int, str]]:
    return {message.to[0]: link(message) for message in mail.outbox}


def ids(offering) -> list[str]:
    return [question.id for question in evaluation_questions(offering)]


def good_answers(offering, scale="4", choice="Kollega", text="Nye ideer") -> dict:
    scale_id, choice_id, text_id = ids(offering)
    return {scale_id: scale, choice_id: choice, text_id: text}


# --- The page editor -----------------------------------------------------------------------------------------------


def test_a_new_offering_starts_with_the_seed_questions_each_with_an_id(organisation):
    offering = EventPageFactory(parent=organisation)
    offering.refresh_from_db()
    questions = evaluation_questions(offering)
    assert [q.text for q in questions] == SEED_QUESTIONS
    assert {q.kind for q in questions} == {"text"}
    assert len({q.id for q in questions}) == 3 and all(questions[i].id for i in range(3))


def test_the_editor_has_an_evaluation_tab(admin_client, ended):
    response = admin_client.get(f"/admin/pages/{ended.pk}/edit/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Evaluering" in text and "Hvor nyttig var dagen?" in text


# --- Invitations ---------------------------------------------------------------------------------------------------


def test_nobody_is_invited_before_the_offering_ends(event, library, django_capture_on_commit_callbacks):
    event.evaluation = QUESTIONS
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        register(event, library, people(2))
    assert invite(capture=django_capture_on_commit_callbacks) == (0, 0)
    assert not EvaluationInvitation.objects.exists()


def test_each_confirmed_participant_is_invited_once_with_a_link_through_the_outbox(
    ended, django_capture_on_commit_callbacks
):
    # Cancelled before the offering (the rules refuse a cancellation after it): no invitation.
    Participant.objects.filter(email="deltager6@example.org").update(status="cancelled")
    mail.outbox.clear()
    assert invite(capture=django_capture_on_commit_callbacks) == (5, 0)
    stored = OutboxMessage.objects.filter(kind="evaluation")
    assert stored.count() == 5
    assert all(m.context["evaluation_url"].startswith("http://testserver/tilmelding/evaluering/") for m in stored)
    sent = links()
    assert sorted(sent) == [f"deltager{i}@example.org" for i in range(1, 6)]  # not the cancelled one
    _path, pk, token = sent["deltager1@example.org"]
    invitation = EvaluationInvitation.objects.get(pk=pk)
    assert invitation.participant.email == "deltager1@example.org"
    assert invitation.token_matches(token) and token not in invitation.token_hash
    mail.outbox.clear()
    assert invite(capture=django_capture_on_commit_callbacks) == (0, 0)
    assert not mail.outbox


def test_no_invitation_without_questions_or_after_the_evaluation_closed(
    ended, settings, django_capture_on_commit_callbacks
):
    ended.evaluation = []
    ended.save()
    assert invite(capture=django_capture_on_commit_callbacks) == (0, 0)
    ended.evaluation = QUESTIONS
    ended.save()
    end_offering(ended, days_ago=settings.EVALUATION_OPEN_DAYS + 1)
    assert invite(capture=django_capture_on_commit_callbacks) == (0, 0)
    assert not EvaluationInvitation.objects.exists()


def test_send_evaluations_command_reports(ended, django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_evaluations", stdout=out)
    assert "6 evalueringer og 0 påmindelser" in out.getvalue()
    assert len(mail.outbox) == 6


# --- The reminder --------------------------------------------------------------------------------------------------


def test_one_reminder_after_the_reminder_days_with_a_new_link_not_to_who_answered(
    ended, settings, django_capture_on_commit_callbacks
):
    now = timezone.now()
    invite(now, capture=django_capture_on_commit_callbacks)
    first = links()
    _path, pk, token = first["deltager1@example.org"]
    evaluation_answer(
        invitation=EvaluationInvitation.objects.get(pk=pk), token=token, answers=good_answers(ended), now=now
    )
    mail.outbox.clear()
    early = now + dt.timedelta(days=settings.EVALUATION_REMINDER_DAYS - 1)
    assert invite(early, capture=django_capture_on_commit_callbacks) == (0, 0)
    due = now + dt.timedelta(days=settings.EVALUATION_REMINDER_DAYS, minutes=1)
    assert invite(due, capture=django_capture_on_commit_callbacks) == (0, 5)
    reminded = links()
    assert "deltager1@example.org" not in reminded
    _path, pk2, new_token = reminded["deltager2@example.org"]
    invitation = EvaluationInvitation.objects.get(pk=pk2)
    assert new_token != first["deltager2@example.org"][2]
    assert invitation.token_matches(new_token) and not invitation.token_matches(first["deltager2@example.org"][2])
    assert OutboxMessage.objects.filter(kind="evaluation_reminder").count() == 5
    mail.outbox.clear()
    assert invite(due + dt.timedelta(days=5), capture=django_capture_on_commit_callbacks) == (0, 0)
    assert not mail.outbox


# --- Answering -----------------------------------------------------------------------------------------------------


@pytest.fixture
def invited(ended, django_capture_on_commit_callbacks):
    invite(capture=django_capture_on_commit_callbacks)
    return links()


def first_invitation(invited) -> tuple[EvaluationInvitation, str]:
    _path, pk, token = invited["deltager1@example.org"]
    return EvaluationInvitation.objects.select_related("offering").get(pk=pk), token


def test_an_answer_is_stored_without_the_participant(ended, invited):
    invitation, token = first_invitation(invited)
    response = evaluation_answer(invitation=invitation, token=token, answers=good_answers(ended))
    scale_id, choice_id, text_id = ids(ended)
    assert response.answers == {scale_id: 4, choice_id: "Kollega", text_id: "Nye ideer"}
    # Nothing on the response names the participant or the invitation; the receipt is not the invitation's hash.
    fields = {field.name for field in EvaluationResponse._meta.get_fields()}
    assert fields == {"id", "offering", "session", "answers", "submitted_on", "receipt_hash"}
    assert [f.name for f in EvaluationResponse._meta.get_fields() if f.is_relation] == ["offering", "session"]
    assert response.receipt_hash == receipt_hash(token) != invitation.token_hash
    assert "deltager1" not in str(response.answers)
    invitation.refresh_from_db()
    assert invitation.answered_at is not None


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        ({"scale": ""}, "required", "Besvar spørgsmålet: Hvor nyttig var dagen?"),
        ({"choice": ""}, "required", "Besvar spørgsmålet: Hvordan hørte du om den?"),
        ({"scale": "0"}, "scale", "Vælg et tal fra 1 til 5: Hvor nyttig var dagen?"),
        ({"scale": "6"}, "scale", "Vælg et tal fra 1 til 5: Hvor nyttig var dagen?"),
        ({"scale": "3.5"}, "scale", "Vælg et tal fra 1 til 5: Hvor nyttig var dagen?"),
        ({"scale": "tre"}, "scale", "Vælg et tal fra 1 til 5: Hvor nyttig var dagen?"),
        ({"choice": "Avisen"}, "choice", "Vælg en af svarmulighederne: Hvordan hørte du om den?"),
        ({"text": "x" * 2001}, "text_length", "Svaret må højst være 2000 tegn: Hvad tager du med hjem?"),
    ],
)
def test_each_rule_refuses_the_answers_with_a_danish_message_and_saves_nothing(ended, invited, change, code, message):
    invitation, token = first_invitation(invited)
    answers = good_answers(ended, **change)
    with pytest.raises(EvaluationAnswerError) as error:
        evaluation_answer(invitation=invitation, token=token, answers=answers)
    assert error.value.code == code
    assert error.value.message == message
    assert not EvaluationResponse.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


def test_an_optional_text_may_be_left_empty_and_2000_characters_are_allowed(ended, invited):
    invitation, token = first_invitation(invited)
    evaluation_answer(invitation=invitation, token=token, answers=good_answers(ended, text=""))
    assert set(EvaluationResponse.objects.get().answers) == set(ids(ended)[:2])  # jsonb keeps no key order
    invitation2 = EvaluationInvitation.objects.get(pk=invited["deltager2@example.org"][1])
    evaluation_answer(
        invitation=invitation2, token=invited["deltager2@example.org"][2], answers=good_answers(ended, text="x" * 2000)
    )
    assert EvaluationResponse.objects.count() == 2


def test_answering_twice_is_refused_even_with_a_stale_invitation(ended, invited):
    invitation, token = first_invitation(invited)
    stale = EvaluationInvitation.objects.select_related("offering").get(pk=invitation.pk)
    evaluation_answer(invitation=invitation, token=token, answers=good_answers(ended))
    with pytest.raises(RegistrationError) as error:
        # The same invitation as another tab read it before the first answer: only the conditional update stops it.
        evaluation_answer(invitation=stale, token=token, answers=good_answers(ended, scale="1"))
    assert error.value.code == "answered"
    assert error.value.message == "Du har allerede svaret på evalueringen."
    assert EvaluationResponse.objects.count() == 1
    assert EvaluationResponse.objects.get().answers[ids(ended)[0]] == 4


def test_a_wrong_token_is_refused(ended, invited):
    invitation, token = first_invitation(invited)
    with pytest.raises(RegistrationError) as error:
        evaluation_answer(invitation=invitation, token=token[:-2] + "xx", answers=good_answers(ended))
    assert error.value.code == "link"
    assert not EvaluationResponse.objects.exists()


def test_the_evaluation_closes_after_the_open_days(ended, invited, settings):
    invitation, token = first_invitation(invited)
    late = ended.end + dt.timedelta(days=settings.EVALUATION_OPEN_DAYS, seconds=1)
    with pytest.raises(RegistrationError) as error:
        evaluation_answer(invitation=invitation, token=token, answers=good_answers(ended), now=late)
    assert error.value.code == "closed"
    assert error.value.message == "Evalueringen er lukket. Tak for din interesse."
    assert not EvaluationResponse.objects.exists()


# --- The public form -----------------------------------------------------------------------------------------------


def post_data(answers: dict) -> dict:
    return {f"q-{key}": value for key, value in answers.items()}


def test_the_link_opens_the_form_without_the_token_in_the_address(client, ended, invited):
    path, pk, _token = invited["deltager1@example.org"]
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/tilmelding/evaluering/{pk}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page["X-Robots-Tag"] == "noindex"
    assert "no-store" in page["Cache-Control"]
    text = page.content.decode()
    scale_id = ids(ended)[0]
    assert "<legend>Hvor nyttig var dagen?" in text
    assert text.count(f'type="radio" name="q-{scale_id}"') == 5
    assert "(Slet ikke)" in text and "(Meget)" in text
    assert 'value="Nyhedsbrev"' in text and "<textarea" in text


def test_without_the_link_the_form_is_not_shown(client, ended, invited):
    _path, pk, _token = invited["deltager1@example.org"]
    assert client.get(f"/tilmelding/evaluering/{pk}/").status_code == 404
    assert client.get(f"/tilmelding/evaluering/{pk}/?adgang=forkert").status_code == 404


def test_answering_shows_thanks_and_the_answers_and_a_second_visit_says_already_answered(client, ended, invited):
    path, pk, _token = invited["deltager1@example.org"]
    client.get(path)
    response = client.post(f"/tilmelding/evaluering/{pk}/", post_data(good_answers(ended, text="Mere læselyst")))
    assert response.status_code == 302
    page = client.get(f"/tilmelding/evaluering/{pk}/").content.decode()
    assert 'data-evaluation="thanks"' in page
    assert "Mere læselyst" in page and "Kollega" in page
    again = client.post(f"/tilmelding/evaluering/{pk}/", post_data(good_answers(ended, text="Igen")))
    assert again.status_code == 302
    assert EvaluationResponse.objects.count() == 1
    page = client.get(f"/tilmelding/evaluering/{pk}/").content.decode()
    assert 'data-evaluation="answered"' in page and "Du har allerede svaret" in page
    assert "Mere læselyst" in page and "Igen" not in page


def test_bad_answers_in_the_form_show_the_danish_message_and_keep_what_was_typed(client, ended, invited):
    path, pk, _token = invited["deltager1@example.org"]
    client.get(path)
    response = client.post(f"/tilmelding/evaluering/{pk}/", post_data(good_answers(ended, scale="", text="Mit svar")))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Besvar spørgsmålet: Hvor nyttig var dagen?" in text
    assert "Mit svar</textarea>" in text
    assert not EvaluationResponse.objects.exists()


def test_a_closed_evaluation_says_so(client, ended, invited, settings):
    path, pk, _token = invited["deltager1@example.org"]
    end_offering(ended, days_ago=settings.EVALUATION_OPEN_DAYS + 1)
    client.get(path)
    page = client.get(f"/tilmelding/evaluering/{pk}/")
    assert 'data-evaluation="closed"' in page.content.decode()
    response = client.post(f"/tilmelding/evaluering/{pk}/", post_data(good_answers(ended)))
    assert response.status_code == 400
    assert "Evalueringen er lukket" in response.content.decode()
    assert not EvaluationResponse.objects.exists()


def test_the_form_is_in_english_for_english_visitors(client, ended, invited):
    path, pk, _token = invited["deltager1@example.org"]
    client.get(path)
    text = client.get(f"/en/tilmelding/evaluering/{pk}/").content.decode()
    assert "Send answers" in text and "Send svar" not in text
    assert "Your answers are anonymous" in text


# --- Erasure and retention -----------------------------------------------------------------------------------------


def test_erasure_ends_the_link_and_the_response_stays(client, ended, invited):
    path, pk, token = invited["deltager1@example.org"]
    evaluation_answer(invitation=EvaluationInvitation.objects.get(pk=pk), token=token, answers=good_answers(ended))
    person_erase(email="deltager1@example.org", actor=Actor.system())
    assert EvaluationInvitation.objects.get(pk=pk).token_hash == ""
    assert EvaluationResponse.objects.count() == 1
    assert client.get(path).status_code == 404


def test_anonymisation_after_the_retention_keeps_the_responses(ended, invited, settings):
    path, pk, token = invited["deltager1@example.org"]
    evaluation_answer(invitation=EvaluationInvitation.objects.get(pk=pk), token=token, answers=good_answers(ended))
    end_offering(ended, days_ago=31 * (settings.REGISTRATION_RETENTION_MONTHS + 1))
    assert registrations_anonymise_expired() == 1
    assert not EvaluationInvitation.objects.exclude(token_hash="").exists()
    assert EvaluationResponse.objects.count() == 1
