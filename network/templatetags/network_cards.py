"""Offering cards and the listings made of them, without a query per item; the cards are cached."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django import template
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.html import json_script
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from wagtail.models import Page

from network import jsonld, selectors
from network.caching import TTL, content_generation, page_key

register = template.Library()

# Related objects the offering card shows, prefetched per model in one query each.
CARD_RELATIONS = ("themes", "organiser")

# What a card says about registration changes with every seat taken, so it is not in the cached card: the card holds
# this slot, filled per request by the providers the apps that know registration add (events, in its AppConfig.ready;
# network imports no other app). A provider takes the shown pages and returns {page pk: safe html}, in a fixed number
# of queries for all of them.
CARD_STATE_SLOT = "<!--card-state-->"
CARD_STATE_PROVIDERS: list[Callable[[list], dict[int, str]]] = []


def register_card_state(provider: Callable[[list], dict[int, str]]) -> None:
    if provider not in CARD_STATE_PROVIDERS:
        CARD_STATE_PROVIDERS.append(provider)


def card_states(pages: list) -> dict[int, str]:
    """{page pk: html} of the providers for the pages shown (previews' unsaved pages have no pk: none)."""
    saved = [page for page in pages if getattr(page, "pk", None)]
    states: dict[int, str] = {}
    if saved:
        for provider in CARD_STATE_PROVIDERS:
            for pk, html in provider(saved).items():
                states[pk] = states.get(pk, "") + html
    return states


def fill_card_state(html: str, page, states: dict[int, str]) -> str:
    return html.replace(CARD_STATE_SLOT, states.get(getattr(page, "pk", None), ""), 1)


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

    Only the cards not in the cache are fetched as specific pages with their themes and organiser, and rendered.
    """
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
    keys = [page_key("card", shared, page, now) if cacheable and getattr(page, "pk", None) else None for page in pages]
    found = cache.get_many([key for key in keys if key])
    missing = [i for i, key in enumerate(keys) if key not in found]
    html = {}
    if missing:
        fresh = prefetch_for_cards(_as_specific([pages[i] for i in missing]))
        card = context.template.engine.get_template("includes/offering_card.html")
        for i, page in zip(missing, fresh, strict=True):
            with context.push(offering=page):
                html[i] = card.render(context)
        cache.set_many({keys[i]: html[i] for i in missing if keys[i]}, TTL)
    states = card_states(pages)
    cards = (fill_card_state(html[i] if i in html else found[key], pages[i], states) for i, key in enumerate(keys))
    return mark_safe("".join(f"<li>{card}</li>" for card in cards))  # noqa: S308 - our own rendered templates


@dataclass
class OfferingGroups:
    current: list = field(default_factory=list)
    ongoing: list = field(default_factory=list)
    past: list = field(default_factory=list)


@register.simple_tag
def offerings_by_time(offerings, now=None):
    """{% offerings_by_time offerings as groups %}: a section's offerings for its page.

    groups.current: not yet ended, soonest first; groups.past: ended, newest first; groups.ongoing: without dates.
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
def offerings_of(items):
    """{% offerings_of page.related_offerings.all as related %}: the live, public offerings the items point to.

    In the items' order, as specific pages, with what the offering card shows: a fixed number of queries.
    """
    ids = [item.offering_id for item in items]
    if not ids:
        return []
    pages = {page.pk: page for page in Page.objects.filter(pk__in=ids).live().public().specific()}
    return prefetch_for_cards(pages[pk] for pk in ids if pk in pages)


@register.simple_tag(takes_context=True)
def offering_jsonld(context, page):
    """{% offering_jsonld page %}: the schema.org description of an offering as a <script> element."""
    data = jsonld.offering_jsonld(page, context.get("request"), context.get("registration"))
    script = json_script(data, element_id=None)
    # json_script escapes <, > and & inside the JSON, so swapping the type attribute keeps it safe.
    return mark_safe(script.replace('type="application/json"', 'type="application/ld+json"', 1))  # noqa: S308


@register.simple_tag
def related_offerings(page):
    """{% related_offerings page as related %}: other offerings sharing the most themes with this one."""
    return selectors.related_offerings(page)
