"""The offering base: events, courses and webinars share this table, its choices and its named reads."""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList, TabbedInterface
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, PageManager
from wagtail.search import index
from wagtail.utils.decorators import cached_classmethod

from rest_framework import serializers

from network.blocks import EvaluationBlock, default_evaluation

from .base import OrganisedPage, ThemedQuerySet
from .places import Municipality, Region


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


class Status(models.TextChoices):
    PLANNED = "planlagt", _("Planlagt")
    CANCELLED = "aflyst", _("Aflyst")
    POSTPONED = "udskudt", _("Udskudt")


def ahead_at(now: dt.datetime) -> Q:
    """Not yet ended at `now`: the one condition behind `ahead`, for counts that split at `now` as well."""
    return Q(end__gt=now)


class OfferingQuerySet(ThemedQuerySet):
    """The named reads of offerings. `now` is passed in, so "now" is computed per request, never at import time.

    `ahead`, `ended`, `tagged` and `of_kinds` only filter; `upcoming` and `past` also publish and order.
    """

    def published(self):
        return self.live().public()

    def ahead(self, now: dt.datetime):
        """Not yet ended: what has started and not ended is running, and counts as ahead until it ends."""
        return self.filter(ahead_at(now))

    def ended(self, now: dt.datetime):
        return self.filter(end__lte=now)

    def of_kinds(self, kinds):
        return self.filter(kind__in=kinds)

    def upcoming(self, now: dt.datetime | None = None):
        """Published and not yet ended, soonest first."""
        return self.published().ahead(now or timezone.now()).order_by("start", "pk")

    def past(self, now: dt.datetime | None = None):
        """Published and ended, newest first."""
        return self.published().ended(now or timezone.now()).order_by("-start", "-pk")


OfferingManager = PageManager.from_queryset(OfferingQuerySet)


class OfferingPage(OrganisedPage):
    """An offering with a time: events, courses and webinars share this table, so one query lists them all.

    `start` and `end` are stored aware; `region` and `kind` are derived on save, for filtering.
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
    # The evaluation the confirmed participants get a link to when the offering ends (events.registration.evaluations).
    # New offerings start with the seed's questions; with none, no evaluation is sent.
    evaluation = StreamField(
        EvaluationBlock(),
        verbose_name=_("evaluering"),
        blank=True,
        default=default_evaluation,
        help_text=_(
            "Sendes til de bekræftede deltagere, når tilbuddet er slut. Uden spørgsmål sendes ingen evaluering."
        ),
    )

    # Each concrete kind sets its word, and its place where kinds are shown side by side (search, feeds).
    offering_kind = ""
    kind_order = 0
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
        InlinePanel(
            "tracks",
            heading=_("Spor"),
            label=_("Spor"),
            help_text=_("De spor deltagerne vælger imellem ved tilmeldingen, fx et lederspor. Ingen spor: intet valg."),
        ),
        InlinePanel("registration_rounds", heading=_("Tilmeldingsrunder"), label=_("Runde")),
    ]
    evaluation_panels = [FieldPanel("evaluation")]

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

    @classmethod
    @cache
    def kinds(cls) -> dict[str, type[OfferingPage]]:
        """Every kind of offering, word -> page model, from the installed apps: a new kind is one new subclass."""
        found = [model for model in apps.get_models() if issubclass(model, cls) and model.offering_kind]
        return {model.offering_kind: model for model in sorted(found, key=lambda model: model.kind_order)}

    @cached_classmethod
    def get_edit_handler(cls):
        """The usual tabs, with registration and the evaluation as their own tabs after the content."""
        tabs = [ObjectList(cls.content_panels, heading=_("Indhold"))]
        tabs.append(ObjectList(cls.registration_panels, heading=_("Tilmelding")))
        tabs.append(ObjectList(cls.evaluation_panels, heading=_("Evaluering")))
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
    def is_multi_day(self) -> bool:
        return timezone.localdate(self.start) != timezone.localdate(self.end - dt.timedelta(microseconds=1))


class OfferingTrack(Orderable):
    """A track of an offering, such as a leaders' track (lederspor): shown on the page and chosen at registration.

    A participant keeps the name as registered (`Participant.track`), so renaming or removing a track later changes
    no one's registration."""

    page = ParentalKey(OfferingPage, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(_("navn"), max_length=100)
    description = models.TextField(_("beskrivelse"), blank=True)
    for_leaders = models.BooleanField(
        _("lederspor"), default=False, help_text=_("Sporet for ledere; opgørelser tæller det for sig.")
    )

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("for_leaders")]
    api_fields = [APIField("name"), APIField("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("spor")
        verbose_name_plural = _("spor")

    def __str__(self) -> str:
        return self.name


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

    # Venue and municipality are required for publishing when people meet on site (`clean_location`): the help says
    # so before the coordinator publishes, since the form cannot mark a field required only for some modes.
    location_panels = [
        FieldPanel("attendance_mode"),
        FieldPanel("venue_name", help_text=_("Skal udfyldes ved fysisk fremmøde.")),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
        FieldPanel(
            "municipality",
            help_text=_("Skal udfyldes ved fysisk fremmøde. Søg efter kommunen i vælgeren; den giver regionen."),
        ),
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

    @property
    def is_on_site(self) -> bool:
        return AttendanceMode.includes_venue(self.attendance_mode)

    @property
    def is_online(self) -> bool:
        return AttendanceMode.includes_online(self.attendance_mode)

    def clean_location(self) -> dict[str, str]:
        """Errors for a place that does not match the form of attendance (`attendance_mode` of the model)."""
        errors = {}
        if self.is_on_site:
            if not self.venue_name.strip():
                errors["venue_name"] = _("Skriv hvor det foregår, når der er fysisk fremmøde.")
            if not self.municipality_id:
                errors["municipality"] = _("Vælg kommunen, når der er fysisk fremmøde.")
        if self.postcode and not (self.postcode.isdigit() and len(self.postcode) == 4):
            errors["postcode"] = _("Et postnummer er fire cifre.")
        return errors
