"""Themes: the curated vocabulary, and the one table that links any page to its themes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from taggit.models import ItemBase, TagBase
from wagtail.admin.panels import FieldPanel

from network.danish import danish_slugify


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

    Filter through it (`tagged`, `page_ids`): taggit's `themes__` lookups join on an `id` page subclasses lack.
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

    @classmethod
    def page_ids(cls, theme: Theme):
        """The ids of the pages that carry the theme, as a subquery for `pk__in`."""
        return cls.objects.filter(tag=theme).values("content_object_id")
