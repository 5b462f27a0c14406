"""The site search: events, courses, webinars, working groups and initiatives, by free text, theme, type, time, region.

How a search runs (a fixed number of queries, whatever the number of results):

1. The filters that narrow (theme, time, region, type) go into the queryset handed to the search backend, as
   `id__in` subqueries on PageTheme and OfferingPage and a `content_type__in`, which every backend understands
   (the database backends as SQL, Elasticsearch as `terms` filters). The results are therefore exact.
2. The backend returns the ids of the matching live, public pages, most relevant first, at most
   `CANDIDATE_LIMIT` (1,000). Every word must match; when nothing does and there are several words, the search
   is run again for any of them, and the page says so.
3. Facet counts, the date order and the page of results are computed with the ORM over those ids. The theme
   facet counts themes among the results (ticking another theme narrows, as on the listings); the type facet
   counts types among the results of every filter but the type. The database backends' own `facet()` is not used:
   it miscounts once a tag filter is applied.
4. The page of results is fetched as specific pages with their themes and organiser, from the cache or in one
   query per kind, and each gets a highlighted snippet from its own fields.

The cap: when more than 1,000 pages match, facet counts and the date order consider the 1,000 most relevant, and the
page says so. Such a ranking is kept in the cache for the content generation (`_ranking`), so paging through it does
not rank the whole site again. Without free text (filters only) there is no backend query and no cap: the ORM does
it all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import DatabaseError, transaction
from django.db.models import Count, F
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from network.caching import TTL, cache_key, content_generation
from network.models import InitiativePage, OfferingPage, PageTheme, Region, Theme, WorkingGroupPage

from . import analysis
from .highlight import highlight, plain_text, snippet, stream_text
from .query import SearchParams, parse_search_params, querystring

logger = logging.getLogger(__name__)

CANDIDATE_LIMIT = 1000
PAGE_SIZE = 20
AUTOCOMPLETE_LIMIT = 8


def search_kinds() -> dict[str, type[Page]]:
    """The `type` values of the search and the page models they stand for, in the order the facet shows them."""
    from events.models import CoursePage, EventPage
    from webinars.models import WebinarPage

    return {
        "webinar": WebinarPage,
        "course": CoursePage,
        "event": EventPage,
        "workinggroup": WorkingGroupPage,
        "initiative": InitiativePage,
    }


def kind_labels() -> dict[str, str]:
    return {kind: capfirst(str(model._meta.verbose_name)) for kind, model in search_kinds().items()}


def _content_types() -> dict[str, int]:
    """kind -> content type id (ContentType's cache makes this free after the first call)."""
    models = search_kinds()
    types = ContentType.objects.get_for_models(*models.values(), for_concrete_models=False)
    return {kind: types[model].pk for kind, model in models.items()}


def searchable_pages():
    """Every live, public page of the kinds the search covers."""
    return Page.objects.live().public().filter(content_type__in=sorted(_content_types().values()))


def restrict(queryset, params: SearchParams, *, now: dt.datetime, skip: tuple[str, ...] = ()):
    """The queryset narrowed by the filters (except those in `skip`), in lookups every search backend can take."""
    for theme in params.themes if "theme" not in skip else ():
        # Every chosen theme must be present. Through PageTheme: taggit's `themes__` lookups break on these models.
        queryset = queryset.filter(id__in=PageTheme.objects.filter(tag=theme).values("content_object_id"))
    if params.when == "upcoming":
        queryset = queryset.filter(id__in=OfferingPage.objects.filter(end__gt=now).values("pk"))
    elif params.when == "past":
        queryset = queryset.filter(id__in=OfferingPage.objects.filter(end__lte=now).values("pk"))
    if params.region:
        queryset = queryset.filter(id__in=OfferingPage.objects.filter(region=params.region).values("pk"))
    if params.kinds and "type" not in skip:
        types = _content_types()
        queryset = queryset.filter(content_type__in=sorted(types[kind] for kind in params.kinds))
    return queryset


def guarded():
    """Where a query the backend may refuse runs: in a savepoint inside a transaction, so that a failure does not
    spoil the transaction for what comes after; as it is outside one. (Not in a transaction of its own: on SQLite a
    transaction takes the write lock at BEGIN here, see the settings. The PostgreSQL backend opens one for its
    planner settings, see `search.backends.postgres_danish`.)"""
    return transaction.atomic() if transaction.get_connection().in_atomic_block else contextlib.nullcontext()


def ranked_matches(queryset, q: str, *, operator: str = "and") -> list[tuple[int, int]]:
    """(page id, content type id) of the pages matching `q`, most relevant first, at most CANDIDATE_LIMIT."""
    with guarded():
        results = queryset.only("id", "content_type_id").search(q, operator=operator, order_by_relevance=True)
        results = results[:CANDIDATE_LIMIT]
        # Ids without a model instance per match where the backend can (1,000 page instances cost ~140 ms):
        if hasattr(results, "ranked_pks_and_types"):  # the Danish database backends
            return results.ranked_pks_and_types()
        return [(page.pk, page.content_type_id) for page in results]  # Elasticsearch


# --- Results -----------------------------------------------------------------------------------------------------


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


@dataclass
class Hit:
    page: Page  # the specific page, without its StreamFields or related objects
    organiser: str  # the organiser's name, or ""
    kind: str
    kind_label: str
    title: SafeString
    snippet: SafeString | None
    themes: list[tuple[Theme, bool]]  # (theme, matched the query)


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
    regions: list[tuple[str, str]] = field(default_factory=list)

    @property
    def messages(self) -> list[str]:
        return self.params.messages

    @property
    def querystring(self) -> str:
        """The search without `page`, for pagination links."""
        return querystring(self.params)

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
            ranking = _ranking(base, parsed, now=now)
            matches, type_matches, results.any_word = ranking.matches, ranking.type_matches, ranking.any_word
        except DatabaseError:  # a backend that cannot take the query: say so, never a 500
            logger.exception("Search failed for %r", parsed.q)
            results.failed = True
            parsed.messages.append(_("Søgningen kunne ikke gennemføres. Prøv igen med andre ord."))
            return results
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

    paginator = Paginator(ordered, page_size)
    number = parsed.page
    if number > paginator.num_pages:
        if paginator.count:
            parsed.messages.append(_("Side %(page)s findes ikke. Viser den sidste side.") % {"page": number})
        number = paginator.num_pages
    results.page = paginator.page(number)
    results.count = paginator.count
    results.hits = _hits(list(results.page.object_list), parsed, labels, themes)
    results.facets = _facets(matched_ids, parsed, themes, labels, type_counts)
    if results.any_word:
        parsed.messages.append(_("Ingen sider indeholdt alle ordene. Her er sider med mindst ét af dem."))
    if results.capped:
        parsed.messages.append(
            _("Der er mange resultater. Tal og datosortering gælder de %(n)s mest relevante. Tilføj flere ord.")
            % {"n": CANDIDATE_LIMIT}
        )
    return results


@dataclass(frozen=True)
class Ranking:
    """What the backend found for a search: its matches and those of every type (see `_ranked_with_kinds`), and
    whether they have any word rather than all of them."""

    matches: list[tuple[int, int]]
    type_matches: list[tuple[int, int]]
    any_word: bool = False


def _ranking(base, params: SearchParams, *, now: dt.datetime) -> Ranking:
    """The ranked matches of every word, or when no page has them all, of any word.

    A ranking that reaches the cap (`CANDIDATE_LIMIT` pages) is kept in the cache for the content generation: the
    backend ranks every match to find the best 1,000, and a query that matches most of the site (20,000 pages:
    30-40 ms on the database backends) would be ranked again for each page of its results, each sort by date and
    each time it is asked. A smaller ranking costs less than its cache entry would. Rankings of any word are not kept
    either: a made-up word beside a common one makes such a ranking, and each made-up word would take a cache entry.

    From the cache, the pages that are no longer live or public are left out (one query by primary key): with the
    local-memory cache, another worker's unpublish is seen when its entries expire.

    Only for the database backends: Elasticsearch finds the best matches without ranking every one, and shows a
    change only after its refresh (a second later), so a ranking cached at once would miss it until it expired.
    """
    if not (settings.SEARCH_CACHE_RANKINGS and ranks_every_match()):
        return _rank(base, params, now=now)
    key = cache_key(
        "search-ranking", content_generation(), params.q, sorted(theme.pk for theme in params.themes),
        sorted(params.kinds), params.when, params.region,
        now.replace(second=0, microsecond=0) if params.when != "all" else None,  # "upcoming" and "past" move on
    )  # fmt: skip
    cached = cache.get(key)
    if cached is not None:
        matches, type_matches = cached
        shown = set(base.filter(pk__in={pk for pk, _ct in (*matches, *type_matches)}).values_list("pk", flat=True))
        return Ranking([m for m in matches if m[0] in shown], [m for m in type_matches if m[0] in shown])
    ranking = _rank(base, params, now=now)
    if not ranking.any_word and max(len(ranking.matches), len(ranking.type_matches)) >= CANDIDATE_LIMIT:
        cache.set(key, (ranking.matches, ranking.type_matches), TTL)  # (pickled once when they are the same list)
    return ranking


def ranks_every_match() -> bool:
    """Whether the search backend ranks every match to find the best (the Danish database backends do)."""
    from .backends.common import RankedResultsMixin

    return issubclass(get_search_backend().results_class, RankedResultsMixin)


def _rank(base, params: SearchParams, *, now: dt.datetime) -> Ranking:
    matches, type_matches = _ranked_with_kinds(base, params, now=now, operator="and")
    if not matches and len(params.terms) > 1:
        any_matches, any_type_matches = _ranked_with_kinds(base, params, now=now, operator="or")
        if any_matches:
            return Ranking(any_matches, any_type_matches, any_word=True)
    return Ranking(matches, type_matches)


def _ranked_with_kinds(base, params: SearchParams, *, now: dt.datetime, operator: str):
    """(matches, matches of every type): the ranked matches of the search, and of the search without its type
    filter, which the type facet counts.

    With a type filter and fewer matches of every type than the cap, the matches are those of every type that have
    a chosen type, in the same order (a page's score does not depend on the other pages the query allows): one
    search instead of two.
    """
    if not params.kinds:
        matches = ranked_matches(restrict(base, params, now=now), params.q, operator=operator)
        return matches, matches
    type_matches = ranked_matches(restrict(base, params, now=now, skip=("type",)), params.q, operator=operator)
    if len(type_matches) < CANDIDATE_LIMIT:
        types = _content_types()
        wanted = {types[kind] for kind in params.kinds}
        return [match for match in type_matches if match[1] in wanted], type_matches
    return ranked_matches(restrict(base, params, now=now), params.q, operator=operator), type_matches


def _by_date(queryset, params: SearchParams):
    """Page ids by date: the offering's start, else when the page was first published. Upcoming: soonest first."""
    dated = queryset.annotate(sort_date=Coalesce(F("offeringpage__start"), F("first_published_at")))
    if params.when == "upcoming":
        dated = dated.order_by(F("sort_date").asc(nulls_last=True), "pk")
    else:
        dated = dated.order_by(F("sort_date").desc(nulls_last=True), "-pk")
    return dated.values_list("pk", flat=True)


def _facets(matched_ids, params: SearchParams, themes: list[Theme], labels: dict[str, str], type_counts) -> list[Facet]:
    theme_counts = dict(
        PageTheme.objects.filter(content_object_id__in=matched_ids)
        .values_list("tag_id")
        .annotate(n=Count("tag"))  # not "id": the (page, theme) index answers alone (PostgreSQL: 0.6 ms, not 3.7)
        .order_by()
    )
    chosen = {theme.pk for theme in params.themes}
    theme_facet = Facet("theme", _("Tema"), [
        FacetOption(t.slug, t.name, theme_counts.get(t.pk, 0), t.pk in chosen)
        for t in themes if theme_counts.get(t.pk) or t.pk in chosen
    ])  # fmt: skip
    types = _content_types()
    type_facet = Facet("type", _("Type"), [
        FacetOption(kind, label, type_counts.get(types[kind], 0), kind in params.kinds)
        for kind, label in labels.items() if type_counts.get(types[kind]) or kind in params.kinds
    ])  # fmt: skip
    return [type_facet, theme_facet]


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


# --- Hits --------------------------------------------------------------------------------------------------------


@dataclass
class HitPage:
    """What a result shows of a page, whatever was searched for: kept in the cache (see `_hit_pages`)."""

    page: Page  # the specific page alone: its StreamFields deferred, no related objects (those it shows are below)
    texts: list[str]  # the plain texts a snippet is cut from, in order
    theme_ids: list[int]
    organiser: str  # the organiser's name, or ""


def _hit_pages(page_ids: list[int]) -> dict[int, HitPage]:
    """The pages of `page_ids` with what a hit shows.

    Each is kept in the cache, keyed like an offering card on the content generation, the page's id, last
    publication and latest revision, so a result page whose hits were shown before costs one query, not one per
    page type and relation. What is cached is small, so it is quick to read back: the page without its StreamFields
    or related objects, and beside it the text of its body and sessions (what snippets are cut from), its themes'
    ids and its organiser's name.
    """
    base = list(Page.objects.filter(pk__in=page_ids).only("content_type_id", "last_published_at", "latest_revision_id"))
    generation = content_generation()
    keys = {
        page.pk: cache_key("search-hit", generation, page.pk, page.content_type_id, page.last_published_at,
                           page.latest_revision_id)
        for page in base
    }  # fmt: skip
    found = cache.get_many(list(keys.values()))
    hit_pages = {pk: found[key] for pk, key in keys.items() if key in found}
    wanted: dict[type[Page], list[int]] = {}
    for page in base:
        if page.pk not in hit_pages:
            wanted.setdefault(page.specific_class or Page, []).append(page.pk)
    if not wanted:
        return hit_pages
    fresh, bodies = [], {}
    for model, ids in wanted.items():
        queryset = model.objects.filter(pk__in=ids)
        if any(field.name == "body" and isinstance(field, StreamField) for field in model._meta.concrete_fields):
            bodies.update(queryset.values_list("pk", "body"))
        fresh.extend(queryset.defer_streamfields())
    theme_ids: dict[int, list[int]] = {page.pk: [] for page in fresh}
    for page_id, theme_id in PageTheme.objects.filter(content_object_id__in=theme_ids).values_list(
        "content_object_id", "tag_id"
    ):
        theme_ids[page_id].append(theme_id)
    organiser_ids = {getattr(page, "organiser_id", None) for page in fresh} - {None}
    organisers = dict(Page.objects.filter(pk__in=organiser_ids).values_list("pk", "title")) if organiser_ids else {}
    sessions = _course_sessions([page for page in fresh if hasattr(page, "sessions")])
    made = {
        page.pk: HitPage(
            page,
            _snippet_texts(page, bodies.get(page.pk), sessions.get(page.pk, [])),
            theme_ids[page.pk],
            organisers.get(getattr(page, "organiser_id", None), ""),
        )
        for page in fresh
    }
    cache.set_many({keys[pk]: hit_page for pk, hit_page in made.items()}, TTL)
    return hit_pages | made


def _hits(page_ids: list[int], params: SearchParams, labels: dict[str, str], themes: list[Theme]) -> list[Hit]:
    """The page of results as specific pages in order, with what the result shows: a fixed number of queries.
    `themes`: every theme, by name."""
    if not page_ids:
        return []
    kind_by_model = {model: kind for kind, model in search_kinds().items()}
    hit_pages = _hit_pages(page_ids)
    stems = params.stems
    theme_matches = {  # whether the query names the theme: once per theme, not once per hit
        theme.pk: any(_text_matches(text, stems) for text in (theme.name, *theme.synonym_list)) for theme in themes
    }
    hits = []
    for hit_page in (hit_pages[pk] for pk in page_ids if pk in hit_pages):
        page = hit_page.page
        kind = kind_by_model.get(type(page), "")
        matched_themes = [(theme, theme_matches[theme.pk]) for theme in themes if theme.pk in hit_page.theme_ids]
        hits.append(
            Hit(
                page=page,
                organiser=hit_page.organiser,
                kind=kind,
                kind_label=labels.get(kind, capfirst(str(page._meta.verbose_name))),
                title=highlight(page.title, stems),
                snippet=_snippet(hit_page, stems, matched_themes),
                themes=matched_themes,
            )
        )
    return hits


def _text_matches(text: str, stems: frozenset[str]) -> bool:
    from .highlight import word_matches

    return bool(stems) and any(word_matches(word, stems) for word in analysis.WORD_RE.findall(text))


def _course_sessions(courses: list) -> dict[int, list]:
    """The sessions of the courses by page id, in their order, in one query (not attached to the pages, which are
    cached alone)."""
    if not courses:
        return {}
    from events.models import CourseSession

    sessions: dict[int, list] = {}
    for session in CourseSession.objects.filter(page__in=courses):
        sessions.setdefault(session.page_id, []).append(session)
    return sessions


def _snippet_texts(page, body, sessions: list) -> list[str]:
    """The page's texts a snippet may be cut from, as plain text: intro, transcript or purpose, body, a course's
    sessions, venue."""
    sources = [getattr(page, "intro", "")]
    for name in ("transcript", "purpose"):
        sources.append(getattr(page, name, "") or "")
    if body is not None:
        sources.extend(stream_text(getattr(body, "raw_data", [])))
    for session in sessions:
        sources.extend((session.title, session.goals, session.description, session.venue_name, session.city))
    for name in ("venue_name", "city"):
        sources.append(getattr(page, name, "") or "")
    return [text for text in map(plain_text, sources) if text]


def _snippet(hit_page: HitPage, stems: frozenset[str], matched_themes) -> SafeString | None:
    found = snippet(hit_page.texts, stems, html=False)
    if found:
        return found
    for theme, matched in matched_themes:
        if matched:
            names = [name for name in theme.synonym_list if _text_matches(name, stems)]
            label = _("Tema: %(theme)s") % {"theme": theme.name}
            if names:
                label += " (" + _("også kaldt %(names)s") % {"names": ", ".join(names)} + ")"
            return highlight(label, stems)
    intro = plain_text(getattr(hit_page.page, "intro", ""))
    return highlight(intro, stems) if intro else None


# --- Autocomplete ------------------------------------------------------------------------------------------------


def autocomplete(q: str, *, limit: int = AUTOCOMPLETE_LIMIT) -> list[dict]:
    """Suggestions for the search box: matching themes, then pages whose title starts with what was typed, then
    pages found by the full search. Title, URL and kind; at most `limit`."""
    text = " ".join(analysis.clean(q or "").split())[:100]
    words = analysis.prefix_words(text)
    if not words or len("".join(words)) < 2:
        return []
    from django.urls import reverse

    labels = kind_labels()
    kind_by_ct = {ct: kind for kind, ct in _content_types().items()}
    suggestions: list[dict] = []
    for theme in Theme.objects.order_by("name"):
        names = [" ".join(analysis.words(name)) for name in (theme.name, *theme.synonym_list)]
        if any(_starts_words(name, words) for name in names):
            suggestions.append({
                "title": theme.name,
                "url": f"{reverse('search')}?{querystring(SearchParams(), theme=[theme.slug])}",
                "kind": "theme",
                "kind_label": _("Tema"),
            })  # fmt: skip
        if len(suggestions) >= 2:
            break
    seen: set[int] = set()
    pages = []
    fields = ("id", "title", "url_path", "content_type_id")
    try:
        with guarded():
            pages.extend(searchable_pages().only(*fields).autocomplete(text)[:limit])
            if len(pages) < limit and analysis.query_terms(text):
                pages.extend(searchable_pages().only(*fields).search(text)[:limit])
    except DatabaseError:
        logger.exception("Autocomplete failed for %r", text)
    for page in pages:
        if page.pk in seen or len(suggestions) >= limit:
            continue
        seen.add(page.pk)
        kind = kind_by_ct.get(page.content_type_id, "")
        suggestions.append(
            {"title": page.title, "url": page.get_url(), "kind": kind, "kind_label": labels.get(kind, "")}
        )
    return suggestions[:limit]


def _starts_words(name: str, words: list[str]) -> bool:
    """Every typed word is a word of the name, the last one as a prefix: "verdens" -> "verdensmål"."""
    name_words = name.split()
    *whole, prefix = words
    return all(word in name_words for word in whole) and any(w.startswith(prefix) for w in name_words)
