"""The home page, plain pages, index pages, organisations and initiatives."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from network.listing import offering_listing
from network.querystrings import without_empty_params
from network.serializers import PersonSerializer

from .base import RICH_TEXT_FEATURES, BasePage, IndexPage, ThemedPage
from .offerings import OfferingPage, Status
from .people import Person
from .themes import Theme
from .working_groups import WorkingGroupPage


class HomePage(BasePage):
    """The front page: the next offerings and the themes."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "network.InitiativeIndexPage",
        "network.OrganisationIndexPage",
        "network.WorkingGroupIndexPage",
        "network.ThemeIndexPage",
        "events.EventIndexPage",
        "events.CourseIndexPage",
        "webinars.WebinarIndexPage",
        "network.StandardPage",
        "network.AccessibilityStatementPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("forside")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        # kind -> its next three offerings, for every installed kind (next.course, next.event, next.webinar).
        # A cancelled offering is not news: the home page leads with what takes place.
        context["next"] = {
            kind: model.objects.upcoming(now).exclude(status=Status.CANCELLED)[:3]
            for kind, model in OfferingPage.kinds().items()
        }
        context["themes"] = Theme.objects.all()
        return context


class StandardPage(BasePage):
    """A plain page: about the network, privacy notice. Those right below the home page are linked in the footer."""

    parent_page_types = ["network.HomePage", "network.StandardPage"]

    class Meta:
        verbose_name = _("standardside")


class Compliance(models.TextChoices):
    FULL = "fuldt", _("Fuldt i overensstemmelse")
    PARTIAL = "delvist", _("Delvist i overensstemmelse")
    NONE = "ikke", _("Ikke i overensstemmelse")


