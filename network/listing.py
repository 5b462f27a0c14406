"""Filterable listings of offerings: one selector behind every listing, its filters read from GET parameters.

Bad values never raise: they are dropped with a Danish message. The number of queries does not grow with the offerings.
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
from .filters import Facet, facet, page_of, parse_kinds, parse_page, parse_themes, theme_facet

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

    @property
    def active_count(self) -> int:
        """How many filters are chosen, for the "Filtrér (N)" button: each theme and type, the period once, and "when"
        only where it is not the default (a period alone makes it "all" without being asked)."""
        implied = bool(self.date_from or self.date_to) and self.when == "all"
        chosen = [self.date_from or self.date_to, self.audience, self.format, self.region, self.q]
        return len(self.themes) + len(self.kinds) + sum(map(bool, chosen)) + (self.when != "upcoming" and not implied)


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
    filters.themes = parse_themes(params, themes, messages)
    unknown = _("Typen «%(kind)s» findes ikke her. Den er sprunget over.")
    filters.kinds = parse_kinds(params, allowed_kinds, messages, unknown=unknown)
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
    """Narrow by time, period, themes and free text: the filters that facets do not count. `when` overrides the
    filters' own (upcoming, past, all)."""
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
    """Title or introduction contains the word, whatever its case (also the Danish letters, which SQLite's LIKE does
    not fold)."""
    condition = Q()
    for variant in dict.fromkeys((word, word.lower(), word.upper(), word.capitalize())):
        condition |= Q(title__icontains=variant) | Q(intro__icontains=variant)
    return condition


# The facets counted from the grouped rows, in the order of the row's fields (DIMENSION_FIELDS).
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
    """A condition that holds for most rows: SQLite is told so (`likely()`) and walks the index in the order asked
    for; other databases get the plain condition."""

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
    """Grouped counts split into (upcoming, past) at `now`, and the earliest end among the upcoming: one query."""
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
    which only a publish, and with it a new content generation, can change)."""

    rows: Counter
    themes: Counter
    until: dt.datetime | None

    def valid_at(self, now: dt.datetime) -> bool:
        return self.until is None or now < self.until


def facet_counts(
    timeless: QuerySet, filters: ListingFilters, *, now: dt.datetime, kinds: list[str], cached: bool = True
) -> tuple[Counter, Counter]:
    """The dimension rows of the scope and the theme counts of the results, from the cache where it can. `timeless`:
    the scope without its time filter; `cached=False` for a scope the key cannot name (another base queryset)."""
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
    """The filtered, sorted, paginated listing with facet counts, for the offering kinds given: the themes, one
    grouped count, one of themes (see `facet_counts`) and the page of results, however many offerings."""
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
    page = page_of(paginator, parse_page(params, filters.messages), filters.messages)

    facets = [
        theme_facet(themes, theme_counts, filters.themes),
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
        models = OfferingPage.kinds()
        labels = [(kind, str(models[kind]._meta.verbose_name).capitalize()) for kind in kinds]
        facets.append(facet("type", _("Type"), labels, counts("type"), filters.kinds))
    for name, label, choices in (
        ("audience", _("Målgruppe"), Audience.choices),
        ("region", _("Region"), Region.choices),
    ):
        chosen_value = getattr(filters, name)
        options = [(value, str(text)) for value, text in choices]
        facets.append(facet(name, label, options, counts(name), {chosen_value} if chosen_value else set()))
    found = counts("format")
    format_counts = {value: sum(found.get(mode, 0) for mode in modes) for value, (_text, modes) in FORMATS.items()}
    formats = [(value, str(text)) for value, (text, _modes) in FORMATS.items()]
    facets.append(facet("format", _("Form"), formats, format_counts, {filters.format} if filters.format else set()))
    return facets
