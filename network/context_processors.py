from django.core.cache import cache

from wagtail.models import Site

from .caching import TTL, cache_key, content_generation


def site_navigation(request):
    """The main navigation: the home page's children shown in menus, evaluated lazily once per request and cached
    until a page changes (finding a page's children reads every descendant's path)."""

    def menu_pages():
        site = Site.find_for_request(request)
        if site is None:
            return []
        key = cache_key("menu", content_generation(), site.pk, site.root_page_id)
        pages = cache.get(key)
        if pages is None:
            pages = list(site.root_page.get_children().live().public().in_menu())
            cache.set(key, pages, TTL)
        return pages

    return {"menu_pages": menu_pages}
