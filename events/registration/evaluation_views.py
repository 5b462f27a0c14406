"""The public evaluation form behind the link in the e-mail sent when an offering has ended (evaluations.py).

As with the manage link, the token in the query string goes into the session and the view redirects to the address
without it. The session keeps the token itself (not only the access): it is what finds the participant's own
response again (its receipt hash), since nothing else links a response to them.
"""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from network.blocks import SCALE

from . import confirmation
from .errors import RegistrationError
from .evaluation_models import EvaluationInvitation, EvaluationResponse, receipt_hash
from .evaluations import (
    EvaluationAnswerError,
    evaluation_answer,
    evaluation_questions,
    is_open,
)
from .views import _link_invalid, _private

SESSION_KEY = "evaluation_access"
ANSWERED_KEY = "evaluation_answered"


def _invitation(invitation_id: int) -> EvaluationInvitation | None:
    return (
        EvaluationInvitation.objects.select_related("offering", "session")
        .filter(pk=invitation_id, participant__anonymised_at__isnull=True)
        .exclude(token_hash="")
        .first()
    )


def _session_token(request, invitation_id: int) -> str:
    return request.session.get(SESSION_KEY, {}).get(str(invitation_id), "")


def _remember(request, invitation: EvaluationInvitation, token: str) -> None:
    kept = {key: value for key, value in request.session.get(SESSION_KEY, {}).items() if key != str(invitation.pk)}
    kept[str(invitation.pk)] = token
    request.session[SESSION_KEY] = dict(list(kept.items())[-confirmation.SESSION_LIMIT :])


def _form_rows(questions, submitted: dict, errors: dict) -> list[dict]:
    """What the form shows per question: its field's name, the value sent (kept after an error) and its error."""
    return [
        {
            "question": question,
            "name": f"q-{question.id}",
            "value": submitted.get(question.id, ""),
            "error": errors.get(question.id, ""),
            "scale": [str(n) for n in SCALE],
        }
        for question in questions
    ]


def _answered_rows(questions, answers: dict) -> list[tuple[str, object]]:
    return [(question.text, answers.get(question.id, "")) for question in questions]


@never_cache
@require_http_methods(["GET", "POST"])
def evaluation(request, invitation_id: int):
    if confirmation.TOKEN_PARAMETER in request.GET:
        invitation = _invitation(invitation_id)
        token = request.GET[confirmation.TOKEN_PARAMETER]
        if invitation is None or not invitation.token_matches(token):
            return _link_invalid(request)
        _remember(request, invitation, token)
        return _private(redirect(reverse("registration_evaluation", args=[invitation.pk])))
    invitation = _invitation(invitation_id)
    token = _session_token(request, invitation_id)
    if invitation is None or not invitation.token_matches(token):
        return _link_invalid(request)
    offering, session = invitation.offering, invitation.session
    questions = evaluation_questions(offering, session)
    # What is evaluated, as the pages name it: the offering, or "its day, the offering".
    evaluated = f"{session.title}, {offering.title}" if session is not None else offering.title
    context = {"offering": offering, "session": session, "evaluated": evaluated, "questions": questions}
    if request.method == "POST" and invitation.answered_at is not None:
        return redirect(request.path)  # a second tab: the page says they have answered, and shows what
    if request.method == "POST":
        submitted = {question.id: request.POST.get(f"q-{question.id}", "") for question in questions}
        try:
            evaluation_answer(invitation=invitation, token=token, answers=submitted, now=timezone.now())
        except EvaluationAnswerError as error:
            context |= {"rows": _form_rows(questions, submitted, error.errors), "errors": error.errors}
            return _private(render(request, "registration/evaluation.html", context, status=400))
        except RegistrationError as error:
            if error.code != "answered":
                context["error"] = error.message
                return _private(render(request, "registration/evaluation_closed.html", context, status=400))
        else:
            request.session[ANSWERED_KEY] = invitation.pk
        return redirect(request.path)
    if invitation.answered_at is not None:
        response = EvaluationResponse.objects.filter(receipt_hash=receipt_hash(token)).first()
        context |= {
            "just_answered": request.session.pop(ANSWERED_KEY, None) == invitation.pk,
            "answered": _answered_rows(questions, response.answers if response else {}),
        }
        return _private(render(request, "registration/evaluation_answered.html", context))
    if not is_open(offering, timezone.now(), session):
        return _private(render(request, "registration/evaluation_closed.html", context))
    return _private(render(request, "registration/evaluation.html", context | {"rows": _form_rows(questions, {}, {})}))
