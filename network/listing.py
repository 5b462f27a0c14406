"""Filterable listings of offerings: one selector behind every listing and theme page.

The filters are GET parameters, so each filtered view is a stable URL:
`theme` (repeatable slug), `type`, `when` (upcoming|past), `from`, `to` (ISO dates), `audience`, `format`
(fysisk|online), `region`, `q`, `page`. Bad values never raise: they are dropped with a clear Danish message.
The number of queries does not depend on the number of offerings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AttendanceMode, Audience, OfferingPage, PageTheme, Region, Theme

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200
FILTER_PARAMS = ("theme", "type", "when", "from", "to", "audience", "format", "region", "q")
FORMATS = {
    "fysisk": (gettext_lazy("Fysisk fremmøde"), [AttendanceMode.ON_SITE, AttendanceMode.HYBRID]),
    "online": (gettext_lazy("Online"), [AttendanceMode.ONLINE, AttendanceMode.HYBRID]),
}


def offering_kinds() -> dict[str, type[OfferingPage]]:
    """The `type` values of the listings and the page models they stand for."""
    from events.models import CoursePage, EventPage
    from webinars.models import WebinarPage

    return {"event": EventPage, "course": CoursePage, "webinar": WebinarPage}


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

    @property
    def messages(self) -> list[str]:
        return self.filters.messages


def _parse_date(value: str, name: str, messages: list[str]) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        messages.append(_("Datoen «%(value)s» i «%(name)s» kunne ikke læses. Skriv den som ÅÅÅÅ-MM-DD.") % {
            "value": value[:20], "name": name,
        })  # fmt: skip
        return None


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
    q = " ".join(params.get("q", "").split())
    if len(q) > MAX_QUERY_LENGTH:
        messages.append(_("Søgeteksten var for lang og er forkortet til %(n)s tegn.") % {"n": MAX_QUERY_LENGTH})
        q = q[:MAX_QUERY_LENGTH]
    filters.q = q
    return filters


def apply_filters(queryset: QuerySet, filters: ListingFilters, *, now: dt.datetime, skip: str = "") -> QuerySet:
    """The queryset narrowed by every filter except `skip` (used for facet counts)."""
    kinds = offering_kinds()
    if filters.when == "upcoming":
        queryset = queryset.filter(end__gt=now)
    elif filters.when == "past":
        queryset = queryset.filter(end__lte=now)
    if filters.date_from:
        queryset = queryset.filter(end__gt=_start_of_day(filters.date_from))
    if filters.date_to:
        queryset = queryset.filter(start__lt=_start_of_day(filters.date_to + dt.timedelta(days=1)))
    if filters.themes and skip != "theme":
        # Every chosen theme must be present (narrowing, as users expect from ticking more themes).
        for theme in filters.themes:
            queryset = queryset.filter(pk__in=PageTheme.objects.filter(tag=theme).values("content_object_id"))
    if filters.kinds and skip != "type":
        content_types = ContentType.objects.get_for_models(
            *(kinds[k] for k in filters.kinds), for_concrete_models=False
        )
        queryset = queryset.filter(content_type__in=list(content_types.values()))
    if filters.audience and skip != "audience":
        queryset = queryset.filter(audience=filters.audience)
    if filters.format and skip != "format":
        queryset = queryset.filter(attendance_mode__in=FORMATS[filters.format][1])
    if filters.region and skip != "region":
        queryset = queryset.filter(region=filters.region)
    if filters.q:
        words = filters.q.split()[:10]
        for word in words:
            queryset = queryset.filter(Q(title__icontains=word) | Q(intro__icontains=word))
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


def offering_listing(
    params: QueryDict,
    *,
    kinds: list[str],
    now: dt.datetime | None = None,
    base: QuerySet | None = None,
    page_size: int = PAGE_SIZE,
) -> Listing:
    """The filtered, sorted, paginated listing with facet counts, for the offering kinds given."""
    now = now or timezone.now()
    all_kinds = offering_kinds()
    themes = list(Theme.objects.order_by("name"))
    filters = parse_filters(params, allowed_kinds=kinds, themes=themes)
    if base is None:
        base = OfferingPage.objects.live().public()
    content_types = ContentType.objects.get_for_models(*(all_kinds[k] for k in kinds), for_concrete_models=False)
    kind_by_ct = {ct.pk: kind for kind, ct in ((k, content_types[all_kinds[k]]) for k in kinds)}
    base = base.filter(content_type__in=list(kind_by_ct))

    results = apply_filters(base, filters, now=now)
    order = ("-start", "-pk") if filters.when == "past" else ("start", "pk")
    results = results.order_by(*order)

    # Specific pages (one query per kind on the page) without their StreamFields, which cards do not show.
    paginator = Paginator(results.defer_streamfields().specific(), page_size)
    raw_page = params.get("page", "1").strip()
    number = int(raw_page) if raw_page.isdigit() and len(raw_page) < 7 else 1
    if raw_page and not (raw_page.isdigit() and len(raw_page) < 7):
        filters.messages.append(_("Sidetallet «%(page)s» kunne ikke læses. Viser side 1.") % {"page": raw_page[:20]})
    if number > paginator.num_pages:
        filters.messages.append(
            _("Side %(page)s findes ikke. Viser den sidste side.") % {"page": number} if paginator.count else ""
        )
        number = paginator.num_pages
    page = paginator.page(max(number, 1))

    facets = _facets(base, filters, now=now, themes=themes, kinds=kinds, kind_by_ct=kind_by_ct)
    filters.messages[:] = [m for m in filters.messages if m]
    single_theme_only = [k for k in FILTER_PARAMS if params.getlist(k) and any(v.strip() for v in params.getlist(k))]
    noindex = bool(single_theme_only) and not (single_theme_only == ["theme"] and len(filters.themes) == 1)
    noindex = noindex or bool(params.get("page", "").strip() not in ("", "1") and single_theme_only)
    return Listing(
        filters=filters,
        page=page,
        count=paginator.count,
        facets=facets,
        noindex=noindex,
        querystring=_querystring(params),
    )


def _facets(base, filters: ListingFilters, *, now, themes, kinds, kind_by_ct) -> list[Facet]:
    """Counts per filter value over the results of every *other* filter; values that occur only."""
    facets = []

    theme_rows = dict(
        PageTheme.objects.filter(content_object__in=apply_filters(base, filters, now=now).values("pk"))
        .values_list("tag_id")
        .annotate(n=Count("id"))
    )
    chosen = {t.pk for t in filters.themes}
    facets.append(Facet("theme", _("Tema"), [
        FacetOption(t.slug, t.name, theme_rows.get(t.pk, 0), t.pk in chosen)
        for t in themes if theme_rows.get(t.pk) or t.pk in chosen
    ]))  # fmt: skip

    if len(kinds) > 1:
        rows = dict(
            apply_filters(base, filters, now=now, skip="type")
            .order_by()
            .values_list("content_type_id")
            .annotate(n=Count("pk"))
        )
        labels = offering_kinds()
        facets.append(Facet("type", _("Type"), [
            FacetOption(kind, str(labels[kind]._meta.verbose_name).capitalize(), rows.get(ct, 0), kind in filters.kinds)
            for ct, kind in kind_by_ct.items() if rows.get(ct) or kind in filters.kinds
        ]))  # fmt: skip

    for name, label, choices in (
        ("audience", _("Målgruppe"), Audience.choices),
        ("region", _("Region"), Region.choices),
    ):
        rows = dict(
            apply_filters(base, filters, now=now, skip=name).order_by().values_list(name).annotate(n=Count("pk"))
        )
        current = getattr(filters, name)
        facets.append(Facet(name, label, [
            FacetOption(value, str(text), rows.get(value, 0), value == current)
            for value, text in choices if rows.get(value) or value == current
        ]))  # fmt: skip

    rows = dict(
        apply_filters(base, filters, now=now, skip="format")
        .order_by()
        .values_list("attendance_mode")
        .annotate(n=Count("pk"))
    )
    facets.append(Facet("format", _("Form"), [
        FacetOption(value, str(text), sum(rows.get(m, 0) for m in modes), value == filters.format)
        for value, (text, modes) in FORMATS.items()
        if sum(rows.get(m, 0) for m in modes) or value == filters.format
    ]))  # fmt: skip
    return facets
