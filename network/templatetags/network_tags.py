"""Template helpers for the public site: Danish dates and times, and listings without a query per item.

Dates and times are shown in Copenhagen time (the project's TIME_ZONE) with Danish month names
("23. marts 2023 kl. 9.00–15.30", "4.–5. april 2024"). Django's own date formatting supplies the month names in the
active language, so the helpers need no word lists of their own.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db.models import prefetch_related_objects
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from wagtail.models import Page, Site

from network.dates import format_day_span, format_range, format_time_span, local

register = template.Library()

# Which index page a kind of page is listed on, so the main navigation can mark it as the current section.
LISTED_ON = {
    "events.eventpage": "events.eventindexpage",
    "events.coursepage": "events.courseindexpage",
    "webinars.webinarpage": "webinars.webinarindexpage",
    "network.workinggrouppage": "network.workinggroupindexpage",
    "network.initiativepage": "network.initiativeindexpage",
    "network.organisationpage": "network.organisationindexpage",
}

# Related objects the offering card shows, prefetched per model in one query each.
CARD_RELATIONS = ("themes", "organiser")


# --- Dates and times -----------------------------------------------------------------------------------------


@register.filter
def moment(value):
    """One moment as text: "3. januar 2027 kl. 9.30" (English: "3 January 2027 at 9:30")."""
    return format_range(value) if value else ""


@register.simple_tag
def date_range(start, end=None, style="short"):
    """{% date_range page.start page.end %} -> "23. marts 2023 kl. 9.00–15.30" or "4.–5. april 2024"."""
    return format_range(start, end, style)


@register.simple_tag
def day_range(first, last=None):
    """{% day_range session.date session.end_date %} -> "14. september 2023" or "4.–5. april 2024"."""
    if first is None:
        return ""
    return format_day_span(first, last)


@register.simple_tag
def time_range(start, end=None):
    """{% time_range session.start_time session.end_time %} -> "kl. 9.00–15.30"."""
    return format_time_span(start, end)


@register.filter
def clock(value):
    """{{ item.start|clock }} -> "09.30": the time of a programme item."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = local(value)
    return f"{value.hour:02d}.{value.minute:02d}"


@register.filter
def minutes(value):
    """{{ page.duration|minutes }} -> "45 minutter", "1 time", "1 time og 30 minutter"."""
    try:
        total = int(value)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(total, 60)
    hour_text = ngettext("%(n)d time", "%(n)d timer", hours) % {"n": hours}
    minute_text = ngettext("%(n)d minut", "%(n)d minutter", rest) % {"n": rest}
    if not hours:
        return minute_text
    if not rest:
        return hour_text
    return _("%(hours)s og %(minutes)s") % {"hours": hour_text, "minutes": minute_text}


# --- Listings ------------------------------------------------------------------------------------------------


@register.filter
def model_name(obj):
    """{{ page|model_name }} -> "eventpage": which kind of page a specific page is, without a query."""
    meta = getattr(type(obj), "_meta", None)
    return meta.model_name if meta else ""


@register.filter
def select_related(queryset, fields):
    """{% for m in page.members.all|select_related:"person" %}: one query instead of one per item.

    Works on the in-memory querysets of previews as well (they ignore it).
    """
    if hasattr(queryset, "select_related"):
        return queryset.select_related(*[name.strip() for name in fields.split(",") if name.strip()])
    return queryset


def prefetch_for_cards(pages: Iterable) -> list:
    """The pages as a list, with the themes and organiser the offering card shows fetched in one query per kind.

    Pages whose relations are already fetched (select_related / prefetch_related in the view) cost nothing more.
    """
    pages = list(pages)
    by_model = defaultdict(list)
    for page in pages:
        by_model[type(page)].append(page)
    for model, group in by_model.items():
        names = {f.name for f in model._meta.get_fields()}
        relations = [name for name in CARD_RELATIONS if name in names]
        if relations and all(getattr(page, "pk", None) for page in group):
            prefetch_related_objects(group, *relations)
    return pages


