"""Evaluation results across an initiative: each evaluation sent (an offering's, or a course day's own) with its
response rate and scale means, and the questions asked in more than one of them pooled.

Questions are the same when their type and their text are (case, spaces and line breaks aside): block ids differ
between offerings, and a copied offering keeps the wording. Only evaluations that themselves reached
EVALUATION_MIN_RESPONSES are pooled (the pool could otherwise be subtracted from the shown ones), and a pooled figure
is shown from that many answers too. Reads only: a fixed number of queries, whatever the initiative holds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict

from django.db.models import Count

from events.models import CourseSession
from network.models import InitiativePage, OfferingPage

from .evaluation_models import EvaluationInvitation, EvaluationResponse
from .evaluations import EvaluationResults, Question, QuestionResult, evaluation_questions, results_of


def question_key(question: Question) -> tuple[str, str]:
    return question.kind, " ".join(question.text.split()).casefold()


@dataclasses.dataclass
class EvaluationUnit:
    """One evaluation sent: an offering's (session None) or one of its course days'."""

    offering: OfferingPage
    session: CourseSession | None
    results: EvaluationResults

    @property
    def label(self) -> str:
        return f"{self.offering.title}: {self.session.title}" if self.session else self.offering.title

    @property
    def date(self) -> dt.date:
        return self.session.date if self.session else self.offering.start.date()

    def mean_of(self, key: tuple[str, str]) -> float | None:
        for result in self.results.questions:
            if question_key(result.question) == key:
                return result.mean
        return None

    @property
    def means(self) -> list[tuple[str, float | None]]:
        return [(r.question.text, r.mean) for r in self.results.questions if r.question.kind == "scale"]


@dataclasses.dataclass
class PooledQuestion:
    key: tuple[str, str]
    result: QuestionResult  # its question is the first evaluation's wording
    evaluations: int  # how many evaluations it pools
    shown: bool


@dataclasses.dataclass
class InitiativeEvaluation:
    units: list[EvaluationUnit]
    pooled: list[PooledQuestion]

    @property
    def scale_keys(self) -> list[tuple[tuple[str, str], str]]:
        """Every scale question shown in some evaluation, once: (key, its first wording), for the export's columns."""
        seen: dict[tuple[str, str], str] = {}
        for unit in self.units:
            for result in unit.results.questions:
                if result.question.kind == "scale":
                    seen.setdefault(question_key(result.question), result.question.text)
        return list(seen.items())


def initiative_evaluation_results(*, initiative: InitiativePage, minimum: int) -> InitiativeEvaluation:
    """The evaluations of the initiative's offerings that have been sent (someone was invited), oldest first."""
    inside = {"offering__path__startswith": initiative.path, "offering__depth__gt": initiative.depth}
    invited = {
        (row["offering_id"], row["session_id"]): row["n"]
        for row in EvaluationInvitation.objects.filter(**inside)
        .values("offering_id", "session_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    answers: dict[tuple[int, int | None], list[dict]] = defaultdict(list)
    for offering_id, session_id, given in (
        EvaluationResponse.objects.filter(**inside).order_by("pk").values_list("offering_id", "session_id", "answers")
    ):
        answers[(offering_id, session_id)].append(given)
    keys = set(invited) | set(answers)
    offerings = OfferingPage.objects.in_bulk({offering_id for offering_id, _ in keys})
    sessions = CourseSession.objects.in_bulk({session_id for _, session_id in keys if session_id})
    units = []
    for offering_id, session_id in keys:
        offering, session = offerings.get(offering_id), sessions.get(session_id)
        if offering is None or (session_id and session is None):
            continue
        questions = evaluation_questions(offering, session)
        given = answers.get((offering_id, session_id), [])
        results = results_of(questions, given, invited=invited.get((offering_id, session_id), 0), minimum=minimum)
        units.append(EvaluationUnit(offering=offering, session=session, results=results))
    units.sort(key=lambda unit: (unit.date, unit.label, unit.offering.pk))
    return InitiativeEvaluation(units=units, pooled=_pooled(units, minimum))


def _pooled(units: list[EvaluationUnit], minimum: int) -> list[PooledQuestion]:
    """The scale and choice questions asked in two or more shown evaluations, their answers taken together."""
    questions: dict[tuple[str, str], Question] = {}
    given: dict[tuple[str, str], list[dict]] = defaultdict(list)
    counted: dict[tuple[str, str], int] = defaultdict(int)
    for unit in units:
        if not unit.results.shown:
            continue
        for result in unit.results.questions:
            question = result.question
            if question.kind == "text":
                continue  # free texts are read on each evaluation's own page
            key = question_key(question)
            first = questions.setdefault(key, question)
            counted[key] += 1
            # Under the first wording's id, so results_of reads every evaluation's answers as one question's.
            given[key].extend({first.id: a[question.id]} for a in unit.results.answers if question.id in a)
    pooled = []
    for key, question in questions.items():
        if counted[key] < 2:
            continue
        # A choice renamed in one offering shows as a choice of its own, after the first wording's.
        together = results_of([question], given[key], invited=0, minimum=0).questions[0]
        pooled.append(
            PooledQuestion(key=key, result=together, evaluations=counted[key], shown=together.answered >= minimum)
        )
    return pooled
