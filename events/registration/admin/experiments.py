"""A course's experiments for its coordinators: the list, a handout to print for the next course day, and each
file. Scoped as every registration view: the offerings whose page the user may edit."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from events.models import CourseDayKind, CoursePage

from ..experiment_views import file_response
from ..experiments import activity_deadlines, course_experiments
from .base import AdminTemplateView, editable_offering


def _course(request, page_id: int) -> CoursePage:
    offering = editable_offering(request, page_id).specific
    if not isinstance(offering, CoursePage):
        raise Http404(_("Eksperimenter hører til kurser."))
    return offering


def _activity_id(request) -> int | None:
    """The activity picked with ?aktivitet=<id>; anything else is every activity."""
    value = request.GET.get("aktivitet", "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def _by_activity(course: CoursePage, experiments) -> list[tuple]:
    """(activity, its deadline, its experiments) in the course's order; those whose activity was removed last."""
    activities = [step for step in course.sessions.all() if step.kind == CourseDayKind.ACTIVITY]
    deadlines = activity_deadlines(course=course)
    groups = [(a, deadlines.get(a.pk), [e for e in experiments if e.activity_id == a.pk]) for a in activities]
    orphans = [e for e in experiments if e.activity_id is None]
    if orphans:
        groups.append((None, None, orphans))
    return groups


class ExperimentListView(AdminTemplateView):
    """Every experiment of a course, by activity, with its author, library, team and file."""

    template_name = "registration/admin/experiments.html"
    header_icon = "doc-full"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.course = _course(request, kwargs["page_id"])

    def get_page_title(self):
        return _("Eksperimenter: %(title)s") % {"title": self.course.title}

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        url = reverse("registration_admin:offering", args=[self.course.pk])
        return [*items[:-1], {"url": url, "label": self.course.title}, items[-1]]

    def get(self, request, page_id: int):
        experiments = course_experiments(course=self.course)
        return self.render(course=self.course, groups=_by_activity(self.course, experiments), count=len(experiments))


class ExperimentPrintView(View):
    """The handout for the next course day: one section per experiment, names and library, on A4."""

    def get(self, request, page_id: int):
        course = _course(request, page_id)
        activity_id = _activity_id(request)
        experiments = course_experiments(course=course, activity_id=activity_id)
        groups = [group for group in _by_activity(course, experiments) if group[2]]
        return render(request, "registration/admin/experiments_print.html", {"course": course, "groups": groups})


class ExperimentFileView(View):
    def get(self, request, page_id: int, experiment_id: int):
        course = _course(request, page_id)
        experiment = course.experiments.filter(pk=experiment_id).first()
        if experiment is None or not experiment.file:
            raise Http404(_("Filen findes ikke."))
        return file_response(experiment)