def _phase_word(page, now: dt.datetime) -> str:
    """upcoming, running or past from the page's start and end ("" without them): when a card's badge changes."""
    start, end = getattr(page, "start", None), getattr(page, "end", None)
    if start is None or end is None:
        return ""
    return "upcoming" if now < start else ("running" if now < end else "past")


def _page_key(prefix: str, shared: tuple, page, now: dt.datetime) -> str:
    """The cache key of a page's rendered card or search result: it changes with the page's last publication, latest
    revision and phase (the badge), and with `shared` (the content generation, host, language, ...)."""
    from network.caching import cache_key

    return cache_key(prefix, *shared, page.pk, page.content_type_id, page.last_published_at, page.latest_revision_id,
                     _phase_word(page, now))  # fmt: skip


def _as_specific(pages: list) -> list:
    """The pages as instances of their own page type: those that are not yet are fetched, one query per type."""
    wanted = defaultdict(list)
    for page in pages:
        model = page.specific_class if getattr(page, "pk", None) else None
        if model is not None and type(page) is not model:
            wanted[model].append(page.pk)
    found = {}
    for model, ids in wanted.items():
        found.update((page.pk, page) for page in model.objects.filter(pk__in=ids).defer_streamfields())
    return [found.get(page.pk, page) for page in pages]


@register.simple_tag(takes_context=True)
def offering_cards(context, items):
    """{% offering_cards items %}: the cards of the pages, each in its <li>; each card rendered once and cached.

    A card's key (network.caching) holds the page's id, last publication and latest revision, its phase (the badge),
    the content generation (themes, organisers) and what the card is asked to show (`hide_intro`,
    `show_course_days`). Only the cards not in the cache are fetched as specific pages with their themes and
    organiser (one query per page type) and rendered, so a listing served from the cache makes no query per kind.
    """
    from django.core.cache import cache
    from django.utils.translation import get_language

    from network.caching import TTL, content_generation

    pages = list(items or [])
    if not pages:
        return ""
    request = context.get("request")
    # Previews show unsaved content under a saved page's id: rendered, never cached.
    cacheable = not getattr(request, "is_preview", False)
    shared = (
        content_generation() if cacheable else "",
        request.get_host() if request is not None else "",
        get_language(),
        bool(context.get("hide_intro")),
        bool(context.get("show_course_days")),
    )
    now = timezone.now()
    keys = [_page_key("card", shared, page, now) if cacheable and getattr(page, "pk", None) else None for page in pages]
    found = cache.get_many([key for key in keys if key])
    missing = [i for i, key in enumerate(keys) if key not in found]
    html = {}
    if missing:
        fresh = prefetch_for_cards(_as_specific([pages[i] for i in missing]))
        template = context.template.engine.get_template("includes/offering_card.html")
        for i, page in zip(missing, fresh, strict=True):
            with context.push(offering=page):
                html[i] = template.render(context)
        cache.set_many({keys[i]: html[i] for i in missing if keys[i]}, TTL)
    cards = (html[i] if i in html else found[key] for i, key in enumerate(keys))
    return mark_safe("".join(f"<li>{card}</li>" for card in cards))  # noqa: S308 - our own rendered templates


@register.simple_tag(takes_context=True)
def search_hits(context, hits):
    """{% search_hits results.hits %}: the search results (search.selectors.Hit), each in its <li>.

    What a result shows of its page whatever was searched for (the kind and date line with its badge, the link, the
    place and organiser) is rendered once and cached, keyed like an offering card; the title, snippet and themes,
    which mark the words searched for, are rendered for each search. (Dates, badges and links cost about 1 ms of a
    page of 20 results.)
    """
    from django.core.cache import cache

    from network.caching import TTL, content_generation

    hits = list(hits or [])
    if not hits:
        return ""
    request = context.get("request")
    shared = (content_generation(), request.get_host() if request is not None else "", get_language())
    now = timezone.now()
    keys = [_page_key("hit-parts", shared, hit.page, now) for hit in hits]
    found = cache.get_many(keys)
    engine = context.template.engine
    head, facts, result = (engine.get_template(f"search/{name}.html") for name in ("hit_head", "hit_facts", "hit"))
    fresh, items = {}, []
    for hit, key in zip(hits, keys, strict=True):
        if key not in found:
            with context.push(hit=hit):
                fresh[key] = found[key] = (head.render(context), hit.page.get_url(request), facts.render(context))
        page_head, url, page_facts = found[key]
        with context.push(hit=hit, head=page_head, url=url, facts=page_facts):
            items.append(f"<li>{result.render(context)}</li>")
    cache.set_many(fresh, TTL)
    return mark_safe("".join(items))  # noqa: S308 - our own rendered templates


