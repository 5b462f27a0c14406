"""sitemap.xml: every live, public page (Wagtail's sitemap) and every theme page at /tema/<slug>/."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from .models import Theme


class ThemeSitemap(Sitemap):
    """The theme pages (network.views.theme_detail), which are views, not Wagtail pages."""

    def items(self):
        return Theme.objects.order_by("name").only("slug")

    def location(self, theme: Theme) -> str:
        return reverse("theme", args=[theme.slug])


SITEMAPS = {"pages": PageSitemap, "themes": ThemeSitemap}
