from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from wagtail.models import Site

from .caching import TTL, cache_key, content_generation
from .models import AccessibilityStatementPage, StandardPage


def _site_pages(request) -> tuple[list, list]:
    """(menu, footer): the home page's live children shown in menus, and its standard pages and accessibility
    statement for the footer; one query, cached until a page changes (finding children reads every descendant's
    path)."""
    site = Site.find_for_request(request)
    if site is None:
        return [], []
    key = cache_key("menu-footer", content_generation(), site.pk, site.root_page_id, get_language())
    found = cache.get(key)
    if found is None:
        children = list(site.root_page.get_children().live().public())
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            # With translated page trees, each item in the interface's language where it has a translation; the
            # others stay Danish and the templates mark them lang="da".
            children = [page.localized for page in children]
        footer_types = {model._meta.label_lower for model in (StandardPage, AccessibilityStatementPage)}
        footer = [page for page in children if page.specific_class._meta.label_lower in footer_types]
        found = ([page for page in children if page.show_in_menus], footer)
        cache.set(key, found, TTL)
    return found


def site_navigation(request):
    """The main navigation and the footer's links, evaluated lazily once per request."""
    memo = {}

    def pages():
        if "pages" not in memo:
            memo["pages"] = _site_pages(request)
        return memo["pages"]

    return {"menu_pages": lambda: pages()[0], "footer_pages": lambda: pages()[1]}
