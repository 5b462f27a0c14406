"""Evaluation answers for the benchmark volume (`generate_volume --evaluations`): the volume's large course and the
next courses of its first section get the same questions, each confirmed participant an invitation, about 60 % an
answer. Deterministic for a seed, written with bulk_create, and idempotent: a course that has invitations is left
as it is, so a volume built before this step gains its answers without a rebuild."""

from __future__ import annotations

import hashlib
import random

from django.db import transaction

from events.models import CoursePage
from events.registration.evaluation_models import EvaluationInvitation, EvaluationResponse
from events.registration.models import Participant, ParticipantStatus
from network.models import InitiativePage, OfferingPage

# The large course and the 19 courses after it in the first section: one initiative's results page pools them all.
EVALUATED_COURSES = 20
ANSWER_SHARE = 0.6
BATCH = 2000
CHOICES = ["Nyhedsbrev", "Kollega", "Leder", "Hjemmesiden"]
QUESTIONS = [
    {"type": "scale", "id": "volumen-skala-1", "value": {"question": "Hvor nyttigt var forløbet for dit arbejde?",
     "low_label": "Slet ikke", "high_label": "I høj grad", "required": True}},
    {"type": "scale", "id": "volumen-skala-2", "value": {"question": "Hvor godt var forløbet tilrettelagt?",
     "low_label": "Dårligt", "high_label": "Godt", "required": True}},
    {"type": "choice", "id": "volumen-valg", "value": {"question": "Hvordan hørte du om forløbet?",
     "choices": CHOICES, "required": False}},
    {"type": "text", "id": "volumen-tekst", "value": {"question": "Hvad tager du med hjem?", "required": False}},
]  # fmt: skip
TEXTS = ["", "", "Nye ideer til formidling", "Et netværk af kolleger", "Mod på at prøve noget nyt"]


def _hash(kind: str, seed: int, number: int) -> str:
    return hashlib.sha256(f"volumen-{kind}:{seed}:{number}".encode()).hexdigest()


def courses() -> list[int]:
    section = InitiativePage.objects.filter(slug__startswith="volumen-").order_by("path").first()
    if section is None:
        raise ValueError("No volume offerings: run generate_volume --offerings first.")
    return list(CoursePage.objects.child_of(section).order_by("path").values_list("pk", flat=True)[:EVALUATED_COURSES])


def evaluations_generate(*, seed: int) -> int:
    """The answers of the volume's evaluated courses that have none yet; returns how many responses were made."""
    rng = random.Random(seed)
    made = 0
    for course_id in courses():
        if EvaluationInvitation.objects.filter(offering_id=course_id).exists():
            continue
        made += _course(course_id, rng, seed)
    return made


def _course(course_id: int, rng: random.Random, seed: int) -> int:
    offering = OfferingPage.objects.get(pk=course_id)
    confirmed = Participant.objects.filter(offering_id=course_id, status=ParticipantStatus.CONFIRMED).order_by("pk")
    made = 0
    with transaction.atomic():
        OfferingPage.objects.filter(pk=course_id).update(evaluation=QUESTIONS)
        ids = list(confirmed.values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            invitations, responses = [], []
            for participant_id in ids[start : start + BATCH]:
                answers = rng.random() < ANSWER_SHARE
                invitations.append(
                    EvaluationInvitation(
                        participant_id=participant_id,
                        offering_id=course_id,
                        token_hash=_hash("link", seed, participant_id),
                        sent_at=offering.end,
                        answered_at=offering.end if answers else None,
                    )
                )
                if answers:
                    responses.append(
                        EvaluationResponse(
                            offering_id=course_id,
                            answers=_answers(rng),
                            submitted_on=offering.end.date(),
                            receipt_hash=_hash("svar", seed, participant_id),
                        )
                    )
            EvaluationInvitation.objects.bulk_create(invitations)
            EvaluationResponse.objects.bulk_create(responses)
            made += len(responses)
    return made


def _answers(rng: random.Random) -> dict:
    # Leaning to the upper half, as course evaluations do.
    answers = {"volumen-skala-1": rng.choice([2, 3, 4, 4, 5, 5]), "volumen-skala-2": rng.choice([3, 4, 4, 5])}
    if rng.random() < 0.8:
        answers["volumen-valg"] = rng.choice(CHOICES)
    if text := rng.choice(TEXTS):
        answers["volumen-tekst"] = text
    return answers
