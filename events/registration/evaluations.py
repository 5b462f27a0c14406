"""Evaluations: when an offering ends its confirmed participants get a link by e-mail, one reminder, and answer once.

The answers are anonymous: a response holds the offering, the answers and a receipt hash of the link's token, so the
person with the link can see what they answered and nobody else can tell whose it is. Results are shown only from
EVALUATION_MIN_RESPONSES answers, so no one answer can be picked out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from network.blocks import SCALE
from network.models import OfferingPage, Status

from . import emails
from .errors import RegistrationError
from .evaluation_models import EvaluationInvitation, EvaluationResponse, receipt_hash
from .models import ContactStatus, Participant, ParticipantStatus

TEXT_MAX_LENGTH = 2000


@dataclasses.dataclass(frozen=True)
class Question:
    """One question of an offering's evaluation, read from its block; `id` is the block's id, the answers' key."""

    id: str
    kind: str  # "scale", "choice" or "text"
    text: str
    required: bool
    low_label: str = ""
    high_label: str = ""
    choices: tuple[str, ...] = ()


def evaluation_questions(offering: OfferingPage) -> list[Question]:
    questions = []
    for child in offering.evaluation or []:
        value = child.value
        questions.append(
            Question(
                id=child.id,
                kind=child.block_type,
                text=value["question"],
                required=bool(value.get("required")),
                low_label=value.get("low_label") or "",
                high_label=value.get("high_label") or "",
                choices=tuple(value.get("choices") or ()),
            )
        )
    return questions


def closes_at(offering: OfferingPage) -> dt.datetime:
    return offering.end + dt.timedelta(days=settings.EVALUATION_OPEN_DAYS)


def is_open(offering: OfferingPage, now: dt.datetime) -> bool:
    return offering.end <= now < closes_at(offering)


# --- Invitations and the reminder ----------------------------------------------------------------------------------


