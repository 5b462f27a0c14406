"""Admin registration for the network's own models: themes, libraries, library groups, people, municipalities."""

from django import forms
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .api_checks import CheckedQueryMixin
from .models import Library, LibraryGroup, Municipality, Person, Theme


class AdminPagesEndpoint(CheckedQueryMixin, PagesAdminAPIViewSet):
    """The admin's page API (the explorer menu, choosers) with the public API's checks of its query."""


@hooks.register("construct_admin_api")
def admin_api_checked(router):
    router.register_endpoint("pages", AdminPagesEndpoint)


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("network/css/admin.css"))


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Temaer")
    menu_order = 100
    add_to_admin_menu = True
    list_display = ["name", "slug"]
    search_fields = ["name", "synonyms"]
    ordering = ["name"]


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("Personer")
    list_display = ["name", "job_title", "organisation"]
    search_fields = ["name", "organisation", "job_title"]


class LibraryViewSet(SnippetViewSet):
    model = Library
    icon = "home"
    menu_label = _("Biblioteker")
    list_display = ["name", "municipality", "region"]
    list_filter = ["groups", "municipality__region"]
    search_fields = ["name", "municipality__name"]
    list_per_page = 100


class LibraryGroupViewSet(SnippetViewSet):
    model = LibraryGroup
    icon = "group"
    menu_label = _("Biblioteksgrupper")
    list_display = ["name", "slug"]


class MunicipalitySearchForm(BaseFilterForm):
    """Search in the municipality chooser by a part of the name ("hern" finds Herning): 98 short names need no
    search index (the model has none), and a part of a word is what a coordinator types. Compared in Python, since
    SQLite folds the case of ASCII letters only ("KØBEN" would miss København)."""

    q = forms.CharField(
        label=_("Søg"), required=False, widget=forms.TextInput(attrs={"placeholder": _("Søg efter kommune")})
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            wanted = query.casefold()
            objects = objects.filter(
                pk__in=[pk for pk, name in objects.values_list("pk", "name") if wanted in name.casefold()]
            )
            self.is_searching, self.search_query = True, query
        return objects


class MunicipalityChooseView(ChooseView):
    filter_form_class = MunicipalitySearchForm


class MunicipalityChooseResultsView(ChooseResultsView):
    filter_form_class = MunicipalitySearchForm


class MunicipalityChooserViewSet(SnippetChooserViewSet):
    choose_view_class = MunicipalityChooseView
    choose_results_view_class = MunicipalityChooseResultsView


class MunicipalityViewSet(SnippetViewSet):
    model = Municipality
    icon = "site"
    menu_label = _("Kommuner")
    list_display = ["name", "region"]
    list_filter = ["region"]
    search_fields = ["name"]
    list_per_page = 100
    chooser_viewset_class = MunicipalityChooserViewSet
    chooser_per_page = 25


class NetworkViewSetGroup(SnippetViewSetGroup):
    items = (PersonViewSet, LibraryViewSet, LibraryGroupViewSet, MunicipalityViewSet)
    menu_icon = "group"
    menu_label = _("Netværk")
    menu_name = "network"
    menu_order = 110


register_snippet(ThemeViewSet)
register_snippet(NetworkViewSetGroup)
