"""What the listings, the theme pages and the search read alike from a request (themes, types, the page number), and
the facets they show. Nothing here raises on bad input: what cannot be used is dropped with a Danish message."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.http import QueryDict
from django.utils.translation import gettext as _

# The models' module, not the package: the listing pages (network.models.pages) import the listing, which imports this.
from .models.themes import Theme

MAX_PAGE_DIGITS = 6


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption]


def facet(name: str, label: str, choices: Iterable[tuple[str, str]], counts: Mapping[str, int], chosen) -> Facet:
    """The choices (value, label) that have results or are chosen, each with its count."""
    return Facet(name, label, [
        FacetOption(value, text, counts.get(value, 0), value in chosen)
        for value, text in choices if counts.get(value) or value in chosen
    ])  # fmt: skip


def theme_facet(themes: list[Theme], counts: Mapping[int, int], chosen: list[Theme]) -> Facet:
    """The themes that results carry or that are chosen, in the order given; `counts` by theme id."""
    picked = {theme.pk for theme in chosen}
    return Facet("theme", _("Tema"), [
        FacetOption(theme.slug, theme.name, counts.get(theme.pk, 0), theme.pk in picked)
        for theme in themes if counts.get(theme.pk) or theme.pk in picked
    ])  # fmt: skip


def param_values(params: QueryDict, name: str, *, limit: int | None = None) -> list[str]:
    """The values of a repeatable parameter: stripped, without empty ones and repeats, at most `limit`."""
    return list(dict.fromkeys(value.strip() for value in params.getlist(name) if value.strip()))[:limit]


def parse_themes(
    params: QueryDict, themes: list[Theme], messages: list[str], *, limit: int | None = None
) -> list[Theme]:
    """The themes the `theme` slugs name; an unknown slug is skipped with a message."""
    by_slug = {theme.slug: theme for theme in themes}
    found = []
    for slug in param_values(params, "theme", limit=limit):
        if slug in by_slug:
            found.append(by_slug[slug])
        else:
            messages.append(_("Temaet «%(slug)s» findes ikke. Det er sprunget over.") % {"slug": slug[:50]})
    return found


def parse_kinds(
    params: QueryDict, kinds: Collection[str], messages: list[str], *, unknown: str, limit: int | None = None
) -> list[str]:
    """The `type` values among `kinds`; any other is skipped with the message `unknown` (which names `%(kind)s`)."""
    found = []
    for kind in param_values(params, "type", limit=limit):
        if kind in kinds:
            found.append(kind)
        else:
            messages.append(unknown % {"kind": kind[:30]})
    return found


def parse_page(params: QueryDict, messages: list[str]) -> int:
    """The `page` number as written (1 when there is none); 1 with a message unless it is 1 or more, in up to six
    digits 0-9 (`"²".isdigit()` is true, and `int("٣")` is 3)."""
    raw = params.get("page", "").strip()
    if not raw:
        return 1
    if raw.isascii() and raw.isdigit() and len(raw) <= MAX_PAGE_DIGITS and int(raw) > 0:
        return int(raw)
    messages.append(_("Sidetallet «%(page)s» kunne ikke læses. Viser side 1.") % {"page": raw[:20]})
    return 1


def page_of(paginator: Paginator, number: int, messages: list[str]) -> Page:
    """Page `number` of the paginator, at least the first; past the last, the last, with a message if there are
    results."""
    if number > paginator.num_pages and paginator.count:
        messages.append(_("Side %(page)s findes ikke. Viser den sidste side.") % {"page": number})
    return paginator.page(min(max(number, 1), paginator.num_pages))
