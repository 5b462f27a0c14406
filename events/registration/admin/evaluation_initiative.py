"""Evaluation results across an initiative, for those who may edit the initiative's page (its coordinators): each
evaluation sent with its response rate and scale means, and the questions asked in several of them pooled
(evaluation_pooled.py says how they are matched); CSV and XLSX of the table."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from network.models import InitiativePage

from ..charts import column_chart
from ..evaluation_pooled import InitiativeEvaluation, initiative_evaluation_results
from .base import AdminTemplateView
from .evaluation_export import csv_response, xlsx_response


class InitiativeEvaluationView(AdminTemplateView):
    template_name = "registration/admin/evaluation_initiative.html"
    header_icon = "list-ul"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.initiative = get_object_or_404(InitiativePage, pk=kwargs["page_id"])
        if not self.initiative.permissions_for_user(request.user).can_edit():
            raise PermissionDenied

    def get_page_title(self):
        return _("Evaluering af indsatsen: %(title)s") % {"title": self.initiative.title}

    def results(self) -> InitiativeEvaluation:
        return initiative_evaluation_results(initiative=self.initiative, minimum=settings.EVALUATION_MIN_RESPONSES)

    def get(self, request, page_id: int):
        results = self.results()
        for pooled in results.pooled:
            question = pooled.result.question
            if pooled.shown and question.kind == "scale":
                pooled.result.chart = column_chart(
                    pooled.result.counts,
                    title=question.text,
                    description=_("Antal svar for hvert trin fra 1 (%(low)s) til 5 (%(high)s), alle tilbud samlet.")
                    % {"low": question.low_label, "high": question.high_label},
                )
        rows = [
            (unit, reverse("registration_admin:evaluation_day", args=[unit.offering.pk, unit.session.pk]))
            if unit.session
            else (unit, reverse("registration_admin:evaluation", args=[unit.offering.pk]))
            for unit in results.units
        ]
        return self.render(
            initiative=self.initiative,
            results=results,
            rows=rows,
            minimum=settings.EVALUATION_MIN_RESPONSES,
            csv_url=reverse("registration_admin:initiative_evaluation_csv", args=[self.initiative.pk]),
            xlsx_url=reverse("registration_admin:initiative_evaluation_xlsx", args=[self.initiative.pk]),
        )


class InitiativeEvaluationExportView(InitiativeEvaluationView):
    """One row per evaluation: its counts, and a column per scale question's mean (empty below the minimum)."""

    export_format = "csv"

    def get(self, request, page_id: int):
        results = self.results()
        scale = results.scale_keys
        headings = [_("Tilbud"), _("Kursusgang"), _("Dato"), _("Inviteret"), _("Har svaret"), _("Svarprocent")]
        headings += [_("Gennemsnit: %(question)s") % {"question": text} for _key, text in scale]
        rows = []
        for unit in results.units:
            figures = unit.results
            rate = round(figures.rate, 1) if figures.rate is not None else ""
            row = [unit.offering.title, unit.session.title if unit.session else "", unit.date, figures.invited]
            row += [figures.responded, rate]
            row += [_rounded(unit.mean_of(key)) for key, _text in scale]
            rows.append(row)
        filename = f"evaluering-{self.initiative.slug}"
        if self.export_format == "xlsx":
            return xlsx_response(sheet_title=_("Evalueringer"), headings=headings, rows=rows, filename=filename)
        return csv_response(headings=headings, rows=rows, filename=filename)


def _rounded(mean: float | None):
    return round(mean, 2) if mean is not None else ""


class InitiativeEvaluationXlsxView(InitiativeEvaluationExportView):
    export_format = "xlsx"
