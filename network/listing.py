"""Filterable listings of offerings: one selector behind every listing and theme page.

The filters are GET parameters, so each filtered view is a stable URL:
`theme` (repeatable slug), `type`, `when` (upcoming|past), `from`, `to` (ISO dates), `audience`, `format`
(fysisk|online), `region`, `q`, `page`. Bad values never raise: they are dropped with a clear Danish message.
The number of queries does not depend on the number of offerings.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import BooleanField, Count, ExpressionWrapper, Func, Min, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .caching import TTL, cache_key, content_generation

# The models' modules, not the package: the listing pages (network.models.pages) import this module.
from .models.offerings import AttendanceMode, Audience, OfferingPage, ahead_at
from .models.places import Region
from .models.themes import PageTheme, Theme

PAGE_SIZE = 20
# Dates are held within these years: nothing is offered outside them, and the extremes overflow date arithmetic.
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2999, 12, 31)
MAX_QUERY_LENGTH = 200
FILTER_PARAMS = ("theme", "type", "when", "from", "to", "audience", "format", "region", "q")
FORMATS = {
    "fysisk": (gettext_lazy("Fysisk fremmøde"), [AttendanceMode.ON_SITE, AttendanceMode.HYBRID]),
    "online": (gettext_lazy("Online"), [AttendanceMode.ONLINE, AttendanceMode.HYBRID]),
}


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
class ListingFilters:
    themes: list[Theme] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    when: str = "upcoming"
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    audience: str = ""
    format: str = ""
    region: str = ""
    q: str = ""
    messages: list[str] = field(default_factory=list)

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.themes or self.kinds or self.date_from or self.date_to or self.audience or self.format
        ) or bool(self.region or self.q or self.when != "upcoming")


@dataclass
class Listing:
    filters: ListingFilters
    page: object  # a Paginator page of OfferingPage rows
    count: int
    facets: list[Facet]
    noindex: bool
    querystring: str  # the filters without `page`, for pagination links
    canonical_query: str = ""  # what the canonical URL keeps: a single theme and the page number, if indexable

    @property
    def messages(self) -> list[str]:
        return self.filters.messages


def _parse_date(value: str, name: str, messages: list[str]) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        messages.append(_("Datoen «%(value)s» i «%(name)s» kunne ikke læses. Skriv den som ÅÅÅÅ-MM-DD.") % {
            "value": value[:20], "name": name,
        })  # fmt: skip
        return None
    return min(max(day, FIRST_DATE), LAST_DATE)


def parse_filters(params: QueryDict, *, allowed_kinds: list[str], themes: list[Theme]) -> ListingFilters:
    """Read the GET parameters; drop what cannot be used and say why, in Danish."""
    filters = ListingFilters()
    messages = filters.messages
    by_slug = {theme.slug: theme for theme in themes}
    for slug in dict.fromkeys(params.getlist("theme")):
        slug = slug.strip()
        if not slug:
            continue
        if slug in by_slug:
            filters.themes.append(by_slug[slug])
        else:
            messages.append(_("Temaet «%(slug)s» findes ikke. Det er sprunget over.") % {"slug": slug[:50]})
    for kind in dict.fromkeys(params.getlist("type")):
        if kind in allowed_kinds:
            filters.kinds.append(kind)
        elif kind.strip():
            messages.append(_("Typen «%(kind)s» findes ikke her. Den er sprunget over.") % {"kind": kind[:30]})
    when = params.get("when", "upcoming").strip() or "upcoming"
    if when in ("upcoming", "past", "all"):
        filters.when = when
    else:
        messages.append(_("«%(when)s» er ikke et gyldigt tidspunkt. Viser kommende.") % {"when": when[:30]})
    filters.date_from = _parse_date(params.get("from", ""), "fra", messages)
    filters.date_to = _parse_date(params.get("to", ""), "til", messages)
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        messages.append(_("Fra-datoen ligger efter til-datoen. Datoerne er byttet om."))
        filters.date_from, filters.date_to = filters.date_to, filters.date_from
    if filters.date_from or filters.date_to:
        # An explicit period replaces "upcoming": the dates decide.
        filters.when = "all" if "when" not in params else filters.when
    for name, choices in (("audience", Audience.values), ("format", list(FORMATS)), ("region", Region.values)):
        value = params.get(name, "").strip()
        if value in choices:
            setattr(filters, name, value)
        elif value:
            messages.append(_("Værdien «%(value)s» kan ikke bruges som filter. Den er sprunget over.") % {
                "value": value[:30],
            })  # fmt: skip
    q = " ".join("".join(ch for ch in params.get("q", "") if ch.isprintable() or ch.isspace()).split())
    if len(q) > MAX_QUERY_LENGTH:
        messages.append(_("Søgeteksten var for lang og er forkortet til %(n)s tegn.") % {"n": MAX_QUERY_LENGTH})
        q = q[:MAX_QUERY_LENGTH]
    filters.q = q
    return filters


def apply_scope(queryset: QuerySet, filters: ListingFilters, *, now: dt.datetime, when: str | None = None) -> QuerySet:
    """Narrow by time, period, themes and free text: the filters that facets do not count.

    `when` overrides the filters' own (upcoming, past, all).
    """
    when = when or filters.when
    if when == "upcoming":
        queryset = queryset.ahead(now)
    elif when == "past":
        queryset = queryset.ended(now)
    if filters.date_from:
        queryset = queryset.ahead(_start_of_day(filters.date_from))
    if filters.date_to:
        queryset = queryset.filter(start__lt=_start_of_day(filters.date_to + dt.timedelta(days=1)))
    for theme in filters.themes:
        # Every chosen theme must be present (narrowing, as users expect from ticking more themes).
        queryset = queryset.tagged(theme)
    for word in filters.q.split()[:10]:
        queryset = queryset.filter(_contains_word(word))
    return queryset


def _contains_word(word: str) -> Q:
    """Title or introduction contains the word, whatever its case.

    SQLite's LIKE folds only ASCII letters, so the Danish letters are matched in their usual cases too.
    """
    condition = Q()
    for variant in dict.fromkeys((word, word.lower(), word.upper(), word.capitalize())):
        condition |= Q(title__icontains=variant) | Q(intro__icontains=variant)
    return condition


# The facet dimensions: filter name -> (model field, values a filter value stands for).
DIMENSIONS = ("type", "audience", "region", "format")


def _dimension_values(filters: ListingFilters) -> dict[str, set[str]]:
    """For each dimension with a filter, the stored values that pass it."""
    chosen = {}
    if filters.kinds:
        chosen["type"] = set(filters.kinds)
    if filters.audience:
        chosen["audience"] = {filters.audience}
    if filters.region:
        chosen["region"] = {filters.region}
    if filters.format:
        chosen["format"] = {str(mode) for mode in FORMATS[filters.format][1]}
    return chosen


def apply_dimensions(queryset: QuerySet, filters: ListingFilters) -> QuerySet:
    fields = {"type": "kind", "audience": "audience", "region": "region", "format": "attendance_mode"}
    for name, values in _dimension_values(filters).items():
        queryset = queryset.filter(**{f"{fields[name]}__in": sorted(values)})
    return queryset


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _querystring(params: QueryDict) -> str:
    kept = QueryDict(mutable=True)
    for name in FILTER_PARAMS:
        values = [v for v in params.getlist(name) if v.strip()]
        if values:
            kept.setlist(name, values[:10])
    return kept.urlencode()


class CountedPaginator(Paginator):
    """A paginator told its count (computed with the facets), so it does not run its own COUNT query."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


