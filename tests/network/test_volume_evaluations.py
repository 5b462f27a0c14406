"""The volume's evaluation answers: the same for a seed, once per course, added to a volume built before them."""

from __future__ import annotations

from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from events.registration.evaluation_models import EvaluationInvitation, EvaluationResponse
from events.registration.evaluations import evaluation_questions, evaluation_results
from events.registration.models import Participant, ParticipantStatus
from network.demo.volume import ParticipantGenerator, VolumeGenerator
from network.demo.volume_evaluations import EVALUATED_COURSES, courses, evaluations_generate
from network.models import OfferingPage
from tests.network.factories import ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def volume():
    for name in ("Verdensmål", "Ledelse", "Formidling"):
        ThemeFactory(name=name)
    VolumeGenerator(seed=1).generate(120)
    ParticipantGenerator(seed=1).generate(300)


def test_each_evaluated_course_gets_an_invitation_per_confirmed_participant_and_answers_once(volume):
    evaluated = courses()
    assert 1 < len(evaluated) <= EVALUATED_COURSES
    made = evaluations_generate(seed=1)
    assert made == EvaluationResponse.objects.count() > 0
    for course_id in evaluated:
        confirmed = Participant.objects.filter(offering_id=course_id, status=ParticipantStatus.CONFIRMED).count()
        invitations = EvaluationInvitation.objects.filter(offering_id=course_id)
        assert invitations.count() == confirmed
        answered = invitations.filter(answered_at__isnull=False).count()
        assert EvaluationResponse.objects.filter(offering_id=course_id).count() == answered
    # The answers fit the course's questions: the results read them as the admin does.
    large = OfferingPage.objects.get(pk=evaluated[0])
    results = evaluation_results(offering=large, questions=evaluation_questions(large), minimum=5)
    assert results.shown and results.questions[0].mean is not None
    assert evaluations_generate(seed=1) == 0  # a second run adds nothing
    assert EvaluationResponse.objects.count() == made


def test_the_same_seed_gives_the_same_answers(volume):
    evaluations_generate(seed=4)
    first = list(EvaluationResponse.objects.order_by("receipt_hash").values_list("offering_id", "answers"))
    EvaluationInvitation.objects.all().delete()
    EvaluationResponse.objects.all().delete()
    evaluations_generate(seed=4)
    assert list(EvaluationResponse.objects.order_by("receipt_hash").values_list("offering_id", "answers")) == first


def test_the_command_adds_the_answers_and_needs_a_volume(volume):
    out = StringIO()
    call_command("generate_volume", "--evaluations", stdout=out)
    assert f"Made {EvaluationResponse.objects.count()} evaluation answers." in out.getvalue()


def test_evaluations_without_a_volume_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No volume offerings"):
        call_command("generate_volume", "--evaluations", stdout=StringIO())
