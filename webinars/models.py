"""Webinars: upcoming, live or past is derived from the time, never stored."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from network.blocks import MaterialsBlock
from network.models import AttendanceMode, ListingIndexPage, OfferingPage, Person
from network.serializers import PersonSerializer

from .captions import Cue, moment_label, moment_url, parse_captions
from .forms import WebinarPageForm


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("Kommende")
    LIVE = "live", _("Live nu")
    PAST = "past", _("Afholdt")


class WebinarIndexPage(ListingIndexPage):
    """Lists every webinar of the network: the coming ones, and the archive of past ones (`?when=past`)."""

    listing_kinds = ["webinar"]

    class Meta:
        verbose_name = _("oversigt over webinarer")


class WebinarPage(OfferingPage):
    """A webinar: before it, the join link; during it, "live now"; after it, the recording, slides and transcript."""

    page_description = _(
        "Et oplæg online på et fast tidspunkt, med link til deltagelse. Bagefter lægges optagelse, slides og "
        "udskrift i arkivet."
    )

    offering_kind = "webinar"
    kind_order = 1
    base_form_class = WebinarPageForm

    duration = models.PositiveIntegerField(
        _("varighed i minutter"),
        default=60,
        validators=[
            MinValueValidator(5, _("Et webinar varer mindst 5 minutter.")),
            MaxValueValidator(8 * 60, _("Et webinar varer højst 8 timer.")),
        ],
    )
    join_url = models.URLField(_("link til deltagelse"), blank=True)
    recording_url = models.URLField(_("link til optagelse"), blank=True)
    slides = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("slides"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Documents and links besides the slides (a hand-out, the presenter's article), shown with them under "Materialer".
    materials = StreamField(MaterialsBlock(), verbose_name=_("materialer"), blank=True)
    captions = models.TextField(
        _("undertekster (WebVTT)"),
        blank=True,
        help_text=_(
            "Optagelsens undertekstfil (.vtt). Upload filen nedenfor eller indsæt dens indhold her. Udskriften på "
            "siden laves ud fra den, med tider der linker til optagelsen."
        ),
    )
    # Derived from `captions` on clean and save: [{"start": seconds, "text": ...}], for the page and the snippets.
    transcript_cues = models.JSONField(_("udskriftens linjer"), default=list, blank=True, editable=False)
    transcript = models.TextField(
        _("udskrift"),
        blank=True,
        help_text=_("Udskriften som almindelig tekst. Er der undertekster, laves den ud fra dem."),
    )

    content_panels = [
        *OfferingPage.content_panels,
        FieldRowPanel([FieldPanel("start"), FieldPanel("duration")]),
        FieldPanel("status"),
        FieldPanel("audience"),
        FieldPanel("themes"),
        FieldPanel("organiser"),
        FieldPanel("contact_person"),
        InlinePanel("presenters", label=_("Oplægsholder"), heading=_("Oplægsholdere")),
        FieldPanel("join_url"),
        MultiFieldPanel(
            [
                FieldPanel("recording_url"),
                FieldPanel("slides"),
                FieldPanel("materials"),
                FieldPanel("captions_file"),
                FieldPanel("captions"),
                FieldPanel("transcript"),
            ],
            heading=_("Efter webinaret"),
        ),
    ]
    search_fields = [
        *OfferingPage.search_fields,
        index.SearchField("transcript"),
        index.RelatedFields("presenters", [index.RelatedFields("person", [index.SearchField("name")])]),
    ]
    api_fields = [
        *OfferingPage.api_fields,
        APIField("duration"),
        APIField("phase"),
        APIField("presenters"),
        APIField("join_url"),
        APIField("recording_url"),
        APIField("slides"),
        APIField("materials"),
        APIField("transcript"),
        APIField("transcript_cues"),
    ]

    class Meta:
        verbose_name = _("webinar")
        verbose_name_plural = _("webinarer")

    def derive_times(self) -> None:
        """A webinar is online, and ends `duration` minutes after its start."""
        self.attendance_mode = AttendanceMode.ONLINE
        if self.start and self.duration:
            self.end = self.ends_at

    def clean(self):
        errors = {}
        try:
            self.derive_transcript()
        except ValidationError as error:
            errors["captions"] = error.messages
        try:
            super().clean()
        except ValidationError as error:
            errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)

    def derive_transcript(self) -> None:
        """The cues and the plain transcript from the captions, when there are some (ValidationError if they are not
        WebVTT, and nothing changed); without captions, the transcript typed by hand stays."""
        if not self.captions.strip():
            self.captions, self.transcript_cues = "", []
            return
        cues = parse_captions(self.captions)
        self.transcript_cues = [cue.as_json() for cue in cues]
        self.transcript = "\n".join(cue.text for cue in cues)

    def full_clean(self, *args, **kwargs):
        self.derive_times()
        return super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        self.derive_times()
        self.derive_transcript()  # also for code that saves without cleaning: the cues follow the captions
        return super().save(*args, **kwargs)

    def transcript_lines(self) -> list[dict]:
        """The transcript's lines for the page: time label, link to that moment of the recording, anchor, text."""
        lines = []
        for number, data in enumerate(self.transcript_cues or [], start=1):
            cue = Cue(start=int(data["start"]), text=str(data["text"]))
            lines.append(
                {
                    "anchor": f"udskrift-{number}",
                    "label": moment_label(cue.start),
                    "seconds": cue.start,
                    "url": moment_url(self.recording_url, cue.start) if self.recording_url else "",
                    "text": cue.text,
                }
            )
        return lines

    @property
    def ends_at(self) -> dt.datetime:
        """Start plus duration in elapsed time (in UTC: local arithmetic would lose or gain the DST hour)."""
        return self.start.astimezone(dt.UTC) + dt.timedelta(minutes=self.duration)

    def get_phase(self, now: dt.datetime | None = None) -> Phase:
        now = now or timezone.now()
        if now < self.start:
            return Phase.UPCOMING
        return Phase.LIVE if now < self.ends_at else Phase.PAST


class WebinarPresenter(Orderable):
    page = ParentalKey(WebinarPage, on_delete=models.CASCADE, related_name="presenters")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(_("oplæg om"), max_length=200, blank=True)

    panels = [FieldPanel("person"), FieldPanel("topic")]
    api_fields = [APIField("person", serializer=PersonSerializer()), APIField("topic")]

    class Meta(Orderable.Meta):
        verbose_name = _("oplægsholder")
        verbose_name_plural = _("oplægsholdere")
