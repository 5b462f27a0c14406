"""What every page of the network shares, and what offerings and working groups share below a section."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.forms.tags import TagField
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from network.admin_forms import ThemeWidget
from network.blocks import BodyBlock
from network.serializers import PersonSerializer, ThemeSerializer

from .people import Person
from .themes import PageTheme, Theme

SECTION_PAGE_TYPES = ["network.InitiativePage", "network.OrganisationPage"]
RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "document-link"]


class BasePage(Page):
    """Fields every page of the network shares: an introduction and a body."""

    intro = models.TextField(_("indledning"), blank=True, help_text=_("En til tre sætninger. Vises i lister."))
    body = StreamField(BodyBlock(), verbose_name=_("indhold"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body")]

    class Meta:
        abstract = True


class ThemedQuerySet(PageQuerySet):
    def tagged(self, theme: Theme):
        """The pages that carry the theme (through PageTheme: taggit's `themes__` lookups break on these models)."""
        return self.filter(pk__in=PageTheme.page_ids(theme))


class ThemedPage(BasePage):
    """A page that carries themes from the curated vocabulary."""

    objects = PageManager.from_queryset(ThemedQuerySet)()

    themes = ClusterTaggableManager(
        through=PageTheme,
        blank=True,
        verbose_name=_("temaer"),
        help_text=_("Vælg et eller flere temaer fra listen."),
    )

    search_fields = [
        *BasePage.search_fields,
        index.RelatedFields("themes", [index.SearchField("name"), index.SearchField("synonyms")]),
    ]
    api_fields = [*BasePage.api_fields, APIField("themes", serializer=ThemeSerializer())]

    class Meta:
        abstract = True


def _tag_form_field(db_field) -> dict:
    """Wagtail's form field for tags, with the theme widget on fields of themes."""
    override = {"form_class": TagField, "tag_model": db_field.related_model}
    if issubclass(db_field.related_model, Theme):
        override["widget"] = ThemeWidget
    return override


register_form_field_override(ClusterTaggableManager, override=_tag_form_field)


class OrganisedPage(ThemedPage):
    """What offerings and working groups share: who organises it and who to ask. They live below a section."""

    organiser = models.ForeignKey(
        "network.OrganisationPage",
        verbose_name=_("arrangør"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_person = models.ForeignKey(
        Person,
        verbose_name=_("kontaktperson"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    parent_page_types = SECTION_PAGE_TYPES
    subpage_types: list[str] = []

    search_fields = [
        *ThemedPage.search_fields,
        index.RelatedFields("organiser", [index.SearchField("title")]),
        index.FilterField("organiser"),
    ]
    api_fields = [
        *ThemedPage.api_fields,
        APIField("organiser"),
        APIField("contact_person", serializer=PersonSerializer()),
    ]

    class Meta:
        abstract = True

    @property
    def section(self) -> Page | None:
        """The initiative or organisation this page belongs to."""
        return self.get_parent().specific


class IndexPage(BasePage):
    """An index page: one per kind, directly below the home page."""

    parent_page_types = ["network.HomePage"]
    max_count = 1

    class Meta:
        abstract = True
