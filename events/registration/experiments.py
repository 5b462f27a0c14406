"""The experiment between course days: the rules for writing one (`experiment_save`), what a participant's own page
and a coordinator's list show of them, and their erasure with the person.

A course's step of kind "aktivitet" asks for an experiment. A confirmed participant writes one per activity, alone
or naming colleagues from the same library on the course as the team; it can be changed until the next course day
starts (the course's end, when no day follows), then it is read-only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import CourseDayKind, CoursePage, CourseSession

from .errors import RegistrationError
from .experiment_files import display_name, file_check
from .experiment_models import LEARNED_MAX, TRIED_MAX, WITH_WHOM_MAX, Experiment
from .models import Participant, ParticipantStatus


def activity_deadlines(*, course: CoursePage, steps: list[CourseSession] | None = None) -> dict[int, dt.datetime]:
    """activity pk → when its experiments close: the start of the next course day in the course's order (of the
    first one dated after the activity), or the course's end when no course day follows."""
    steps = list(course.sessions.all()) if steps is None else steps
    deadlines = {}
    for index, step in enumerate(steps):
        if step.kind != CourseDayKind.ACTIVITY:
            continue
        later = [s for s in steps[index + 1 :] if s.kind == CourseDayKind.COURSE_DAY and s.date >= step.date]
        deadlines[step.pk] = later[0].starts_at() if later and later[0].starts_at() else course.end
    return deadlines


def team_candidates(*, participant: Participant) -> QuerySet[Participant]:
    """Who may be named on the participant's team: the other confirmed participants of the course from the same
    library (on any of its registrations)."""
    return (
        Participant.objects.filter(
            offering_id=participant.offering_id,
            registration__library_id=participant.registration.library_id,
            status=ParticipantStatus.CONFIRMED,
            anonymised_at__isnull=True,
        )
        .exclude(pk=participant.pk)
        .order_by("name", "pk")
    )


def _experiments_of(activity_id: int) -> QuerySet[Experiment]:
    return Experiment.objects.filter(activity_id=activity_id).select_related("author__registration__library")


def experiment_of(*, participant: Participant, activity_id: int) -> Experiment | None:
    """The experiment the participant wrote for the activity, or None."""
    return Experiment.objects.filter(author=participant, activity_id=activity_id).prefetch_related("team").first()


def _check_may_write(participant: Participant, activity: CourseSession | None, now: dt.datetime) -> dt.datetime:
    if (
        activity is None
        or activity.page_id != participant.offering_id
        or activity.kind != CourseDayKind.ACTIVITY
        or participant.status != ParticipantStatus.CONFIRMED
        or participant.is_anonymised
    ):
        raise RegistrationError(_("Du kan ikke skrive et eksperiment her."), "experiment_not_allowed")
    deadline = activity_deadlines(course=activity.page)[activity.pk]
    if now >= deadline:
        raise RegistrationError(
            _("Eksperimentet kan ikke længere ændres: den næste kursusgang er begyndt."), "experiment_closed"
        )
    if Experiment.objects.filter(activity=activity, team=participant).exclude(author=participant).exists():
        raise RegistrationError(
            _("En kollega har allerede skrevet jeres eksperiment med dig på holdet."), "experiment_on_team"
        )
    return deadline


def _team(participant: Participant, activity: CourseSession, team_ids: list[int]) -> list[Participant]:
    team = list(team_candidates(participant=participant).filter(pk__in=team_ids))
    if len(team) != len(set(team_ids)):
        raise RegistrationError(
            _("Holdet kan kun bestå af kolleger fra dit bibliotek, der har plads på kurset."), "experiment_team"
        )
    taken = Experiment.objects.filter(activity=activity).exclude(author=participant)
    busy = [p for p in team if taken.filter(Q(author=p) | Q(team=p)).exists()]
    if busy:
        names = ", ".join(p.name for p in busy)
        raise RegistrationError(
            _("%(names)s har allerede et eksperiment til denne aktivitet.") % {"names": names},
            "experiment_team_taken",
        )
    return team


@dataclasses.dataclass(frozen=True)
class ExperimentText:
    tried: str
    with_whom: str = ""
    learned: str = ""


def _check_text(text: ExperimentText) -> None:
    if not text.tried.strip():
        raise RegistrationError(_("Skriv, hvad I prøvede."), "experiment_tried_missing")
    for value, limit in ((text.tried, TRIED_MAX), (text.with_whom, WITH_WHOM_MAX), (text.learned, LEARNED_MAX)):
        if len(value) > limit:
            raise RegistrationError(
                _("Teksten er for lang: højst %(limit)d tegn.") % {"limit": limit}, "experiment_text_too_long"
            )


