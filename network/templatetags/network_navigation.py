"""The main navigation and its current section, links to themes, the canonical address and the language switch."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import get_script_prefix, get_urlconf, reverse, translate_url
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

from wagtail.coreutils import resolve_model_string
from wagtail.models import Page, Site, TranslatableMixin

from network.models import IndexPage, ListingIndexPage, OfferingPage

register = template.Library()

MAX_QUERY_IN_LINKS = 1000


# --- Navigation ----------------------------------------------------------------------------------------------


def _listed_by(index: type[IndexPage], kinds: dict[str, str]) -> list[str]:
    """The page types (app_label.modelname) an index page lists: its offering kinds, or the page types it declares."""
    if issubclass(index, ListingIndexPage):
        return [kinds[kind] for kind in index.listing_kinds if kind in kinds]
    declared = getattr(index, "listed_page_types", None) or getattr(index, "subpage_types", None) or []
    return [resolve_model_string(name)._meta.label_lower for name in declared]


@lru_cache(maxsize=1)
def listed_on() -> dict[str, str]:
    """Page type -> the index page type that lists it (both "app_label.modelname"), from what the index pages declare.

    Of two indexes listing a type, the one listing fewer wins: a course belongs to "Kurser", not to "Arrangementer".
    """
    kinds = {kind: model._meta.label_lower for kind, model in OfferingPage.kinds().items()}
    best: dict[str, tuple[int, str]] = {}
    for index in apps.get_models():
        if not issubclass(index, IndexPage):
            continue
        listed = _listed_by(index, kinds)
        for label in listed:
            candidate = (len(listed), index._meta.label_lower)
            best[label] = min(best.get(label, candidate), candidate)
    return {label: index_label for label, (_, index_label) in best.items()}


def _content_type_id(label: str) -> int | None:
    app_label, model = label.split(".")
    try:
        return ContentType.objects.get_by_natural_key(app_label, model).pk
    except ContentType.DoesNotExist:
        return None


@register.simple_tag
def nav_state(item, page):
    """{% nav_state p page as state %}: "page" for the current page, "true" for its section, "" otherwise.

    A page an index lists (`listed_on`) belongs to that index's section; any other to the menu page above it.
    """
    if page is None or item is None or not getattr(page, "pk", None):
        return ""
    if item.pk == page.pk:
        return "page"
    meta = type(page)._meta
    index_label = listed_on().get(f"{meta.app_label}.{meta.model_name}")
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
    """A theme page's path, reversed once per language and URL configuration (a page of results links many themes)."""
    return reverse("theme", args=[slug], urlconf=urlconf)


@register.filter
def any_selected(options) -> bool:
    """True if one of a facet's options is chosen."""
    return any(option.selected for option in options)


# --- Language of the content -----------------------------------------------------------------------------------


def content_language(obj=None) -> str:
    """The language an object's own texts (title, intro, body, name) are written in: its Wagtail locale's where the
    site keeps translated page trees (WAGTAIL_I18N_ENABLED), else the site's language, Danish. Without translated
    trees /en/ serves the same Danish pages with the interface in English."""
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False) and isinstance(obj, TranslatableMixin) and obj.locale_id:
        return obj.locale.language_code
    return settings.LANGUAGE_CODE


@register.simple_tag
def content_lang(obj=None):
    """{% content_lang page %} inside a tag: ` lang="da"` where the object's texts are in another language than the
    interface around them (WCAG 3.1.2, so a screen reader reads Danish titles as Danish under /en/); else nothing."""
    language = content_language(obj)
    if language.split("-")[0] == (get_language() or settings.LANGUAGE_CODE).split("-")[0]:
        return ""
    return format_html(' lang="{}"', language)


@register.simple_tag
def nav_title(page):
    """{% nav_title p %}: a menu, footer or breadcrumb link's text in the interface's language. A Danish page's
    title under /en/ is translated where the catalogue has it (the site's fixed pages: "Arrangementer" is
    "Events"), else kept Danish in <span lang="da">."""
    language = content_language(page)
    if language.split("-")[0] == (get_language() or settings.LANGUAGE_CODE).split("-")[0]:
        return page.title
    translated = gettext(page.title)
    if translated != page.title:
        return translated
    return format_html('<span lang="{}">{}</span>', language, page.title)


# --- SEO -----------------------------------------------------------------------------------------------------


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """{% canonical_url as canonical %}: the full address search engines should index this view under.

    A page's own full URL, or the view's path on the site; the query only from the view's `canonical_query`.
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


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The current page in each interface language: [{code, name, url, current}], for the language switch."""
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
