"""The funders' report in the admin: the initiatives a user may report on, and one initiative's report for a period,
printable on A4 and as XLSX. A coordinator reports on the initiatives of their own organisation; the
Persondataansvarlig (and superusers) on every initiative. Only numbers are shown, never a person."""

from __future__ import annotations

import datetime as dt
import tempfile

from django import forms
from django.db.models import Q, QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.permission_policies.pages import PagePermissionPolicy

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from network.models import InitiativePage

from ..funders import FundersReport, funders_report, report_years, year_period
from .base import VIEW_REGISTRATIONS, AdminTemplateView, require_registration_tools
from .spreadsheet import MAX_WIDTH, MIN_WIDTH, XLSX_CONTENT_TYPE

FIRST_YEAR, LAST_YEAR = 1900, 2100
XLSX_DATE_FORMAT = "dd-mm-yyyy"
ROWS_ON_PAGE = 100  # of each detail table on the page


def initiatives_in_scope(user) -> QuerySet[InitiativePage]:
    """Every initiative for the network-wide role; for a coordinator those whose page, or whose coordinating
    organisation's page, they may edit."""
    if user.has_perm(VIEW_REGISTRATIONS):
        return InitiativePage.objects.all()
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "change").values("pk")
    return InitiativePage.objects.filter(Q(pk__in=pages) | Q(organiser__in=pages))


