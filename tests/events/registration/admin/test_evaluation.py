"""The evaluation results in the admin: for the offering's coordinators, nothing per person, hidden below five."""

from __future__ import annotations

import csv
import io

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from events.registration.evaluation_models import EvaluationInvitation
from events.registration.evaluations import evaluation_answer, evaluations_invite_due
from tests.events.factories import EventPageFactory

from ..conftest import people, register
from ..test_evaluations import QUESTIONS, end_offering, good_answers, links
from .conftest import denied

pytestmark = pytest.mark.django_db

ANSWERS = [
    ("5", "Kollega", "Mere læselyst"),
    ("4", "Kollega", ""),
    ("4", "Nyhedsbrev", "=SUM(A1)"),
    ("2", "Kollega", ""),
]


@pytest.fixture
def evaluated(organisation, library, django_capture_on_commit_callbacks):
    """An ended event of the coordinator's section: seven invited participants, none has answered yet."""
    offering = EventPageFactory(
        parent=organisation, title="Temadag om evaluering", registration_enabled=True, evaluation=QUESTIONS
    )
    with django_capture_on_commit_callbacks(execute=True):
        register(offering, library, people(7))
    end_offering(offering)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        evaluations_invite_due(now=timezone.now())
    return offering


def answer(offering, n: int, extra=("1", "Nyhedsbrev", "")) -> None:
    """The first `n` invited participants answer (ANSWERS in turn, then `extra`)."""
    sent = sorted(links().values(), key=lambda link: link[1])
    for i, (_path, pk, token) in enumerate(sent[:n]):
        scale, choice, text = ANSWERS[i] if i < len(ANSWERS) else extra
        evaluation_answer(
            invitation=EvaluationInvitation.objects.get(pk=pk),
            token=token,
            answers=good_answers(offering, scale=scale, choice=choice, text=text),
        )


def results_url(offering) -> str:
    return reverse("registration_admin:evaluation", args=[offering.pk])


def csv_url(offering) -> str:
    return reverse("registration_admin:evaluation_csv", args=[offering.pk])


def test_below_five_answers_only_the_counts_are_shown(coordinator_client, evaluated):
    answer(evaluated, 4)
    response = coordinator_client.get(results_url(evaluated))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-count="invited">7<' in text and 'data-count="responded">4<' in text
    assert 'data-results="hidden"' in text
    assert "Gennemsnit" not in text and "Mere læselyst" not in text and "Nyhedsbrev" not in text
    export = coordinator_client.get(csv_url(evaluated))
    assert export.status_code == 302 and export["Location"] == results_url(evaluated)


def test_from_five_answers_the_distribution_mean_choices_and_texts_are_shown_and_no_person(
    coordinator_client, evaluated
):
    answer(evaluated, 5)
    response = coordinator_client.get(results_url(evaluated))
    text = response.content.decode()
    assert 'data-count="rate">71 %<' in text  # 5 of 7
    assert "Gennemsnit: 3,2" in text  # (5 + 4 + 4 + 2 + 1) / 5
    scale = text[text.index('data-question="scale"') : text.index('data-question="choice"')]
    assert "<svg" in scale  # the chart, with the table of the same numbers
    counts = [
        (row.split("</th><td>")[0], row.split("</th><td>")[1].split("<")[0])
        for row in scale.split('<tr><th scope="row">')[1:]
    ]
    assert counts == [("1 (Slet ikke)", "1"), ("2", "1"), ("3", "0"), ("4", "2"), ("5 (Meget)", "1")]
    choice = text[text.index('data-question="choice"') : text.index('data-question="text"')]
    assert '<th scope="row">Nyhedsbrev</th><td>2</td>' in choice and '<th scope="row">Kollega</th><td>3</td>' in choice
    assert "Mere læselyst" in text and "=SUM(A1)" in text
    for i in range(1, 8):  # nobody's name or address, and nothing per response
        assert f"Deltager {i}" not in text and f"deltager{i}@" not in text


def test_the_results_page_costs_the_same_queries_for_more_answers(
    coordinator_client, evaluated, django_assert_num_queries
):
    answer(evaluated, 5)
    coordinator_client.get(results_url(evaluated))
    with django_assert_num_queries(13) as first:  # 12, and the initiative above it (its results' link)
        coordinator_client.get(results_url(evaluated))
    answer_rest = sorted(links().values(), key=lambda link: link[1])[5:]
    for _path, pk, token in answer_rest:
        evaluation_answer(
            invitation=EvaluationInvitation.objects.get(pk=pk), token=token, answers=good_answers(evaluated)
        )
    with django_assert_num_queries(len(first.captured_queries)):
        coordinator_client.get(results_url(evaluated))


def test_the_csv_has_a_row_per_response_and_a_column_per_question(coordinator_client, evaluated):
    answer(evaluated, 5)
    response = coordinator_client.get(csv_url(evaluated))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == ["Hvor nyttig var dagen?", "Hvordan hørte du om den?", "Hvad tager du med hjem?"]
    assert len(rows) == 6
    assert sorted(row[0] for row in rows[1:]) == ["1", "2", "4", "4", "5"]
    assert "'=SUM(A1)" in [row[2] for row in rows[1:]]  # a formula is kept text
    assert not any("deltager" in cell.lower() for row in rows for cell in row)


def test_a_coordinator_of_another_organisation_gets_nothing(stranger_client, evaluated):
    answer(evaluated, 5)
    for url in (results_url(evaluated), csv_url(evaluated)):
        response = stranger_client.get(url)
        assert denied(response) or response.status_code == 404
        assert "Mere læselyst" not in response.content.decode()


def test_the_registrations_screen_links_to_the_results(coordinator_client, evaluated):
    text = coordinator_client.get(reverse("registration_admin:offering", args=[evaluated.pk])).content.decode()
    assert f'href="{results_url(evaluated)}"' in text
