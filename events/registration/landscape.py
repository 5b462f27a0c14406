"""The competency landscape (kompetencelandskab) of one library, as the admin view and the public view show it.

The figures come from `stats.competency_landscape`; this module reads the division filter and builds the chart.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network.models import Library

from . import stats
from .charts import heat_map


class LandscapeForm(forms.Form):
    inddeling = forms.ChoiceField(
        label=gettext_lazy("Inddeling"),
        required=False,
        choices=[(stats.YEAR, gettext_lazy("Pr. år")), (stats.HALF_YEAR, gettext_lazy("Pr. halvår"))],
    )

    def division(self) -> str:
        """The chosen division; a year when none or an invalid one was given."""
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("inddeling") or stats.YEAR


def landscape_context(library: Library, params) -> dict[str, Any]:
    form = LandscapeForm(params or None)
    landscape = stats.competency_landscape(library, division=form.division())
    values = "; ".join(
        f"{theme}: " + ", ".join(f"{column} {n}" for column, n in zip(landscape.columns, counts, strict=True))
        for theme, counts, _total in landscape.rows
    )
    chart = heat_map(
        landscape.columns,
        [(theme, counts) for theme, counts, _total in landscape.rows],
        title=_("Kompetencelandskab for %(library)s") % {"library": library.name},
        description=_("Medarbejdere, der har deltaget, pr. tema og periode: %(values)s.")
        % {"values": values or _("ingen")},
    )
    return {
        "library": library,
        "landscape": landscape,
        "chart": chart,
        "landscape_form": form,
        "filter_error": form.is_bound and not form.is_valid(),
    }
