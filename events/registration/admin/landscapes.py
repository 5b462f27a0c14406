"""The libraries' competency landscapes: every library with how many of its staff took part, and each one's chart."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network.models import Library

from .. import stats
from ..landscape import landscape_context
from .base import AdminTemplateView, require_registration_tools

SORTS = {
    "navn": ("name",),
    "region": ("region_label", "name"),
    "deltagere": ("-people", "name"),
}


class LandscapeFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Søg bibliotek eller kommune"), required=False, max_length=100)
    sortering = forms.ChoiceField(
        label=gettext_lazy("Sortér efter"),
        required=False,
        choices=[
            ("navn", gettext_lazy("Navn")),
            ("region", gettext_lazy("Region")),
            ("deltagere", gettext_lazy("Flest deltagere")),
        ],
        error_messages={"invalid_choice": gettext_lazy("Vælg en sortering fra listen.")},
    )

    def values(self) -> tuple[str, str]:
        """(search text, sort key) from the valid fields; nothing and "navn" for invalid ones."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return (data.get("q") or "").strip(), data.get("sortering") or "navn"


class LandscapeIndexView(AdminTemplateView):
    """Every library with how many of its staff took part; each links to its competency landscape."""

    template_name = "registration/admin/landscapes.html"
    page_title = gettext_lazy("Kompetencelandskaber")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        require_registration_tools(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        form = LandscapeFilterForm(request.GET or None)
        query, sort = form.values()
        libraries = Library.objects.select_related("municipality").order_by("name")
        if query:
            libraries = libraries.filter(Q(name__icontains=query) | Q(municipality__name__icontains=query))
        libraries = list(libraries)
        people = stats.people_per_library()
        for library in libraries:
            library.people = people.get(library.pk, 0)
            library.region_label = library.municipality.get_region_display()
        # Sorted here: the counts come from a query of their own, and 98 libraries are few.
        for key in reversed(SORTS[sort]):
            field = key.lstrip("-")
            libraries.sort(
                key=lambda library, field=field: value_key(getattr(library, field)), reverse=key.startswith("-")
            )
        return self.render(libraries=libraries, filter_form=form, query=query)


def value_key(value):
    return value.casefold() if isinstance(value, str) else value


class LibraryLandscapeView(AdminTemplateView):
    """One library's competency landscape: how many of its staff took part, per theme and year or half-year."""

    template_name = "registration/admin/landscape.html"
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        require_registration_tools(request)
        self.library = get_object_or_404(Library.objects.select_related("municipality"), pk=kwargs["library_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Kompetencelandskab: %(library)s") % {"library": self.library.name}

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        url = reverse("registration_admin:landscapes")
        return [*items[:-1], {"url": url, "label": _("Kompetencelandskaber")}, items[-1]]

    def get(self, request, library_id: int):
        return self.render(**landscape_context(self.library, request.GET))
