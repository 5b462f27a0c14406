"""The coordinators' panel on the Wagtail admin home: the next offerings with registration, and figures over time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wagtail.admin.ui.components import Component

from network.models import Region

from .. import stats
from ..charts import bar_chart, column_chart
from .base import has_registration_tools


def period_label(months: int) -> str:
    return ngettext("Seneste måned", "Seneste %(months)d måneder", months) % {"months": months}


class DashboardFilterForm(forms.Form):
    periode = forms.TypedChoiceField(
        label=gettext_lazy("Periode"),
        coerce=int,
        required=False,
        empty_value=stats.DEFAULT_MONTHS,
        initial=stats.DEFAULT_MONTHS,
    )
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["periode"].choices = [(str(n), period_label(n)) for n in stats.PERIOD_MONTHS]
        self.fields["region"].choices = [("", _("Alle regioner")), *Region.choices]

    def values(self) -> tuple[int, str]:
        """(months, region) from the valid fields; the default for each invalid one."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return data.get("periode") or stats.DEFAULT_MONTHS, data.get("region") or ""


class CoordinatorDashboardPanel(Component):
    name = "registration_dashboard"
    template_name = "registration/admin/dashboard_panel.html"
    order = 50  # above Wagtail's own panels (moderation 100+, recent edits 250)

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        user = self.request.user
        now = timezone.now()
        upcoming = stats.upcoming_offerings(user, now=now)
        context: dict[str, Any] = {"upcoming": upcoming, "show_figures": has_registration_tools(user)}
        if not context["show_figures"]:
            return context
        form = DashboardFilterForm(self.request.GET or None)
        months, region = form.values()
        region_label = dict(Region.choices).get(region, "")
        scope = period_label(months).lower() + (f", {region_label}" if region else "")
        per_month = [
            (dateformat.format(first, "M y"), n)
            for first, n in stats.confirmed_per_month(months=months, region=region, now=now)
        ]
        per_region = stats.confirmed_by_region(months=months, region=region, now=now)
        per_theme = stats.confirmed_by_theme(months=months, region=region, now=now)
        # One measure for all three charts (stats.confirmed_in_period): said once above them and in each chart.
        context.update(
            form=form,
            filter_error=form.is_bound and not form.is_valid(),
            months=months,
            default_months=stats.DEFAULT_MONTHS,
            scope=scope,
            total=sum(n for _label, n in per_month),
            per_month=per_month,
            per_region=per_region,
            per_theme=per_theme,
            month_chart=column_chart(
                per_month,
                title=_("Bekræftede tilmeldinger pr. måned"),
                description=_("Bekræftede tilmeldinger pr. måned, efter tilmeldingsdato (%(scope)s): %(values)s.")
                % {"scope": scope, "values": "; ".join(f"{label}: {n}" for label, n in per_month)},
            ),
            region_chart=bar_chart(
                per_region,
                title=_("Bekræftede tilmeldinger pr. region"),
                description=_("Bekræftede tilmeldinger pr. region for deltagerens bibliotek (%(scope)s): %(values)s.")
                % {"scope": scope, "values": "; ".join(f"{label}: {n}" for label, n in per_region)},
            ),
            theme_chart=bar_chart(
                per_theme,
                title=_("Bekræftede tilmeldinger pr. tema"),
                description=_("Bekræftede tilmeldinger pr. tema for tilbuddet (%(scope)s): %(values)s.")
                % {"scope": scope, "values": "; ".join(f"{label}: {n}" for label, n in per_theme)},
            ),
        )
        return context

    def render_html(self, parent_context: Mapping[str, Any] | None = None) -> str:
        context = self.get_context_data(parent_context)
        if not context["upcoming"] and not context["show_figures"]:
            return ""  # nothing of one's own to list, and no right to the figures
        return render_to_string(self.template_name, context, request=self.request)