class PeriodForm(forms.Form):
    fra = forms.DateField(
        label=gettext_lazy("Fra"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("Skriv fra-datoen som åååå-mm-dd.")},
    )
    til = forms.DateField(
        label=gettext_lazy("Til og med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("Skriv til-datoen som åååå-mm-dd.")},
    )

    def clean(self):
        data = super().clean()
        for name in ("fra", "til"):
            day = data.get(name)
            if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
                message = _("Vælg en dato mellem år %(first)d og %(last)d.")
                self.add_error(name, message % {"first": FIRST_YEAR, "last": LAST_YEAR})
        if self.errors:
            return data
        # A missing end takes the other end's year (or this year): "fra 2024-03-01" alone reports until 31 Dec 2024.
        year = (data.get("fra") or data.get("til") or timezone.localdate()).year
        data["start"] = data.get("fra") or year_period((data.get("til") or dt.date(year, 1, 1)).year)[0]
        data["end"] = data.get("til") or year_period(year)[1]
        if data["end"] < data["start"]:
            raise forms.ValidationError(_("Til-datoen må ikke ligge før fra-datoen."))
        return data


class FundersIndexView(AdminTemplateView):
    template_name = "registration/admin/funders_index.html"
    page_title = gettext_lazy("Rapport til bevillingsgivere")
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get(self, request):
        require_registration_tools(request)
        initiatives = initiatives_in_scope(request.user).select_related("organiser").order_by("title")
        return self.render(initiatives=initiatives)


class FundersReportView(AdminTemplateView):
    template_name = "registration/admin/funders.html"
    header_icon = "doc-full"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        require_registration_tools(request)
        self.initiative = get_object_or_404(
            initiatives_in_scope(request.user).select_related("organiser"), pk=kwargs["initiative_id"]
        )

    def get_page_title(self):
        return _("Rapport til bevillingsgivere: %(title)s") % {"title": self.initiative.title}

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        url = reverse("registration_admin:funders")
        return [*items[:-1], {"url": url, "label": _("Rapport til bevillingsgivere")}, items[-1]]

    def get(self, request, initiative_id: int):
        form = PeriodForm(request.GET)
        base = reverse("registration_admin:funders_report", args=[self.initiative.pk])
        presets = [(year, f"{base}?fra={year}-01-01&til={year}-12-31") for year in report_years(self.initiative)]
        if not form.is_valid():
            return self.render(initiative=self.initiative, form=form, presets=presets, report=None)
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        report = funders_report(initiative=self.initiative, start=start, end=end)
        if request.GET.get("export") == "xlsx":
            return xlsx_response(report)
        query = f"fra={start.isoformat()}&til={end.isoformat()}"
        return self.render(
            initiative=self.initiative,
            form=form,
            presets=presets,
            report=report,
            xlsx_url=f"{base}?{query}&export=xlsx",
            # The totals are the report; its detail tables stay readable (and the page quick) with the first rows,
            # and the spreadsheet holds them all.
            offerings_shown=report.offerings[:ROWS_ON_PAGE],
            days_shown=report.days[:ROWS_ON_PAGE],
        )


# --- XLSX ----------------------------------------------------------------------------------------------------------


def percent(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def report_sheets(report: FundersReport) -> list[tuple[str, list[str], list[list]]]:
    """The workbook's sheets: (Danish name, headings, rows)."""
    everyone, leaders = report.everyone, report.leaders
    overview = [
        [_("Indsats"), report.initiative.title],
        [_("Periode fra"), report.start],
        [_("Periode til og med"), report.end],
        [_("Tilbud afholdt"), report.offerings_held],
        *[[_("Tilbud: %(kind)s") % {"kind": kind}, n] for kind, n in report.by_kind],
        [_("Arbejdsgrupper i indsatsen"), report.working_groups],
        [_("Kursusdage"), report.course_days],
        [_("Timer på kursusdagene"), round(report.hours, 2)],
        [_("Deltagere (bekræftede)"), everyone.participants],
        [_("Personer"), everyone.people],
        [_("Biblioteker nået"), everyone.libraries],
        [_("Kommuner nået"), everyone.municipalities],
        [_("Regioner nået"), everyone.regions],
        [_("Fremmøde (%)"), percent(report.attendance_share)],
        [_("Inviteret til evaluering"), report.invited],
        [_("Svar på evaluering"), report.responded],
        [_("Svarprocent"), percent(report.response_rate)],
        [_("Lederspor: deltagere"), leaders.participants],
        [_("Lederspor: personer"), leaders.people],
        [_("Lederspor: biblioteker"), leaders.libraries],
        [_("Lederspor: kommuner"), leaders.municipalities],
        [_("Lederspor: regioner"), leaders.regions],
    ]
    offerings = [
        [row.title, row.kind, timezone.localtime(row.start).date(), row.course_days, round(row.hours, 2),
         row.confirmed, row.people, row.libraries, row.leaders, row.invited, row.responded, percent(row.response_rate)]
        for row in report.offerings
    ]  # fmt: skip
    regions = [
        [row.label, row.participants, row.people, row.municipalities, row.municipalities_in_region]
        for row in report.regions
    ]
    days = [[d.offering_title, d.title, d.date, d.confirmed, d.present, percent(d.share)] for d in report.days]
    scale = [[row.text, row.offerings, row.answered, None if row.mean is None else round(row.mean, 2)]
             for row in report.scale]  # fmt: skip
    return [
        (_("Overblik"), [_("Tal"), _("Værdi")], overview),
        (
            _("Tilbud"),
            [
                _("Tilbud"),
                _("Type"),
                _("Start"),
                _("Kursusdage"),
                _("Timer"),
                _("Bekræftede"),
                _("Personer"),
                _("Biblioteker"),
                _("Lederspor"),
                _("Inviteret"),
                _("Svar"),
                _("Svarprocent"),
            ],
            offerings,
        ),  # fmt: skip
        (_("Regioner"), [_("Region"), _("Deltagere"), _("Personer"), _("Kommuner nået"), _("Kommuner i alt")], regions),
        (_("Fremmøde"), [_("Tilbud"), _("Kursusdag"), _("Dato"), _("Bekræftede"), _("Mødt"), _("Andel (%)")], days),
        (_("Evaluering"), [_("Spørgsmål (skala 1-5)"), _("Tilbud"), _("Svar"), _("Gennemsnit")], scale),
    ]


def _width(value) -> int:
    if isinstance(value, dt.date):
        return len("31-12-2027")
    return len(str(value)) if value is not None else 0


def write_workbook(report: FundersReport, output) -> None:
    """Each sheet with a Danish name, fitted widths, a frozen header and an autofilter (the offering export's way)."""
    workbook = Workbook(write_only=True, iso_dates=True)
    for title, headings, rows in report_sheets(report):
        sheet = workbook.create_sheet(title=title[:31])
        for index, heading in enumerate(headings, start=1):
            content = max((_width(row[index - 1]) for row in rows), default=0)
            width = min(max(len(heading), content, MIN_WIDTH) + 2, MAX_WIDTH)
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        sheet.append(headings)
        for row in rows:
            sheet.append([_cell(sheet, value) for value in row])
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headings))}{len(rows) + 1}"
    workbook.save(output)


def _cell(sheet, value):
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_DATE_FORMAT
        return cell
    return value


def xlsx_response(report: FundersReport) -> FileResponse:
    output = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it once sent
    write_workbook(report, output)
    output.seek(0)
    name = f"bevillingsrapport-{slugify(report.initiative.slug)}-{report.start.isoformat()}-{report.end.isoformat()}"
    return FileResponse(output, as_attachment=True, content_type=XLSX_CONTENT_TYPE, filename=f"{name}.xlsx")
