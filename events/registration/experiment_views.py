"""The experiment on the participant's own page: the form's POST and the file's download, behind the same access
as the page (the own-page link, moved into the session)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from events.models import CourseDayKind, CourseSession

from . import confirmation, own_page
from .errors import RegistrationError
from .experiment_forms import experiment_form, own_page_context
from .experiments import ExperimentText, experiment_readable, experiment_save, own_page_experiments
from .views import _link_invalid, _private

FILE_ERRORS = ("file_too_large", "file_empty", "file_type")


def _participant(request, participant_id: int):
    participant = own_page.participant_by_id(participant_id)
    if participant is None or not confirmation.participant_access_granted(request, participant):
        return None
    return participant


def file_response(experiment) -> FileResponse:
    """The experiment's file as a download (never shown in the browser), under the name it was uploaded with."""
    response = FileResponse(
        experiment.file.open("rb"),
        as_attachment=True,
        filename=experiment.file_name or "fil",
        content_type=experiment.file_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_POST
def experiment_submit(request, participant_id: int, activity_id: int):
    participant = _participant(request, participant_id)
    if participant is None:
        return _link_invalid(request)
    page_url = reverse("registration_participant", args=[participant.pk])
    now = timezone.now()
    context = own_page.participant_page_context(participant=participant, now=now)
    entry = (
        own_page_experiments(participant=participant, course=context["offering"], steps=context["steps"], now=now).get(
            activity_id
        )
        if context["steps"]
        else None
    )
    if entry is None:
        return _link_invalid(request)
    if not entry.open or entry.team_of is not None:
        messages.error(request, _("Eksperimentet kan ikke længere ændres: den næste kursusgang er begyndt."))
        return _private(redirect(page_url))
    form = experiment_form(participant=participant, entry=entry, data=request.POST, files=request.FILES)
    if form.is_valid():
        activity = CourseSession.objects.filter(pk=activity_id, kind=CourseDayKind.ACTIVITY).first()
        data = form.cleaned_data
        try:
            experiment_save(
                participant=participant,
                activity=activity,
                text=ExperimentText(tried=data["tried"], with_whom=data["with_whom"], learned=data["learned"]),
                team_ids=data.get("team") or [],
                upload=data.get("file"),
                remove_file=data.get("remove_file", False),
                now=now,
            )
        except RegistrationError as error:
            form.add_error("file" if error.code in FILE_ERRORS else None, error.message)
        else:
            messages.success(request, _("Dit eksperiment er gemt."))
            return _private(redirect(f"{page_url}#eksperiment-{activity_id}"))
    context = own_page_context(participant=participant, context=context, now=now, bound=(activity_id, form))
    return _private(render(request, "registration/participant.html", context, status=400))


@never_cache
@require_safe
def experiment_file(request, participant_id: int, experiment_id: int):
    participant = _participant(request, participant_id)
    experiment = experiment_readable(participant=participant, experiment_id=experiment_id) if participant else None
    if experiment is None or not experiment.file:
        return _link_invalid(request)
    return _private(file_response(experiment))