def experiment_save(
    *,
    participant: Participant,
    activity: CourseSession | None,
    text: ExperimentText,
    team_ids: list[int] | None = None,
    upload=None,
    remove_file: bool = False,
    now: dt.datetime | None = None,
) -> Experiment:
    """Write or change the participant's experiment for the activity. Every check comes first: a refusal is a
    Danish RegistrationError, and then nothing is stored (neither the text nor the file)."""
    now = now or timezone.now()
    _check_may_write(participant, activity, now)
    _check_text(text)
    team = _team(participant, activity, team_ids or [])
    content_type = file_check(upload) if upload is not None else ""
    storage = Experiment.file.field.storage
    new_file = ""
    try:
        with transaction.atomic():
            experiment = Experiment.objects.select_for_update().filter(author=participant, activity=activity).first()
            if experiment is None:
                experiment = Experiment(offering_id=participant.offering_id, activity=activity, author=participant)
            old_file = experiment.file.name if experiment.file and (upload is not None or remove_file) else ""
            experiment.tried = text.tried.strip()
            experiment.with_whom = text.with_whom.strip()
            experiment.learned = text.learned.strip()
            experiment.updated_at = now
            if upload is not None:
                experiment.file.save(upload.name, upload, save=False)
                new_file = experiment.file.name
                experiment.file_name = display_name(upload.name)
                experiment.file_type = content_type
                experiment.file_size = upload.size
            elif remove_file:
                experiment.file = ""
                experiment.file_name = experiment.file_type = ""
                experiment.file_size = None
            experiment.save()
            experiment.team.set(team)
            if old_file:
                transaction.on_commit(lambda: storage.delete(old_file))
    except IntegrityError as error:
        # The same experiment sent twice at once: the second finds the first's row only after its insert fails.
        if new_file:
            storage.delete(new_file)
        raise RegistrationError(
            _("Eksperimentet blev gemt fra et andet vindue. Prøv igen."), "experiment_conflict"
        ) from error
    except Exception:
        if new_file:
            storage.delete(new_file)
        raise
    return experiment


# --- What the own page shows ---------------------------------------------------------------------------------------


@dataclasses.dataclass
class ActivityExperiments:
    """One activity on a participant's own page: their experiment (or their team's), and the others' when shared."""

    activity: CourseSession
    deadline: dt.datetime
    open: bool
    mine: Experiment | None = None
    team_of: Experiment | None = None  # written by a colleague who named this participant on the team
    others: list[Experiment] = dataclasses.field(default_factory=list)
    form: object = None  # the form, while the participant may still write (experiment_forms)
    errors: list = dataclasses.field(default_factory=list)


def own_page_experiments(
    *, participant: Participant, course: CoursePage, steps: list[CourseSession], now: dt.datetime
) -> dict[int, ActivityExperiments]:
    """activity pk → what the participant's own page shows below it (only for confirmed participants)."""
    deadlines = activity_deadlines(course=course, steps=steps)
    if participant.status != ParticipantStatus.CONFIRMED or not deadlines:
        return {}
    result = {
        step.pk: ActivityExperiments(activity=step, deadline=deadlines[step.pk], open=now < deadlines[step.pk])
        for step in steps
        if step.pk in deadlines
    }
    experiments = Experiment.objects.filter(activity_id__in=list(result)).select_related(
        "author__registration__library"
    )
    if not course.experiments_shared:
        experiments = experiments.filter(Q(author=participant) | Q(team=participant)).distinct()
    team_members = Participant.objects.select_related("registration__library").order_by("name", "pk")
    for experiment in experiments.prefetch_related(Prefetch("team", queryset=team_members)).order_by("created_at"):
        entry = result[experiment.activity_id]
        if experiment.author_id == participant.pk:
            entry.mine = experiment
        elif participant in experiment.team.all():
            entry.team_of = experiment
        else:
            entry.others.append(experiment)
    return result


def experiment_readable(*, participant: Participant, experiment_id: int) -> Experiment | None:
    """The experiment whose file the participant may fetch: their own, their team's, or, when the course shares
    them, any of the course's; None otherwise."""
    if participant.status != ParticipantStatus.CONFIRMED:
        return None
    experiment = Experiment.objects.select_related("offering").filter(
        pk=experiment_id, offering_id=participant.offering_id
    )
    experiment = experiment.first()
    if experiment is None:
        return None
    if experiment.author_id == participant.pk or experiment.team.filter(pk=participant.pk).exists():
        return experiment
    course = experiment.offering.specific
    return experiment if getattr(course, "experiments_shared", False) else None


# --- The coordinator's list and handout ----------------------------------------------------------------------------


def course_experiments(*, course: CoursePage, activity_id: int | None = None) -> list[Experiment]:
    """The course's experiments with their authors, libraries, teams and activities, by activity and library."""
    experiments = Experiment.objects.filter(offering=course)
    if activity_id is not None:
        experiments = experiments.filter(activity_id=activity_id)
    team_members = Participant.objects.order_by("name", "pk")
    return list(
        experiments.select_related("author__registration__library", "activity")
        .prefetch_related(Prefetch("team", queryset=team_members))
        .order_by("activity__sort_order", "activity_id", "author__registration__library__name", "created_at")
    )


# --- Personal data -------------------------------------------------------------------------------------------------


def experiments_erase(*, participants: QuerySet[Participant] | list[int]) -> int:
    """The experiments these participants wrote go, with their files (once the transaction commits); where they
    were named on a colleague's team, their name comes off it. Returns the number of experiments removed."""
    written = Experiment.objects.filter(author__in=participants)
    rows = list(written.values_list("pk", "file"))
    Experiment.team.through.objects.filter(participant__in=participants).delete()
    Experiment.objects.filter(pk__in=[pk for pk, _name in rows]).delete()
    files = [name for _pk, name in rows if name]
    storage = Experiment.file.field.storage
    transaction.on_commit(lambda: [storage.delete(name) for name in files])
    return len(rows)


def person_experiments(participants: QuerySet[Participant]) -> list[dict]:
    """The experiments these participants wrote, for a data access request: the texts and the file's name."""
    experiments = Experiment.objects.filter(author__in=participants).select_related("offering", "activity")
    return [
        {
            "tilbud": e.offering.title,
            "aktivitet": e.activity.title if e.activity else "",
            "hvad_proevede_i": e.tried,
            "med_hvem": e.with_whom,
            "hvad_laerte_i": e.learned,
            "fil": e.file_name,
            "aendret": timezone.localtime(e.updated_at).isoformat(),
        }
        for e in experiments.order_by("created_at", "pk")
    ]