@register.filter
def for_cards(pages):
    """{% for offering in offerings|for_cards %}: see `prefetch_for_cards`."""
    if pages is None:
        return []
    return prefetch_for_cards(pages)


@dataclass
class OfferingGroups:
    current: list = field(default_factory=list)
    ongoing: list = field(default_factory=list)
    past: list = field(default_factory=list)


@register.simple_tag
def offerings_by_time(offerings, now=None):
    """{% offerings_by_time offerings as groups %}: a section's offerings for its page.

    groups.current: not yet ended, soonest first; groups.past: ended, newest first; groups.ongoing: offerings
    without dates (working groups), by title.
    """
    now = now or timezone.now()
    groups = OfferingGroups()
    for page in prefetch_for_cards(offerings or []):
        end = getattr(page, "end", None) or (page.ends_at if hasattr(page, "ends_at") else None)
        start = getattr(page, "start", None)
        if start is None or end is None:
            groups.ongoing.append(page)
        elif end > now:
            groups.current.append(page)
        else:
            groups.past.append(page)
    groups.current.sort(key=lambda p: (p.start, p.pk))
    groups.past.sort(key=lambda p: (p.start, p.pk), reverse=True)
    groups.ongoing.sort(key=lambda p: p.title.lower())
    return groups


@register.simple_tag
def group_by_theme(pages):
    """{% group_by_theme past as by_theme %}: [(theme, [page, ...]), ...] by theme name; pages keep their order.

    A page appears under each of its themes. Pages without a theme come last, under `None`. Uses the prefetched
    themes (`prefetch_related("themes")`), so it costs no query per page.
    """
    pages = prefetch_for_cards(pages or [])
    themes = {}
    grouped = defaultdict(list)
    unthemed = []
    for page in pages:
        page_themes = list(page.themes.all())
        if not page_themes:
            unthemed.append(page)
        for theme in page_themes:
            themes[theme.pk] = theme
            grouped[theme.pk].append(page)
    result = [(themes[pk], grouped[pk]) for pk in sorted(themes, key=lambda pk: themes[pk].name.lower())]
    if unthemed:
        result.append((None, unthemed))
    return result


@register.simple_tag
def offerings_of(items):
    """{% offerings_of page.related_offerings.all as related %}: the live, public offerings the items point to.

    In the items' order, as specific pages, with what the offering card shows: a fixed number of queries.
    """
    ids = [item.offering_id for item in items]
    if not ids:
        return []
    pages = {page.pk: page for page in Page.objects.filter(pk__in=ids).live().public().specific()}
    return prefetch_for_cards(pages[pk] for pk in ids if pk in pages)


@register.simple_tag
def course_steps(sessions):
    """{% course_steps sessions as steps %}: [(session, number, label), ...] in order.

    Course days are numbered 1, 2, ... ("Kursusgang 2"); an activity is labelled by where it falls:
    before the first course day, between course days, or after the last.
    """
    sessions = list(sessions)
    day_positions = [i for i, session in enumerate(sessions) if session.is_course_day]
    steps = []
    number = 0
    for i, session in enumerate(sessions):
        if session.is_course_day:
            number += 1
            label = _("Kursusgang %(number)d") % {"number": number}
            steps.append((session, number, label))
            continue
        if not day_positions or day_positions[0] < i < day_positions[-1]:
            label = _("Mellem kursusgangene")
        elif i < day_positions[0]:
            label = _("Før første kursusgang")
        else:
            label = _("Efter sidste kursusgang")
        steps.append((session, None, label))
    return steps


# --- Navigation ----------------------------------------------------------------------------------------------


def _content_type_id(label: str) -> int | None:
    app_label, model = label.split(".")
    try:
        return ContentType.objects.get_by_natural_key(app_label, model).pk
    except ContentType.DoesNotExist:
        return None


