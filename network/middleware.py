"""The Wagtail site of a request, from the cache: kept per host and port for a content generation (saving a Site
starts a new one) and handed to Wagtail the way it keeps it itself, as `request._wagtail_site`."""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import DisallowedHost

from .caching import TTL, cache_key, content_generation

NO_SITE = "none"


class CachedSiteMiddleware:
    """Hands Wagtail the cached site before the view runs; caches the one Wagtail found, if the view asked for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            host = request.get_host()  # only hosts in ALLOWED_HOSTS get an entry
        except DisallowedHost:
            return self.get_response(request)
        key = cache_key("site", content_generation(), host, request.get_port())
        cached = cache.get(key)
        if cached is not None:
            request._wagtail_site = None if cached == NO_SITE else cached
        response = self.get_response(request)
        if cached is None and hasattr(request, "_wagtail_site"):
            cache.set(key, request._wagtail_site or NO_SITE, TTL)
        return response
