"""The page cache's tests run with the local-memory cache switched on and the clock frozen at NOW."""

from __future__ import annotations

from django.core.cache import cache

import pytest
import time_machine

from .pages import NOW


@pytest.fixture(autouse=True)
def locmem_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}}
    settings.PAGE_CACHE_SECONDS = 24 * 60 * 60  # long, so that the moments below decide when a kept page expires
    settings.PAGE_CACHE_SEATS_SECONDS = 10
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