class Likely(Func):
    """A condition that holds for most rows. SQLite is told so (`likely()`), so that it walks an index in the order
    asked for instead of sorting every row found by a more selective-looking one; other databases get the plain
    condition."""

    function = "likely"
    output_field = BooleanField()
    conditional = True

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, **extra_context)


DIMENSION_FIELDS = ("kind", "audience", "region", "attendance_mode")


def _dimension_rows(queryset: QuerySet) -> tuple[Counter, dt.datetime | None]:
    """(kind, audience, region, attendance_mode) -> how many offerings, and the earliest end among them: one query."""
    grouped = queryset.order_by().values_list(*DIMENSION_FIELDS).annotate(n=Count("pk"), first_end=Min("end"))
    rows, ends = Counter(), []
    for *key, n, first_end in grouped:
        rows[tuple(key)] = n
        ends.append(first_end)
    return rows, min(ends, default=None)


def _theme_counts(queryset: QuerySet) -> Counter:
    """Theme id -> how many of the offerings carry it: one grouped query."""
    return Counter(
        dict(
            PageTheme.objects.filter(content_object__in=queryset.order_by().values("pk"))
            .values_list("tag_id")
            .annotate(n=Count("id"))
            .order_by()
        )
    )


def _split_by_time(queryset: QuerySet, fields: tuple[str, ...], count: str, *, now: dt.datetime):
    """Grouped counts of the queryset split into (upcoming, past) at `now`, and the earliest end among the upcoming
    ones, in one query."""
    upcoming, past, ends = Counter(), Counter(), []
    ahead = ExpressionWrapper(ahead_at(now), output_field=BooleanField())
    grouped = (
        queryset.order_by()
        .annotate(_ahead=ahead)
        .values_list(*fields, "_ahead")
        .annotate(n=Count(count), first_end=Min("end"))
    )
    for *key, is_upcoming, n, first_end in grouped:
        if is_upcoming:
            ends.append(first_end)
        if None not in key:
            (upcoming if is_upcoming else past)[tuple(key) if len(key) > 1 else key[0]] += n
    return upcoming, past, min(ends, default=None)