def evaluations_invite_due(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Invite each confirmed participant of the offerings that have ended (and whose evaluation is still open and has
    questions) once, and remind once whoever has not answered EVALUATION_REMINDER_DAYS later.
    Returns (invitations sent, reminders sent)."""
    now = now or timezone.now()
    return _invite(now), _remind(now)


def _invite(now: dt.datetime) -> int:
    opened_since = now - dt.timedelta(days=settings.EVALUATION_OPEN_DAYS)
    offerings = OfferingPage.objects.live().filter(end__lte=now, end__gt=opened_since).exclude(status=Status.CANCELLED)
    count = 0
    for offering in offerings.filter(registration_enabled=True).order_by("end", "pk"):
        if not offering.evaluation:
            continue
        due = (
            Participant.objects.filter(
                offering=offering,
                status=ParticipantStatus.CONFIRMED,
                anonymised_at__isnull=True,
                registration__contact_status=ContactStatus.CONFIRMED,
            )
            .exclude(email="")
            .exclude(evaluation_invitations__offering=offering)
            .select_related("registration__offering", "registration__library")
        )
        for participant in due:
            count += _invite_one(participant, offering, now)
    return count


def _invite_one(participant: Participant, offering: OfferingPage, now: dt.datetime) -> int:
    invitation = EvaluationInvitation(participant=participant, offering=offering, sent_at=now)
    token = invitation.set_new_token()
    try:
        with transaction.atomic():
            invitation.save()
            emails.evaluation_invitation(invitation, token)
    except IntegrityError:  # invited meanwhile by another run of the command
        return 0
    return 1


def _remind(now: dt.datetime) -> int:
    due = EvaluationInvitation.objects.filter(
        answered_at__isnull=True,
        reminded_at__isnull=True,
        sent_at__lte=now - dt.timedelta(days=settings.EVALUATION_REMINDER_DAYS),
        offering__end__gt=now - dt.timedelta(days=settings.EVALUATION_OPEN_DAYS),
        participant__anonymised_at__isnull=True,
    ).exclude(token_hash="")
    count = 0
    for invitation in due.select_related("participant__registration__offering", "participant__registration__library"):
        # A new link in the reminder: the token of the first one is not kept anywhere, so it cannot be sent again.
        token = invitation.set_new_token()
        with transaction.atomic():
            claimed = EvaluationInvitation.objects.filter(
                pk=invitation.pk, reminded_at__isnull=True, answered_at__isnull=True
            ).update(reminded_at=now, token_hash=invitation.token_hash)
            if claimed:
                emails.evaluation_reminder(invitation, token)
                count += 1
    return count


# --- Answering -----------------------------------------------------------------------------------------------------


class EvaluationAnswerError(RegistrationError):
    """Answers that break a rule: `errors` holds a Danish message per question id; nothing was saved."""

    def __init__(self, errors: dict[str, str], code: str):
        super().__init__(next(iter(errors.values())), code)
        self.errors = errors


def answers_clean(questions: list[Question], answers: dict) -> dict:
    """The answers as stored (scale as an integer, texts stripped, unanswered left out), or EvaluationAnswerError with
    every question's message. Keys that are no question of the evaluation are dropped."""
    cleaned, errors, codes = {}, {}, []

    def refuse(question: Question, message: str, code: str) -> None:
        errors[question.id] = message
        codes.append(code)

    for question in questions:
        raw = answers.get(question.id)
        value = raw.strip() if isinstance(raw, str) else raw
        if value in (None, ""):
            if question.required:
                refuse(question, _("Besvar spørgsmålet: %(question)s") % {"question": question.text}, "required")
            continue
        if question.kind == "scale":
            number = _scale_value(value)
            if number is None:
                refuse(question, _("Vælg et tal fra 1 til 5: %(question)s") % {"question": question.text}, "scale")
                continue
            cleaned[question.id] = number
        elif question.kind == "choice":
            if value not in question.choices:
                refuse(question, _("Vælg en af svarmulighederne: %(question)s") % {"question": question.text}, "choice")
                continue
            cleaned[question.id] = value
        else:
            if not isinstance(value, str) or len(value) > TEXT_MAX_LENGTH:
                refuse(
                    question,
                    _("Svaret må højst være %(max)d tegn: %(question)s")
                    % {"max": TEXT_MAX_LENGTH, "question": question.text},
                    "text_length",
                )
                continue
            cleaned[question.id] = value
    if errors:
        raise EvaluationAnswerError(errors, codes[0])
    return cleaned


def _scale_value(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        if not value.isdigit():
            return None
        value = int(value)
    return value if isinstance(value, int) and value in SCALE else None


def evaluation_answer(
    *, invitation: EvaluationInvitation, token: str, answers: dict, now: dt.datetime | None = None
) -> EvaluationResponse:
    """Store one anonymous response for the link `token` of `invitation`; once per link, while the evaluation is open.
    Raises RegistrationError (EvaluationAnswerError for the answers) and saves nothing when a rule refuses."""
    now = now or timezone.now()
    if not invitation.token_matches(token):
        raise RegistrationError(
            _("Linket til evalueringen er forkert eller udløbet. Brug linket i den nyeste e-mail."), "link"
        )
    offering = invitation.offering
    if not is_open(offering, now):
        raise RegistrationError(_("Evalueringen er lukket. Tak for din interesse."), "closed")
    cleaned = answers_clean(evaluation_questions(offering), answers)
    with transaction.atomic():
        # The condition makes the second of two answers (two tabs, a double click) change nothing.
        if not EvaluationInvitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(answered_at=now):
            raise RegistrationError(_("Du har allerede svaret på evalueringen."), "answered")
        response = EvaluationResponse.objects.create(
            offering_id=offering.pk,
            answers=cleaned,
            submitted_on=timezone.localdate(now),
            receipt_hash=receipt_hash(token),
        )
    invitation.answered_at = now
    return response


# --- Results (reads, for the admin) ------------------------------------------------------------------------------


@dataclasses.dataclass
class QuestionResult:
    """One question's answers taken together: `counts` per scale step or choice, the mean of a scale, the texts."""

    question: Question
    answered: int = 0
    counts: list[tuple[str, int]] = dataclasses.field(default_factory=list)
    mean: float | None = None
    texts: list[str] = dataclasses.field(default_factory=list)
    chart: object = None  # charts.Chart of a scale, drawn by the admin view


@dataclasses.dataclass
class EvaluationResults:
    invited: int
    responded: int
    shown: bool  # enough answers that none can be picked out (EVALUATION_MIN_RESPONSES)
    questions: list[QuestionResult]
    answers: list[dict]  # every response's answers, for the export; empty unless shown

    @property
    def rate(self) -> float | None:
        return self.responded / self.invited * 100 if self.invited else None


def evaluation_results(*, offering: OfferingPage, questions: list[Question], minimum: int) -> EvaluationResults:
    """An offering's evaluation answers taken together, per question of its evaluation as it is now (the answers to
    a question removed since are left out); nothing but the counts below `minimum` responses."""
    invited = EvaluationInvitation.objects.filter(offering=offering).count()
    responses = EvaluationResponse.objects.filter(offering=offering).order_by("pk")
    answers = list(responses.values_list("answers", flat=True))
    shown = len(answers) >= minimum
    results = []
    for question in questions if shown else []:
        given = [a[question.id] for a in answers if a.get(question.id) not in (None, "")]
        result = QuestionResult(question=question, answered=len(given))
        if question.kind == "scale":
            result.counts = [(str(n), sum(1 for v in given if v == n)) for n in range(1, 6)]
            numbers = [v for v in given if isinstance(v, int)]
            result.mean = sum(numbers) / len(numbers) if numbers else None
        elif question.kind == "choice":
            # The choices as they are now, then any answer to a choice renamed or removed since.
            known = list(question.choices) + sorted({v for v in given if v not in question.choices})
            result.counts = [(choice, sum(1 for v in given if v == choice)) for choice in known]
        else:
            # Sorted, not in the order given: the order would tell who answered when.
            result.texts = sorted(given, key=str.lower)
        results.append(result)
    return EvaluationResults(
        invited=invited, responded=len(answers), shown=shown, questions=results, answers=answers if shown else []
    )