class AccessibilityStatementPage(BasePage):
    """The accessibility statement public bodies must publish, in the parts of Digitaliseringsstyrelsen's format:
    compliance, what is not accessible, how it was assessed, feedback and contact, the dates. Linked in the footer."""

    parent_page_types = ["network.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    compliance = models.CharField(
        _("overholdelse"), max_length=10, choices=Compliance.choices, default=Compliance.PARTIAL,
        help_text=_("Hvor godt sitet overholder webtilgængelighedsloven (WCAG 2.1, niveau AA)."),
    )  # fmt: skip
    shortcomings = RichTextField(
        _("kendte mangler"), features=RICH_TEXT_FEATURES, blank=True,
        help_text=_("Det, der ikke er tilgængeligt, og hvornår det bliver rettet."),
    )  # fmt: skip
    method = RichTextField(_("sådan er sitet vurderet"), features=RICH_TEXT_FEATURES, blank=True)
    feedback = RichTextField(
        _("feedback og kontakt"), features=RICH_TEXT_FEATURES, blank=True,
        help_text=_("Hvordan man melder en fejl eller beder om indhold i en anden form."),
    )  # fmt: skip
    contact_email = models.EmailField(_("e-mail til feedback"))
    published_on = models.DateField(_("erklæringen er udarbejdet"))
    reviewed_on = models.DateField(_("senest gennemgået"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("compliance"),
        FieldPanel("shortcomings"),
        FieldPanel("method"),
        MultiFieldPanel([FieldPanel("feedback"), FieldPanel("contact_email")], heading=_("Feedback og kontakt")),
        FieldRowPanel([FieldPanel("published_on"), FieldPanel("reviewed_on")]),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("shortcomings")]

    class Meta:
        verbose_name = _("tilgængelighedserklæring")

    def clean(self):
        super().clean()
        if self.published_on and self.reviewed_on and self.reviewed_on < self.published_on:
            raise ValidationError({"reviewed_on": _("Gennemgangen kan ikke ligge før erklæringen blev udarbejdet.")})


class ListingIndexPage(IndexPage):
    """An index page whose listing gathers offerings of `listing_kinds` from the whole site, with filters."""

    listing_kinds: list[str] = []
    subpage_types: list[str] = []

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        return without_empty_params(request, self.get_url(request)) or super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["listing"] = listing = offering_listing(request.GET, kinds=self.listing_kinds)
        context["canonical_query"] = listing.canonical_query
        return context


class InitiativeIndexPage(IndexPage):
    subpage_types = ["network.InitiativePage"]

    class Meta:
        verbose_name = _("oversigt over indsatser")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["initiatives"] = (
            InitiativePage.objects.child_of(self).live().public().select_related("organiser").order_by("title")
        )
        return context


class OrganisationIndexPage(IndexPage):
    subpage_types = ["network.OrganisationPage"]

    class Meta:
        verbose_name = _("oversigt over arrangører")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["organisations"] = OrganisationPage.objects.child_of(self).live().public().order_by("title")
        return context


class WorkingGroupIndexPage(IndexPage):
    """Lists every working group of the network, wherever in the tree it lives."""

    subpage_types: list[str] = []
    # What it lists though they live below their sections: the main navigation marks it as their section.
    listed_page_types = ["network.WorkingGroupPage"]

    class Meta:
        verbose_name = _("oversigt over arbejdsgrupper")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["working_groups"] = (
            WorkingGroupPage.objects.live().public().order_by("title").prefetch_related("themes")
        )
        return context


class ThemeIndexPage(IndexPage):
    """Lists the themes of the vocabulary. Each theme has its own page at /tema/<slug>/ (network.views)."""

    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("oversigt over temaer")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        live_ids = Page.objects.live().public().values("pk")
        context["themes"] = Theme.objects.annotate(
            page_count=models.Count("page_links", filter=models.Q(page_links__content_object__in=live_ids))
        )
        return context


class OrganisationPage(BasePage):
    """An organisation that coordinates offerings, e.g. Danmarks Biblioteksforening. Its offerings live below it."""

    short_name = models.CharField(_("forkortelse"), max_length=30, blank=True)
    website = models.URLField(_("hjemmeside"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    content_panels = [
        *BasePage.content_panels,
        FieldRowPanel([FieldPanel("short_name"), FieldPanel("website"), FieldPanel("email")]),
    ]
    parent_page_types = ["network.OrganisationIndexPage"]
    subpage_types = [
        "events.EventPage",
        "events.CoursePage",
        "webinars.WebinarPage",
        "network.WorkingGroupPage",
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("short_name")]
    api_fields = [*BasePage.api_fields, APIField("short_name"), APIField("website"), APIField("email")]

    class Meta:
        verbose_name = _("arrangør")
        verbose_name_plural = _("arrangører")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["offerings"] = self.get_children().live().public().specific().order_by("title")
        return context


class InitiativePage(ThemedPage):
    """A national effort (indsats): its purpose, funding and coordinator. Its offerings live below it."""

    purpose = RichTextField(_("formål"), features=RICH_TEXT_FEATURES, blank=True)
    funding_source = models.CharField(_("finansiering"), max_length=200, blank=True)
    funding_start = models.DateField(_("bevilling fra"), null=True, blank=True)
    funding_end = models.DateField(_("bevilling til"), null=True, blank=True)
    organiser = models.ForeignKey(
        OrganisationPage,
        verbose_name=_("koordinerende organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    coordinator = models.ForeignKey(
        Person,
        verbose_name=_("tovholder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("purpose"),
        MultiFieldPanel(
            [
                FieldPanel("funding_source"),
                FieldRowPanel([FieldPanel("funding_start"), FieldPanel("funding_end")]),
            ],
            heading=_("Finansiering"),
        ),
        FieldPanel("organiser"),
        FieldPanel("coordinator"),
        FieldPanel("themes"),
    ]
    parent_page_types = ["network.InitiativeIndexPage"]
    subpage_types = [
        "events.EventPage",
        "events.CoursePage",
        "webinars.WebinarPage",
        "network.WorkingGroupPage",
    ]
    search_fields = [
        *ThemedPage.search_fields,
        index.SearchField("purpose"),
        index.SearchField("funding_source"),
    ]
    api_fields = [
        *ThemedPage.api_fields,
        APIField("purpose"),
        APIField("funding_source"),
        APIField("funding_start"),
        APIField("funding_end"),
        APIField("organiser"),
        APIField("coordinator", serializer=PersonSerializer()),
    ]

    class Meta:
        verbose_name = _("indsats")
        verbose_name_plural = _("indsatser")

    def clean(self):
        super().clean()
        if self.funding_start and self.funding_end and self.funding_end < self.funding_start:
            raise ValidationError({"funding_end": _("Bevillingen kan ikke slutte, før den begynder.")})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["offerings"] = self.get_children().live().public().specific()
        return context
