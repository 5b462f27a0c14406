"""Reference data: Denmark's regions and municipalities, their libraries and groups of libraries."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.search import index


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
