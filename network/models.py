"""The network's own models: themes, libraries, people, organisations, initiatives and working groups.

Offerings (events, courses, webinars) live in their own apps and share `OfferingPage` from here. Every offering lives
below a *section*: the initiative or organisation that owns it. Wagtail's page permissions are granted on sections, so
a coordinator edits only their own organisation's or initiative's offerings, while the listings gather everything.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import ItemBase, TagBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.utils.decorators import cached_classmethod

from rest_framework import serializers

from .blocks import BodyBlock, MaterialsBlock
from .danish import danish_slugify
from .fields import ChoicesListField

SECTION_PAGE_TYPES = ["network.InitiativePage", "network.OrganisationPage"]
RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "document-link"]


# --- Reference data: regions, municipalities, libraries -------------------------------------------------------


class Region(models.TextChoices):
    HOVEDSTADEN = "hovedstaden", "Region Hovedstaden"
    SJAELLAND = "sjaelland", "Region Sjælland"
    SYDDANMARK = "syddanmark", "Region Syddanmark"
    MIDTJYLLAND = "midtjylland", "Region Midtjylland"
    NORDJYLLAND = "nordjylland", "Region Nordjylland"

    @classmethod
    def from_label(cls, label: str) -> Region:
        for region in cls:
            if region.label == label.strip():
                return region
        raise ValueError(f"Unknown region: {label!r}")


class Municipality(models.Model):
    """One of Denmark's 98 municipalities (kommuner). Loaded from network/data/municipalities.csv."""

    name = models.CharField(_("navn"), max_length=100, unique=True)
    slug = models.SlugField(_("kortnavn"), max_length=100, unique=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return self.name


class LibraryGroup(models.Model):
    """A group of libraries, such as the certification libraries (certificeringsbiblioteker)."""

    name = models.CharField(_("navn"), max_length=100, unique=True)
    slug = models.SlugField(_("kortnavn"), max_length=100, unique=True)
    description = models.TextField(_("beskrivelse"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("biblioteksgruppe")
        verbose_name_plural = _("biblioteksgrupper")

    def __str__(self) -> str:
        return self.name


class Library(index.Indexed, models.Model):
    """A municipal library system; every municipality has one."""

    name = models.CharField(_("navn"), max_length=150, unique=True)
    municipality = models.OneToOneField(
        Municipality, verbose_name=_("kommune"), on_delete=models.PROTECT, related_name="library"
    )
    groups = models.ManyToManyField(LibraryGroup, verbose_name=_("grupper"), blank=True, related_name="libraries")
    website = models.URLField(_("hjemmeside"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("municipality"),
        FieldPanel("groups", widget=forms.CheckboxSelectMultiple),
        FieldPanel("website"),
        FieldPanel("email"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.RelatedFields("municipality", [index.SearchField("name")]),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("bibliotek")
        verbose_name_plural = _("biblioteker")

    def __str__(self) -> str:
        return self.name

    @property
    def region(self) -> str:
        return self.municipality.get_region_display()


# --- People --------------------------------------------------------------------------------------------------


class Person(index.Indexed, models.Model):
    """A contact person or presenter. Demo content names roles, never real people."""

    name = models.CharField(_("navn"), max_length=150)
    job_title = models.CharField(_("stilling eller rolle"), max_length=150, blank=True)
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("job_title"),
        FieldPanel("organisation"),
        FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("organisation"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("personer")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class PersonSerializer(serializers.Serializer):
    """How a person appears in the API: no phone number, only what the public page shows."""

    def to_representation(self, person):
        if person is None:
            return None
        return {
            "id": person.pk,
            "name": person.name,
            "job_title": person.job_title,
            "organisation": person.organisation,
            "email": person.email,
        }


# --- Themes --------------------------------------------------------------------------------------------------


class Theme(TagBase):
    """A theme from the network's curated vocabulary. Coordinators pick themes; they cannot invent them."""

    free_tagging = False

    name = models.CharField(
        _("navn"),
        max_length=100,
        unique=True,
        error_messages={"unique": _("Der findes allerede et tema med dette navn.")},
    )
    slug = models.SlugField(
        _("kortnavn"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("Bruges i adresser. Tomt: dannes af navnet."),
        error_messages={"unique": _("Der findes allerede et tema med dette kortnavn.")},
    )
    description = models.TextField(_("beskrivelse"), blank=True)
    synonyms = models.TextField(
        _("synonymer"),
        blank=True,
        help_text=_("Andre ord for temaet, ét pr. linje, fx SDG og FN's 17 mål. De kan søges på."),
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("synonyms")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("tema")
        verbose_name_plural = _("temaer")

    def clean(self):
        super().clean()
        self.name = (self.name or "").strip()
        if not self.slug:
            self.slug = danish_slugify(self.name)
        clash = Theme.objects.exclude(pk=self.pk)
        # Compared in Python: SQLite's case-insensitive matching folds ASCII only ("VERDENSMÅL" vs "Verdensmål").
        folded = self.name.casefold()
        if folded and any(name.casefold() == folded for name in clash.values_list("name", flat=True)):
            raise ValidationError({"name": _("Der findes allerede et tema med dette navn.")})
        if self.slug and clash.filter(slug=self.slug).exists():
            raise ValidationError({"slug": _("Der findes allerede et tema med dette kortnavn.")})

    def slugify(self, tag, i=None):
        slug = danish_slugify(tag)
        return f"{slug}-{i}" if i is not None else slug

    @property
    def synonym_list(self) -> list[str]:
        return [s.strip() for s in self.synonyms.replace(",", "\n").splitlines() if s.strip()]


class PageTheme(ItemBase):
    """The link between any page and a theme: one table, so a theme's pages of every kind are one query away.

    Filter pages by theme through this table (`EventPage.objects.filter(theme_links__tag__slug=...)`): taggit's
    `themes__` lookups join on the subclass's own `id` column, which multi-table page models do not have.
    """

    # Two indexes, each answering from the index alone: a theme's pages (the unique (tag, page) below) and a page's
    # themes ((page, tag), facet counts and cards). The key's own single-column indexes would add nothing.
    tag = models.ForeignKey(Theme, related_name="page_links", on_delete=models.CASCADE, db_index=False)
    content_object = ParentalKey("wagtailcore.Page", related_name="theme_links", on_delete=models.CASCADE,
                                 db_index=False)  # fmt: skip

    class Meta:
        unique_together = [("tag", "content_object")]
        indexes = [models.Index(fields=["content_object", "tag"], name="network_pagetheme_page_theme")]
        verbose_name = _("tema på side")
        verbose_name_plural = _("temaer på sider")


class ThemeSerializer(serializers.Serializer):
    def to_representation(self, manager):
        return [{"name": theme.name, "slug": theme.slug} for theme in manager.all()]


# --- Page types ----------------------------------------------------------------------------------------------


class BasePage(Page):
    """Fields every page of the network shares: an introduction and a body."""

    intro = models.TextField(_("indledning"), blank=True, help_text=_("En til tre sætninger. Vises i lister."))
    body = StreamField(BodyBlock(), verbose_name=_("indhold"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body")]

    class Meta:
        abstract = True


class ThemedPage(BasePage):
    """A page that carries themes from the curated vocabulary."""

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


class Audience(models.TextChoices):
    ALL = "alle", _("Alle biblioteksansatte")
    STAFF = "medarbejdere", _("Medarbejdere")
    LEADERS = "ledere", _("Ledere")
    KEY_PEOPLE = "noeglepersoner", _("Nøglepersoner og tovholdere")


class AttendanceMode(models.TextChoices):
    ON_SITE = "fysisk", _("Fysisk fremmøde")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Fysisk og online")

    @staticmethod
    def includes_venue(mode: str) -> bool:
        return mode in (AttendanceMode.ON_SITE, AttendanceMode.HYBRID)

    @staticmethod
    def includes_online(mode: str) -> bool:
        return mode in (AttendanceMode.ONLINE, AttendanceMode.HYBRID)


class Track(models.TextChoices):
    STAFF = "staff", _("Medarbejdere")
    LEADERS = "leaders", _("Ledere")


class Status(models.TextChoices):
    PLANNED = "planlagt", _("Planlagt")
    CANCELLED = "aflyst", _("Aflyst")
    POSTPONED = "udskudt", _("Udskudt")


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


class OfferingQuerySet(PageQuerySet):
    """Listings of offerings. `now` is passed in, so "now" is computed per request, never at import time."""

    def published(self):
        return self.live().public()

    def upcoming(self, now: dt.datetime | None = None):
        """Not yet ended, soonest first: what has started and not ended is running and stays here until it ends."""
        now = now or timezone.now()
        return self.published().filter(end__gt=now).order_by("start", "pk")

    def past(self, now: dt.datetime | None = None):
        now = now or timezone.now()
        return self.published().filter(end__lte=now).order_by("-start", "-pk")


OfferingManager = PageManager.from_queryset(OfferingQuerySet)


class OfferingPage(OrganisedPage):
    """An offering with a time: events, courses and webinars share this table, so one query lists them all.

    `start` and `end` are stored aware and shown in Copenhagen time. `region` is derived on save from where the
    offering takes place, for filtering.
    """

    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("slut"))
    audience = models.CharField(_("målgruppe"), max_length=20, choices=Audience.choices, default=Audience.ALL)
    attendance_mode = models.CharField(
        _("form"), max_length=10, choices=AttendanceMode.choices, default=AttendanceMode.ON_SITE
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True, editable=False)
    # The page type as a short word ("event", "course", "webinar"), stored beside the times so listings filter
    # and count kinds on this table alone.
    kind = models.CharField(_("type"), max_length=10, editable=False, default="")

    # Registration (see events.registration). Off until a coordinator turns it on.
    registration_enabled = models.BooleanField(_("tilmelding åben for dette tilbud"), default=False)
    capacity = models.PositiveIntegerField(
        _("pladser"), null=True, blank=True, help_text=_("Antal pladser i alt. Tom: ubegrænset.")
    )
    registration_opens = models.DateTimeField(
        _("tilmelding åbner"),
        null=True,
        blank=True,
        help_text=_("Tom: straks. Tilmeldingsrunder nedenfor kan åbne for nogle biblioteker før andre."),
    )
    registration_closes = models.DateTimeField(
        _("tilmeldingsfrist"), null=True, blank=True, help_text=_("Tom: når tilbuddet starter.")
    )
    change_deadline = models.DateTimeField(
        _("frist for ændringer"),
        null=True,
        blank=True,
        help_text=_("Til da kan kontaktpersonen tilføje og afmelde deltagere. Tom: når tilbuddet starter."),
    )
    max_per_library = models.PositiveIntegerField(
        _("højst pr. bibliotek"), null=True, blank=True, help_text=_("Tom: ingen grænse.")
    )
    waiting_list = models.BooleanField(_("venteliste"), default=True)
    registration_tracks = ChoicesListField(
        _("spor"),
        max_length=50,
        blank=True,
        choices=Track.choices,
        help_text=_("De spor deltagerne kan vælge imellem. Intet valgt: ingen valg af spor."),
    )

    offering_kind = ""
    is_creatable = False
    objects = OfferingManager()

    search_fields = [
        *OrganisedPage.search_fields,
        index.FilterField("start"),
        index.FilterField("end"),
        index.FilterField("audience"),
        index.FilterField("attendance_mode"),
        index.FilterField("status"),
        index.FilterField("region"),
        index.FilterField("kind"),
    ]
    api_fields = [
        *OrganisedPage.api_fields,
        APIField("start"),
        APIField("end"),
        APIField("audience"),
        APIField("attendance_mode"),
        APIField("status"),
        APIField("region"),
    ]

    registration_panels = [
        FieldPanel("registration_enabled"),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("max_per_library"), FieldPanel("waiting_list")]),
        FieldRowPanel([FieldPanel("registration_opens"), FieldPanel("registration_closes")]),
        FieldPanel("change_deadline"),
        FieldPanel("registration_tracks"),
        InlinePanel("registration_rounds", heading=_("Tilmeldingsrunder"), label=_("Runde")),
    ]

    class Meta:
        verbose_name = _("tilbud")
        verbose_name_plural = _("tilbud")
        indexes = [
            models.Index(fields=["end", "start"], name="offering_end_start"),
            models.Index(fields=["start"], name="offering_start"),
            # Listings: the facet counts read only this index; sorted pages walk (kind, start).
            models.Index(fields=["kind", "end", "audience", "region", "attendance_mode"], name="offering_kind_facets"),
            models.Index(fields=["kind", "start"], name="offering_kind_start"),
        ]

    @cached_classmethod
    def get_edit_handler(cls):
        """The usual tabs, with registration as its own tab after the content."""
        tabs = [ObjectList(cls.content_panels, heading=_("Indhold"))]
        tabs.append(ObjectList(cls.registration_panels, heading=_("Tilmelding")))
        tabs.append(ObjectList(cls.promote_panels, heading=_("Promover")))
        tabs.append(ObjectList(cls.settings_panels, heading=_("Indstillinger")))
        return TabbedInterface(tabs, base_form_class=cls.base_form_class).bind_to_model(cls)

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("Slut skal ligge efter start.")})
        errors = {}
        if self.registration_opens and self.registration_closes and self.registration_closes <= self.registration_opens:
            errors["registration_closes"] = _("Tilmeldingsfristen skal ligge efter åbningen.")
        if self.registration_closes and self.end and self.registration_closes > self.end:
            errors["registration_closes"] = _("Tilmeldingsfristen kan ikke ligge efter tilbuddets slut.")
        if self.change_deadline and self.end and self.change_deadline > self.end:
            errors["change_deadline"] = _("Fristen for ændringer kan ikke ligge efter tilbuddets slut.")
        if self.capacity == 0:
            errors["capacity"] = _("Der skal være mindst én plads. Lad feltet stå tomt for ubegrænset.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.region = self.derive_region()
        self.kind = self.offering_kind
        return super().save(*args, **kwargs)

    def derive_region(self) -> str:
        """The region the offering takes place in; blank when online or unknown. Subclasses say where."""
        return ""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.registration_enabled:
            from events.registration.services import availability

            context["registration"] = availability(self)
        return context

    def get_phase(self, now: dt.datetime | None = None) -> str:
        """ "upcoming", "running" or "past", from the time alone (webinars say "live" for running)."""
        now = now or timezone.now()
        if now < self.start:
            return "upcoming"
        return "running" if now < self.end else "past"

    @property
    def phase(self) -> str:
        return self.get_phase()

    @property
    def is_cancelled(self) -> bool:
        return self.status == Status.CANCELLED

    @property
    def is_on_site(self) -> bool:
        return AttendanceMode.includes_venue(self.attendance_mode)

    @property
    def is_online(self) -> bool:
        return AttendanceMode.includes_online(self.attendance_mode)

    @property
    def is_multi_day(self) -> bool:
        return timezone.localdate(self.start) != timezone.localdate(self.end - dt.timedelta(microseconds=1))


class LocationMixin(models.Model):
    """Where something takes place: a venue with address and municipality, and an online link."""

    venue_name = models.CharField(_("sted"), max_length=200, blank=True)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("postnummer"), max_length=4, blank=True)
    city = models.CharField(_("by"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    online_url = models.URLField(_("link til online deltagelse"), blank=True)

    location_panels = [
        FieldPanel("attendance_mode"),
        FieldPanel("venue_name"),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
        FieldPanel("municipality"),
        FieldPanel("online_url"),
    ]
    location_api_fields = [
        APIField("venue_name"),
        APIField("address"),
        APIField("postcode"),
        APIField("city"),
        APIField("municipality", serializer=serializers.StringRelatedField()),
    ]

    class Meta:
        abstract = True

    def clean_location(self) -> dict[str, str]:
        """Errors for a place that does not match the form of attendance (`attendance_mode` of the model)."""
        errors = {}
        if AttendanceMode.includes_venue(self.attendance_mode):
            if not self.venue_name.strip():
                errors["venue_name"] = _("Skriv hvor det foregår, når der er fysisk fremmøde.")
            if not self.municipality_id:
                errors["municipality"] = _("Vælg kommunen, når der er fysisk fremmøde.")
        if self.postcode and not (self.postcode.isdigit() and len(self.postcode) == 4):
            errors["postcode"] = _("Et postnummer er fire cifre.")
        return errors


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
    ]
    max_count = 1

    class Meta:
        verbose_name = _("forside")

    def get_context(self, request, *args, **kwargs):
        from events.models import CoursePage, EventPage
        from webinars.models import WebinarPage

        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        context["next_events"] = EventPage.objects.upcoming(now)[:3]
        context["next_courses"] = CoursePage.objects.upcoming(now)[:3]
        context["next_webinars"] = WebinarPage.objects.upcoming(now)[:3]
        context["themes"] = Theme.objects.all()
        return context


class StandardPage(BasePage):
    """A plain page: about the network, privacy notice, accessibility statement."""

    parent_page_types = ["network.HomePage", "network.StandardPage"]

    class Meta:
        verbose_name = _("standardside")


class IndexPage(BasePage):
    """An index page: one per kind, directly below the home page."""

    parent_page_types = ["network.HomePage"]
    max_count = 1

    class Meta:
        abstract = True


class ListingIndexPage(IndexPage):
    """An index page whose listing gathers offerings of `listing_kinds` from the whole site, with filters."""

    listing_kinds: list[str] = []
    subpage_types: list[str] = []

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        from .listing import offering_listing

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


class WorkingGroupPage(OrganisedPage):
    """A working group: its purpose, members, contact person, related offerings and documents."""

    purpose = RichTextField(_("formål"), features=RICH_TEXT_FEATURES, blank=True)
    documents = StreamField(MaterialsBlock(), verbose_name=_("dokumenter"), blank=True)

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("purpose"),
        FieldPanel("themes"),
        FieldPanel("organiser"),
        FieldPanel("contact_person"),
        InlinePanel("members", label=_("Medlemmer"), heading=_("Medlemmer")),
        InlinePanel("related_offerings", label=_("Relateret tilbud"), heading=_("Relaterede tilbud")),
        FieldPanel("documents"),
    ]
    search_fields = [*OrganisedPage.search_fields, index.SearchField("purpose")]
    api_fields = [
        *OrganisedPage.api_fields,
        APIField("purpose"),
        APIField("members"),
        APIField("related_offerings"),
        APIField("documents"),
    ]

    class Meta:
        verbose_name = _("arbejdsgruppe")
        verbose_name_plural = _("arbejdsgrupper")


class WorkingGroupMember(Orderable):
    page = ParentalKey(WorkingGroupPage, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    organisation = models.CharField(
        _("organisation"), max_length=150, blank=True, help_text=_("Tom: personens egen organisation.")
    )
    role = models.CharField(_("rolle i gruppen"), max_length=100, blank=True)

    panels = [FieldPanel("person"), FieldPanel("organisation"), FieldPanel("role")]
    api_fields = [
        APIField("person", serializer=PersonSerializer()),
        APIField("organisation_name"),
        APIField("role"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("medlem")
        verbose_name_plural = _("medlemmer")

    @property
    def organisation_name(self) -> str:
        return self.organisation or self.person.organisation


class WorkingGroupRelatedOffering(Orderable):
    page = ParentalKey(WorkingGroupPage, on_delete=models.CASCADE, related_name="related_offerings")
    offering = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("tilbud"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("offering")]
    api_fields = [APIField("offering")]

    class Meta(Orderable.Meta):
        verbose_name = _("relateret tilbud")
        verbose_name_plural = _("relaterede tilbud")
