"""An offering's evaluation results for its coordinators, and a course day's own: the response rate, each question's
answers taken together, the free texts, and the responses as CSV and XLSX. Nothing per person: a response holds
none, and below EVALUATION_MIN_RESPONSES only the counts are shown."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from events.models import CourseDayKind, CoursePage, CourseSession
from network.models import InitiativePage

from ..charts import column_chart
from ..evaluations import EvaluationResults, evaluation_questions, evaluation_results
from .base import AdminTemplateView, editable_offering
from .evaluation_export import csv_response, xlsx_response


def scale_charts(results: EvaluationResults) -> None:
    """A column chart beside each scale question's table, as the dashboard draws them."""
    for result in results.questions:
        if result.question.kind == "scale":
            result.chart = column_chart(
                result.counts,
                title=result.question.text,
                description=_("Antal svar for hvert trin fra 1 (%(low)s) til 5 (%(high)s).")
                % {"low": result.question.low_label, "high": result.question.high_label},
            )


class EvaluationResultsView(AdminTemplateView):
    template_name = "registration/admin/evaluation.html"
    header_icon = "list-ul"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.offering = editable_offering(request, kwargs["page_id"])
        self.session = None
        if kwargs.get("session_id"):
            self.session = get_object_or_404(
                CourseSession, pk=kwargs["session_id"], page_id=self.offering.pk, kind=CourseDayKind.COURSE_DAY
            )

    @property
    def evaluated(self) -> str:
        return f"{self.session.title}, {self.offering.title}" if self.session else self.offering.title

    def url(self, name: str) -> str:
        if self.session:
            return reverse(f"registration_admin:evaluation_day{name}", args=[self.offering.pk, self.session.pk])
        return reverse(f"registration_admin:evaluation{name}", args=[self.offering.pk])

    def get_page_title(self):
        return _("Evaluering: %(title)s") % {"title": self.evaluated}

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        trail = [{"url": reverse("registration_admin:offering", args=[self.offering.pk]), "label": self.offering.title}]
        if self.session:
            evaluation = reverse("registration_admin:evaluation", args=[self.offering.pk])
            trail.append({"url": evaluation, "label": _("Evaluering")})
        return [*items[:-1], *trail, items[-1]]

    def results(self) -> EvaluationResults:
        return evaluation_results(
            offering=self.offering,
            questions=evaluation_questions(self.offering, self.session),
            minimum=settings.EVALUATION_MIN_RESPONSES,
            session=self.session,
        )

    def days(self) -> list[tuple[CourseSession, str]]:
        """The course days with an evaluation of their own, each with its results' address (courses only)."""
        if self.session or not issubclass(self.offering.specific_class or object, CoursePage):
            return []
        days = CourseSession.objects.filter(page_id=self.offering.pk, kind=CourseDayKind.COURSE_DAY)
        return [
            (day, reverse("registration_admin:evaluation_day", args=[self.offering.pk, day.pk]))
            for day in days
            if day.evaluation
        ]

    def initiative_url(self) -> str:
        initiative = InitiativePage.objects.ancestor_of(self.offering).first()
        if initiative is None or not initiative.permissions_for_user(self.request.user).can_edit():
            return ""
        return reverse("registration_admin:initiative_evaluation", args=[initiative.pk])

    def get(self, request, page_id: int, session_id: int | None = None):
        results = self.results()
        scale_charts(results)
        return self.render(
            offering=self.offering,
            session=self.session,
            results=results,
            minimum=settings.EVALUATION_MIN_RESPONSES,
            csv_url=self.url("_csv"),
            xlsx_url=self.url("_xlsx"),
            days=self.days(),
            initiative_url=self.initiative_url(),
        )


class EvaluationExportView(EvaluationResultsView):
    """The responses, one row each, a column per question; only once the results are shown."""

    export_format = "csv"

    def get(self, request, page_id: int, session_id: int | None = None):
        results = self.results()
        if not results.shown:
            messages.error(
                request,
                _("Svarene kan hentes, når mindst %(n)d har svaret.") % {"n": settings.EVALUATION_MIN_RESPONSES},
            )
            return redirect(self.url(""))
        questions = [result.question for result in results.questions]
        headings = [question.text for question in questions]
        rows = [[answers.get(question.id, "") for question in questions] for answers in results.answers]
        filename = f"evaluering-{self.offering.slug}" + (f"-{self.session.date:%Y-%m-%d}" if self.session else "")
        if self.export_format == "xlsx":
            return xlsx_response(sheet_title=_("Evaluering"), headings=headings, rows=rows, filename=filename)
        return csv_response(headings=headings, rows=rows, filename=filename)


class EvaluationXlsxView(EvaluationExportView):
    export_format = "xlsx"
