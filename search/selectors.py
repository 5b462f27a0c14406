"""The site search of events, courses, webinars, working groups and initiatives, in a fixed number of queries: the
backend ranks (search.ranking), the ORM counts the facets and orders by date, search.hits makes the results."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.db.models import Count, F
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.models import Page

from network.filters import Facet, facet, page_of, theme_facet
from network.models import PageTheme, Region, Theme
from webinars.models import WebinarIndexPage, WebinarPage

from . import analysis
from .hits import Hit, build_hits
from .query import SearchParams, parse_search_params, querystring
from .ranking import rank
from .scope import content_types, kind_labels, restrict, searchable_pages
from .suggest import did_you_mean

logger = logging.getLogger(__name__)

CANDIDATE_LIMIT = 1000
PAGE_SIZE = 20


@dataclass
class SearchResults:
    params: SearchParams
    hits: list[Hit] = field(default_factory=list)
    page: PaginatorPage | None = None
    count: int = 0
    facets: list[Facet] = field(default_factory=list)
    capped: bool = False
    any_word: bool = False  # no page had every word; these have at least one
    failed: bool = False
    suggested_themes: list[Theme] = field(default_factory=list)
    did_you_mean: str | None = None  # the query with its unknown words corrected, when too little was found
    regions: list[tuple[str, str]] = field(default_factory=list)

    @property
    def messages(self) -> list[str]:
        return self.params.messages

    @property
    def querystring(self) -> str:
        """The search without `page`, for pagination links."""
        return querystring(self.params)

    @property
    def querystring_did_you_mean(self) -> str:
        return querystring(self.params, q=self.did_you_mean)

    @property
    def querystring_relevance(self) -> str:
        return querystring(self.params, sort="")

    @property
    def querystring_date(self) -> str:
        return querystring(self.params, sort="date")

    @property
    def searched(self) -> bool:
        return not self.params.is_empty


def search_pages(params: QueryDict, *, now: dt.datetime | None = None, page_size: int = PAGE_SIZE) -> SearchResults:
    """Run the search a request asks for. Never raises for what a user can type."""
    now = now or timezone.now()
    themes = list(Theme.objects.order_by("name"))
    labels = kind_labels()
    parsed = parse_search_params(params, kinds=labels, themes=themes)
    results = SearchResults(params=parsed, regions=list(Region.choices))
    if not parsed.terms and not parsed.has_filters:
        return results  # nothing asked, or nothing of it usable (the message says so)
    results.suggested_themes = _suggested_themes(parsed, themes)

    base = searchable_pages()
    if parsed.terms:
        try:
            ranking = rank(base, parsed, now=now, limit=CANDIDATE_LIMIT)
        except DatabaseError:  # a backend that cannot take the query: say so, never a 500
            logger.exception("Search failed for %r", parsed.q)
            results.failed = True
            parsed.messages.append(_("Søgningen kunne ikke gennemføres. Prøv igen med andre ord."))
            return results
        matches, type_matches, results.any_word = ranking.matches, ranking.type_matches, ranking.any_word
        results.capped = len(matches) >= CANDIDATE_LIMIT or len(type_matches) >= CANDIDATE_LIMIT
        ids = [pk for pk, _ct in matches]
        matched = Page.objects.filter(pk__in=ids)
        matched_ids = ids  # the facets count the themes of these pages by their ids, without the page table
        type_counts = Counter(ct for _pk, ct in type_matches)
        ordered = ids if parsed.sort == "relevance" else _by_date(matched, parsed)
    else:
        matched = restrict(base, parsed, now=now)
        matched_ids = matched.order_by().values("pk")
        type_counts = Counter(
            dict(
                restrict(base, parsed, now=now, skip=("type",))
                .order_by()
                .values_list("content_type_id")
                .annotate(n=Count("pk"))
            )
        )
        ordered = _by_date(matched, parsed)

    results.page = page_of(Paginator(ordered, page_size), parsed.page, parsed.messages)
    results.count = results.page.paginator.count
    results.hits = build_hits(list(results.page.object_list), parsed.stems, labels, themes)
    results.facets = _facets(matched_ids, parsed, themes, labels, type_counts)
    if results.count == 0 or results.any_word:
        results.did_you_mean = did_you_mean(parsed)
    if results.any_word:
        parsed.messages.append(_("Ingen sider indeholdt alle ordene. Her er sider med mindst ét af dem."))
    if results.capped:
        parsed.messages.append(
            _("Der er mange resultater. Tal og datosortering gælder de %(n)s mest relevante. Tilføj flere ord.")
            % {"n": CANDIDATE_LIMIT}
        )
    return results


@dataclass
class SearchStart:
    """What the search page offers before a search, and when one finds nothing: the themes and the past webinars."""

    themes: list[Theme]
    webinars: list[WebinarPage]
    archive_url: str | None  # the webinars' listing of past ones


START_WEBINARS = 4


def search_start(*, now: dt.datetime | None = None) -> SearchStart:
    """The themes and the newest past webinars (three queries)."""
    now = now or timezone.now()
    webinars = list(WebinarPage.objects.past(now).defer_streamfields()[:START_WEBINARS])
    index = WebinarIndexPage.objects.live().public().first()
    archive_url = f"{index.url}?{urlencode({'when': 'past'})}" if index else None
    return SearchStart(themes=list(Theme.objects.order_by("name")), webinars=webinars, archive_url=archive_url)


def _by_date(queryset, params: SearchParams):
    """Page ids by date: the offering's start, else when the page was first published. Upcoming: soonest first."""
    dated = queryset.annotate(sort_date=Coalesce(F("offeringpage__start"), F("first_published_at")))
    if params.when == "upcoming":
        dated = dated.order_by(F("sort_date").asc(nulls_last=True), "pk")
    else:
        dated = dated.order_by(F("sort_date").desc(nulls_last=True), "-pk")
    return dated.values_list("pk", flat=True)


def _facets(matched_ids, params: SearchParams, themes: list[Theme], labels: dict[str, str], type_counts) -> list[Facet]:
    """The type facet (counted over the results of every filter but the type) and the theme facet (over the
    results)."""
    theme_counts = dict(
        PageTheme.objects.filter(content_object_id__in=matched_ids)
        .values_list("tag_id")
        .annotate(n=Count("tag"))  # not "id": the (page, theme) index answers alone
        .order_by()
    )
    types = content_types()
    kind_counts = {kind: type_counts.get(types[kind], 0) for kind in labels}
    type_facet = facet("type", _("Type"), labels.items(), kind_counts, params.kinds)
    return [type_facet, theme_facet(themes, theme_counts, params.themes)]


def _suggested_themes(params: SearchParams, themes: list[Theme]) -> list[Theme]:
    """Themes whose name or a synonym is what was typed, to offer as a filter."""
    wanted = " ".join(analysis.words(params.q))
    chosen = {theme.pk for theme in params.themes}
    return [
        theme
        for theme in themes
        if theme.pk not in chosen
        and any(" ".join(analysis.words(name)) == wanted for name in (theme.name, *theme.synonym_list))
    ]