@dataclass
class UpcomingCounts:
    """Facet counts of the upcoming offerings, exact until the first of them ends (`until`; None: none is upcoming,
    and only a publish, which starts a new content generation, can change that)."""

    rows: Counter
    themes: Counter
    until: dt.datetime | None

    def valid_at(self, now: dt.datetime) -> bool:
        return self.until is None or now < self.until


def facet_counts(
    timeless: QuerySet, filters: ListingFilters, *, now: dt.datetime, kinds: list[str], cached: bool = True
) -> tuple[Counter, Counter]:
    """The dimension rows of the scope, and the theme counts of the results (the scope under the dimension filters).

    `timeless` is the scope without its time filter. Two counts are cached until the content changes
    (network.caching): those of *all* offerings in the scope, which do not depend on the time, and those of the
    upcoming ones, which hold until the first of them ends (the time is then past that offering's end). Past is all
    minus upcoming. A listing served from the cache counts nothing; one that is not makes two queries, as before.
    `cached=False` for a scope the key cannot name (a listing over another base queryset).
    """
    parts = (
        sorted(kinds), [t.pk for t in filters.themes], filters.date_from, filters.date_to, filters.q,
        sorted((k, sorted(v)) for k, v in _dimension_values(filters).items()),
    )  # fmt: skip
    generation = content_generation() if cached else ""
    totals_key, upcoming_key = cache_key("facets", generation, *parts), cache_key("upcoming", generation, *parts)
    found = cache.get_many([totals_key, upcoming_key]) if cached else {}
    totals, upcoming = found.get(totals_key), found.get(upcoming_key)
    if upcoming is not None and not upcoming.valid_at(now):
        upcoming = None
    if totals is None and filters.when != "upcoming":
        # One pass over everything in scope, split at `now`: both the totals and the upcoming counts.
        rows_ahead, rows_behind, until = _split_by_time(timeless, DIMENSION_FIELDS, "pk", now=now)
        results = apply_dimensions(timeless, filters)
        themes_ahead, themes_behind, _ = _split_by_time(results, ("theme_links__tag_id",), "theme_links", now=now)
        totals = (rows_ahead + rows_behind, themes_ahead + themes_behind)
        upcoming = UpcomingCounts(rows_ahead, themes_ahead, until)
        if cached:
            cache.set_many({totals_key: totals, upcoming_key: upcoming}, TTL)
    elif upcoming is None and filters.when != "all":
        upcoming_scope = timeless.ahead(now)
        rows, until = _dimension_rows(upcoming_scope)
        upcoming = UpcomingCounts(rows, _theme_counts(apply_dimensions(upcoming_scope, filters)), until)
        if cached:
            cache.set(upcoming_key, upcoming, TTL)
    if filters.when == "upcoming":
        return upcoming.rows, upcoming.themes
    if filters.when == "all":
        return totals
    return totals[0] - upcoming.rows, totals[1] - upcoming.themes


def _passes(row: tuple, chosen: dict[str, set[str]], skip: str = "") -> bool:
    """Whether a (kind, audience, region, attendance_mode) row passes the dimension filters, bar `skip`."""
    return all(row[DIMENSIONS.index(name)] in values for name, values in chosen.items() if name != skip)


