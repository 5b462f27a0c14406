"""An offering's evaluation results for its coordinators: the response rate, each question's answers taken together,
the free texts, and a CSV of the responses. Nothing per person: a response holds none, and below
EVALUATION_MIN_RESPONSES only the counts are shown."""

from __future__ import annotations

import csv

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ..charts import column_chart
from ..evaluations import evaluation_questions, evaluation_results
from .base import AdminTemplateView, editable_offering
from .offering import csv_safe
from .spreadsheet import BOM, CSV_DELIMITER


class EvaluationResultsView(AdminTemplateView):
    template_name = "registration/admin/evaluation.html"
    header_icon = "list-ul"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.offering = editable_offering(request, kwargs["page_id"])

    def get_page_title(self):
        return _("Evaluering: %(title)s") % {"title": self.offering.title}

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        url = reverse("registration_admin:offering", args=[self.offering.pk])
        return [*items[:-1], {"url": url, "label": self.offering.title}, items[-1]]

    def results(self):
        return evaluation_results(
            offering=self.offering,
            questions=evaluation_questions(self.offering),
            minimum=settings.EVALUATION_MIN_RESPONSES,
        )

    def get(self, request, page_id: int):
        results = self.results()
        for result in results.questions:
            if result.question.kind == "scale":
                result.chart = column_chart(
                    result.counts,
                    title=result.question.text,
                    description=_("Antal svar for hvert trin fra 1 (%(low)s) til 5 (%(high)s).")
                    % {"low": result.question.low_label, "high": result.question.high_label},
                )
        return self.render(
            offering=self.offering,
            results=results,
            minimum=settings.EVALUATION_MIN_RESPONSES,
            csv_url=reverse("registration_admin:evaluation_csv", args=[self.offering.pk]),
        )


class EvaluationExportView(EvaluationResultsView):
    """The responses, one row each, a column per question; only once the results are shown."""

    def get(self, request, page_id: int):
        results = self.results()
        if not results.shown:
            messages.error(
                request,
                _("Svarene kan hentes, når mindst %(n)d har svaret.") % {"n": settings.EVALUATION_MIN_RESPONSES},
            )
            return redirect("registration_admin:evaluation", page_id=self.offering.pk)
        questions = [result.question for result in results.questions]
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="evaluering-{self.offering.slug}.csv"'
        response.write(BOM)
        writer = csv.writer(response, delimiter=CSV_DELIMITER)
        writer.writerow([csv_safe(question.text) for question in questions])
        for answers in results.answers:
            writer.writerow([csv_safe(answers.get(question.id, "")) for question in questions])
        return response
