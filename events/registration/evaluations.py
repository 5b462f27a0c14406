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
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import CourseDayKind, CourseSession
from network.blocks import SCALE
from network.models import OfferingPage, Status

from . import emails
from .errors import RegistrationError
from .evaluation_models import EvaluationInvitation, EvaluationResponse, receipt_hash
from .models import ContactStatus, Participant, ParticipantStatus, SessionAttendance

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


def evaluation_questions(offering: OfferingPage, session: CourseSession | None = None) -> list[Question]:
    """The questions of the offering's evaluation, or of its course day `session`'s own."""
    questions = []
    for child in (session if session is not None else offering).evaluation or []:
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


def opens_at(offering: OfferingPage, session: CourseSession | None = None) -> dt.datetime | None:
    """When the evaluation opens: when the offering ends, or its course day (None: a day without an end time)."""
    return session.ends_at() if session is not None else offering.end


def closes_at(offering: OfferingPage, session: CourseSession | None = None) -> dt.datetime | None:
    start = opens_at(offering, session)
    return start + dt.timedelta(days=settings.EVALUATION_OPEN_DAYS) if start else None


def is_open(offering: OfferingPage, now: dt.datetime, session: CourseSession | None = None) -> bool:
    start = opens_at(offering, session)
    return start is not None and start <= now < closes_at(offering, session)


# --- Invitations and the reminder ----------------------------------------------------------------------------------


def evaluations_invite_due(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Invite each confirmed participant of the offerings that have ended (and whose evaluation is still open and has
    questions) once, and remind once whoever has not answered EVALUATION_REMINDER_DAYS later.
    Returns (invitations sent, reminders sent)."""
    now = now or timezone.now()
    return _invite(now) + _invite_days(now), _remind(now)


def _invite(now: dt.datetime) -> int:
    opened_since = now - dt.timedelta(days=settings.EVALUATION_OPEN_DAYS)
    offerings = OfferingPage.objects.live().filter(end__lte=now, end__gt=opened_since).exclude(status=Status.CANCELLED)
    count = 0
    for offering in offerings.filter(registration_enabled=True).order_by("end", "pk"):
        if not offering.evaluation:
            continue
        invited = EvaluationInvitation.objects.filter(
            participant=OuterRef("pk"), offering=offering, session__isnull=True
        )
        for participant in _confirmed(offering).exclude(Exists(invited)):
            count += _invite_one(participant, offering, now)
    return count


def _confirmed(offering: OfferingPage):
    return (
        Participant.objects.filter(
            offering=offering,
            status=ParticipantStatus.CONFIRMED,
            anonymised_at__isnull=True,
            registration__contact_status=ContactStatus.CONFIRMED,
        )
        .exclude(email="")
        .select_related("registration__offering", "registration__library")
    )


def _invite_days(now: dt.datetime) -> int:
    """The course days with their own evaluation that have ended and are still open: each confirmed participant of
    the course once, and where attendance was recorded for the day, only those who took part."""
    since = timezone.localdate(now) - dt.timedelta(days=settings.EVALUATION_OPEN_DAYS + 1)
    days = (
        CourseSession.objects.filter(
            kind=CourseDayKind.COURSE_DAY,
            date__gte=since,
            date__lte=timezone.localdate(now),
            page__live=True,
            page__registration_enabled=True,
        )
        .exclude(page__status=Status.CANCELLED)
        .select_related("page")
        .order_by("date", "end_time", "pk")
    )
    count = 0
    for session in days:
        if not session.evaluation or not is_open(session.page, now, session):
            continue
        invited = EvaluationInvitation.objects.filter(participant=OuterRef("pk"), session=session)
        due = _confirmed(session.page).exclude(Exists(invited))
        if SessionAttendance.objects.filter(session=session).exists():
            due = due.filter(attendance__session=session, attendance__attended=True)
        for participant in due:
            count += _invite_one(participant, session.page, now, session=session)
    return count


def _invite_one(
    participant: Participant, offering: OfferingPage, now: dt.datetime, session: CourseSession | None = None
) -> int:
    invitation = EvaluationInvitation(participant=participant, offering=offering, session=session, sent_at=now)
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
        participant__anonymised_at__isnull=True,
    ).exclude(token_hash="")
    opened_since = now - dt.timedelta(days=settings.EVALUATION_OPEN_DAYS)
    # A day's evaluation closes after its own day: the date narrows in the database, the end time decides below.
    due = due.filter(
        Q(session__isnull=True, offering__end__gt=opened_since)
        | Q(session__isnull=False, session__date__gte=timezone.localdate(opened_since) - dt.timedelta(days=1))
    )
    related = ("participant__registration__offering", "participant__registration__library", "offering", "session")
    count = 0
    for invitation in due.select_related(*related):
        if invitation.session_id and not is_open(invitation.offering, now, invitation.session):
            continue
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
    offering, session = invitation.offering, invitation.session
    if not is_open(offering, now, session):
        raise RegistrationError(_("Evalueringen er lukket. Tak for din interesse."), "closed")
    cleaned = answers_clean(evaluation_questions(offering, session), answers)
    with transaction.atomic():
        # The condition makes the second of two answers (two tabs, a double click) change nothing.
        if not EvaluationInvitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(answered_at=now):
            raise RegistrationError(_("Du har allerede svaret på evalueringen."), "answered")
        response = EvaluationResponse.objects.create(
            offering_id=offering.pk,
            session_id=invitation.session_id,
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


def evaluation_results(
    *, offering: OfferingPage, questions: list[Question], minimum: int, session: CourseSession | None = None
) -> EvaluationResults:
    """An offering's evaluation answers taken together (or its course day `session`'s), per question of its
    evaluation as it is now (the answers to a question removed since are left out); nothing but the counts below
    `minimum` responses."""
    unit = {"session": session} if session is not None else {"session__isnull": True}
    invited = EvaluationInvitation.objects.filter(offering=offering, **unit).count()
    responses = EvaluationResponse.objects.filter(offering=offering, **unit).order_by("pk")
    answers = list(responses.values_list("answers", flat=True))
    return results_of(questions, answers, invited=invited, minimum=minimum)


def results_of(questions: list[Question], answers: list[dict], *, invited: int, minimum: int) -> EvaluationResults:
    """The answers (dicts by question id) taken together per question; only the counts below `minimum`."""
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