def offering_listing(
    params: QueryDict,
    *,
    kinds: list[str],
    now: dt.datetime | None = None,
    base: QuerySet | None = None,
    page_size: int = PAGE_SIZE,
) -> Listing:
    """The filtered, sorted, paginated listing with facet counts, for the offering kinds given.

    Queries: the themes, one grouped count over the scope (it gives the result count and the counts of type,
    audience, region and format), one for the theme counts (see `facet_counts`), and the page of results. However
    many offerings.
    """
    now = now or timezone.now()
    themes = list(Theme.objects.order_by("name"))
    filters = parse_filters(params, allowed_kinds=kinds, themes=themes)
    cached = base is None  # the cached counts are of every published offering
    if base is None:
        base = OfferingPage.objects.live().public()
    timeless = apply_scope(base.of_kinds(kinds), filters, now=now, when="all")
    dimension_rows, theme_counts = facet_counts(timeless, filters, now=now, kinds=kinds, cached=cached)
    rows = [(*key, n) for key, n in dimension_rows.items()]
    chosen = _dimension_values(filters)
    count = sum(row[-1] for row in rows if _passes(row, chosen))
    scope = apply_scope(base, filters, now=now)
    if filters.when == "past":
        # Newest first: walk the start index back from now (what has ended has started) rather than sort every
        # past offering; several kinds are most of the rows, which SQLite is told.
        scope = scope.filter(start__lte=now)
        scope = scope.filter(Likely(Q(kind__in=kinds))) if len(kinds) > 1 else scope.of_kinds(kinds)
    else:
        scope = scope.of_kinds(kinds)
    results = apply_dimensions(scope, filters)
    order = ("-start", "-pk") if filters.when == "past" else ("start", "pk")

    # Offering rows without their StreamFields, which cards do not show. The cards fetch the specific pages they
    # need (one query per kind) only for cards that are not cached (`offering_cards`).
    paginator = CountedPaginator(results.order_by(*order).defer_streamfields(), page_size, count=count)
    raw_page = params.get("page", "1").strip() or "1"
    readable = raw_page.isascii() and raw_page.isdigit() and len(raw_page) < 7
    number = int(raw_page) if readable else 1
    if not readable:
        filters.messages.append(_("Sidetallet «%(page)s» kunne ikke læses. Viser side 1.") % {"page": raw_page[:20]})
    if number > paginator.num_pages and count:
        filters.messages.append(_("Side %(page)s findes ikke. Viser den sidste side.") % {"page": number})
    number = min(max(number, 1), paginator.num_pages)
    page = paginator.page(number)

    facets = [
        _theme_facet(theme_counts, filters, themes),
        *_dimension_facets(rows, chosen, filters, kinds),
    ]
    used = [k for k in FILTER_PARAMS if any(v.strip() for v in params.getlist(k))]
    noindex = bool(used) and not (used == ["theme"] and len(filters.themes) == 1)
    canonical = QueryDict(mutable=True)
    if not noindex:
        if filters.themes:
            canonical["theme"] = filters.themes[0].slug
        if page.number > 1:
            canonical["page"] = str(page.number)
    return Listing(
        filters=filters,
        page=page,
        count=count,
        facets=facets,
        noindex=noindex,
        querystring=_querystring(params),
        canonical_query=canonical.urlencode(),
    )


def _theme_facet(counts: Counter, filters: ListingFilters, themes: list[Theme]) -> Facet:
    """How many of the results carry each theme (themes narrow, so these are the counts a tick would give)."""
    chosen = {t.pk for t in filters.themes}
    return Facet("theme", _("Tema"), [
        FacetOption(t.slug, t.name, counts.get(t.pk, 0), t.pk in chosen)
        for t in themes if counts.get(t.pk) or t.pk in chosen
    ])  # fmt: skip


def _dimension_facets(rows, chosen, filters: ListingFilters, kinds: list[str]) -> list[Facet]:
    """Type, audience, region and format: each counted over the results of every *other* filter."""

    def counts(name: str) -> dict[str, int]:
        index = DIMENSIONS.index(name)
        totals: dict[str, int] = {}
        for row in rows:
            if _passes(row, chosen, skip=name):
                totals[row[index]] = totals.get(row[index], 0) + row[-1]
        return totals

    facets = []
    if len(kinds) > 1:
        labels, found = OfferingPage.kinds(), counts("type")
        facets.append(Facet("type", _("Type"), [
            FacetOption(kind, str(labels[kind]._meta.verbose_name).capitalize(), found.get(kind, 0),
                        kind in filters.kinds)
            for kind in kinds if found.get(kind) or kind in filters.kinds
        ]))  # fmt: skip
    for name, label, choices in (
        ("audience", _("Målgruppe"), Audience.choices),
        ("region", _("Region"), Region.choices),
    ):
        found, current = counts(name), getattr(filters, name)
        facets.append(Facet(name, label, [
            FacetOption(value, str(text), found.get(value, 0), value == current)
            for value, text in choices if found.get(value) or value == current
        ]))  # fmt: skip
    found = counts("format")
    facets.append(Facet("format", _("Form"), [
        FacetOption(value, str(text), sum(found.get(m, 0) for m in modes), value == filters.format)
        for value, (text, modes) in FORMATS.items()
        if sum(found.get(m, 0) for m in modes) or value == filters.format
    ]))  # fmt: skip
    return facets