@register.simple_tag
def nav_state(item, page):
    """{% nav_state p page as state %}: "page" for the current page, "true" for its section, "" otherwise.

    The section of an event, course, webinar, working group, initiative or organisation is the index page that
    lists it. ContentType lookups are cached, so this costs no query per menu item.
    """
    if page is None or item is None or not getattr(page, "pk", None):
        return ""
    if item.pk == page.pk:
        return "page"
    meta = type(page)._meta
    index_label = LISTED_ON.get(f"{meta.app_label}.{meta.model_name}")
    if index_label:
        # A course below an initiative belongs to "Kurser", not to "Indsatser": one current section only.
        return "true" if item.content_type_id == _content_type_id(index_label) else ""
    if page.path.startswith(item.path) and page.depth > item.depth:
        return "true"
    return ""


@register.simple_tag
def index_page(pages, label):
    """{% index_page nav_pages "events.eventindexpage" as events_index %}: the menu page of that kind, or None.

    Looks among pages already fetched (the main navigation), so it costs no query.
    """
    type_id = _content_type_id(label.lower())
    for page in pages or []:
        if page.content_type_id == type_id:
            return page
    return None


# --- Themes --------------------------------------------------------------------------------------------------


@register.simple_tag
def theme_url(theme):
    """{% theme_url theme %}: where a theme links to: its theme page. Change it here only."""
    return _theme_path(theme.slug, get_language(), get_urlconf(), get_script_prefix())


@lru_cache(maxsize=1024)
def _theme_path(slug: str, language: str | None, urlconf, script_prefix: str) -> str:
    """A theme page's path, reversed once per language and URL configuration (a page of search results links about
    60 themes)."""
    return reverse("theme", args=[slug], urlconf=urlconf)


@register.filter
def any_selected(options) -> bool:
    """True if one of a facet's options is chosen."""
    return any(option.selected for option in options)


@register.simple_tag(takes_context=True)
def offering_jsonld(context, page):
    """{% offering_jsonld page %}: the schema.org description of an offering as a <script> element."""
    from django.utils.html import json_script
    from django.utils.safestring import mark_safe

    from network.jsonld import offering_jsonld as build

    script = json_script(build(page, context.get("request"), context.get("registration")), element_id=None)
    # json_script escapes <, > and & inside the JSON, so swapping the type attribute keeps it safe.
    return mark_safe(script.replace('type="application/json"', 'type="application/ld+json"', 1))  # noqa: S308


@register.simple_tag
def related_offerings(page):
    """{% related_offerings page as related %}: other offerings sharing the most themes with this one."""
    from network.selectors import related_offerings as select

    return select(page)


# --- SEO -----------------------------------------------------------------------------------------------------


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """{% canonical_url as canonical %}: the full address search engines should index this view under.

    A Wagtail page's own full URL (the site's root URL, not the host asked for); any other view's path on the site.
    The query is only what makes the view another page: `canonical_query` from the view (a listing's single theme,
    a page number), never the filters that carry noindex. Empty without a request (error pages).
    """
    request = context.get("request")
    if request is None:
        return ""
    page = context.get("page")
    if isinstance(page, Page) and page.pk:
        url = page.get_full_url(request)
    else:
        site = Site.find_for_request(request)
        url = (site.root_url if site else request.build_absolute_uri("/").rstrip("/")) + request.path
    if not url:
        return ""
    query = context.get("canonical_query") or ""
    return f"{url}?{query}" if query else url


MAX_QUERY_IN_LINKS = 1000


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The current page in each interface language: [{code, name, url, current}], for the language switch."""
    from django.conf import settings
    from django.urls import translate_url
    from django.utils.translation import get_language

    request = context.get("request")
    path = request.path if request else "/"
    query = request.META.get("QUERY_STRING", "") if request else ""
    if query and len(query) <= MAX_QUERY_IN_LINKS:  # the same filtered view in the other language
        path = f"{path}?{query}"
    current = get_language()
    return [
        {"code": code, "name": name, "url": translate_url(path, code), "current": code == current}
        for code, name in settings.LANGUAGES
    ]
