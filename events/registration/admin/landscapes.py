"""The libraries' competency landscapes: every library with how many of its staff took part, and each one's chart."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network.models import Library

from .. import stats
from ..landscape import landscape_context
from .base import AdminTemplateView, require_registration_tools


class LandscapeIndexView(AdminTemplateView):
    """Every library with how many of its staff took part; each links to its competency landscape."""

    template_name = "registration/admin/landscapes.html"
    page_title = gettext_lazy("Kompetencelandskaber")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        require_registration_tools(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        libraries = list(Library.objects.select_related("municipality").order_by("name"))
        people = stats.people_per_library()
        for library in libraries:
            library.people = people.get(library.pk, 0)
        return self.render(libraries=libraries)


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
