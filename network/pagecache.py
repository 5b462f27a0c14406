"""Whole public pages from the shared cache, never stale. See the README, "Whole pages from the cache".

A page is kept under its address with the content generation it was made in (network.caching), and served only in
that generation: a publish, or an edit of a theme, library, organisation, person, image, document or site, starts a
new one, so every kept page is out of reach at once on every server. A hit reads the generation and the page in one
round trip to the cache. A kept page also expires at the next moment time changes what the site shows (an offering
starts or ends, a registration round opens, a deadline passes), at PAGE_CACHE_SEATS_SECONDS when it shows seats that
registrations change, and at PAGE_CACHE_SECONDS at the latest.
"""

from __future__ import annotations

import contextvars
import dataclasses
import datetime as dt
import functools
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db.models import Min, Q
from django.http import HttpResponse
from django.utils import timezone

from .caching import TTL, cache_key, content_generation_and
from .models import OfferingPage

HEADER = "X-Cache"
# The last seconds of a kept page's life (at most a quarter of it), in which one request makes it anew.
REFRESH_SECONDS = 2
# How long a request with no kept page waits for the one another request is making (the lock lives a second more),
# and how often it looks: at a moment every visitor's page expires at once, and one worker makes it instead of all.
WAIT_SECONDS = 2.0
WAIT_STEP = 0.01
# Addresses that are never kept: the admin, documents (files, some of them private), the registration pages, and
# static and uploaded files (WhiteNoise and nginx serve those).
SKIPPED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/documents/",
    "/tilmelding/",
    "/en/tilmelding/",
    "/static/",
    "/media/",
)
UNCACHEABLE_CONTROL = ("private", "no-cache", "no-store")
# The headers a kept page is not served with: what is one visitor's own, and what the hit sets anew.
LEFT_OUT_HEADERS = {"set-cookie", HEADER.lower(), "age"}
# A response that varies on other request headers than these is not kept: no request with a session or messages
# cookie is served a kept page (the cookies a page could differ by), the language is in the path, and nothing is
# compressed here. The API answers a browser in HTML (Django REST
# framework's browsable API) and anyone else in JSON, so its key holds the Accept header.
VARY_IGNORED = {"cookie", "accept-language", "accept-encoding"}
API_PREFIX = "/api/"

# Moments when what the site shows changes by time alone; apps that know more add theirs (events: eligibility rounds).
MomentSource = Callable[[dt.datetime], "dt.datetime | None"]
MOMENT_SOURCES: list[MomentSource] = []


def register_moments(source: MomentSource) -> None:
    """`source(now)` gives the next moment after `now` that changes what some page shows, or None."""
    if source not in MOMENT_SOURCES:
        MOMENT_SOURCES.append(source)


@dataclasses.dataclass
class _Lifetime:
    now: dt.datetime
    until: dt.datetime


_lifetime: contextvars.ContextVar[_Lifetime | None] = contextvars.ContextVar("page_lifetime", default=None)


def changes_at(moment: dt.datetime | None) -> None:
    """What the page being rendered shows changes at `moment`: it is not kept past it."""
    lifetime = _lifetime.get()
    if lifetime is not None and moment is not None and moment < lifetime.until:
        lifetime.until = max(moment, lifetime.now)


def seats_shown() -> None:
    """The page being rendered shows seats (or a state made from them) that a registration may change."""
    lifetime = _lifetime.get()
    if lifetime is not None:
        changes_at(lifetime.now + dt.timedelta(seconds=settings.PAGE_CACHE_SEATS_SECONDS))


def not_cached(view):
    """A view whose responses are never kept (robots.txt: the floor the benchmarks compare a kept page with)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.page_cache = False
        return response

    return wrapper


def next_moment(now: dt.datetime, generation: str) -> dt.datetime | None:
    """The next moment after `now` that any source names: kept for the generation until it has passed."""
    key = cache_key("next-moment", generation)
    found = cache.get(key)
    if found is not None and (found[0] is None or now < found[0]):
        return found[0]
    moments = [moment for source in MOMENT_SOURCES if (moment := source(now)) is not None]
    moment = min(moments, default=None)
    cache.set(key, (moment,), TTL)
    return moment


def _request_is_cacheable(request) -> bool:
    """Only an anonymous visitor's GET, without a session, messages or credentials, outside the skipped addresses."""
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(SKIPPED_PREFIXES):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in cookies:
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def _key(request) -> str | None:
    """The page's address: its entry holds the generation it was made in (not the key, so that a hit reads both at
    once, and a page made anew replaces the one of an earlier generation)."""
    try:
        host = request.get_host()  # only hosts in ALLOWED_HOSTS get an entry
    except DisallowedHost:
        return None
    query = sorted(request.GET.lists())
    accept = request.headers.get("Accept", "") if request.path.startswith(API_PREFIX) else ""
    return cache_key("page", request.scheme, host, request.path, query, accept)


def _response_is_storable(request, response) -> bool:
    """A whole, plain 200 that holds nothing of this visitor's (no cookie set, no CSRF token used) and varies on
    nothing the key leaves out."""
    control = response.get("Cache-Control", "").lower()
    keyed = VARY_IGNORED | ({"accept"} if request.path.startswith(API_PREFIX) else set())
    vary = {word.strip().lower() for word in response.get("Vary", "").split(",") if word.strip()}
    return (
        vary <= keyed
        and request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and getattr(response, "page_cache", True)
        and not response.cookies
        and not response.has_header("Set-Cookie")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not any(word in control for word in UNCACHEABLE_CONTROL)
    )


class PageCacheMiddleware:
    """Serves a kept page before anything else runs (its headers were kept with it); keeps what the view made when it
    may. In the last seconds of a kept page's life one request makes it anew while the others are still served it;
    when there is no kept page, one request makes it while the others wait for it.

    Every response says what happened in X-Cache: hit (with its Age in seconds), miss (made and kept), skip.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _key(request) if _request_is_cacheable(request) else None
        if key is None:
            response = self.get_response(request)
            response[HEADER] = "skip"
            return response
        generation, found = content_generation_and([key])
        entry = _current(found.get(key), generation)
        if entry is not None and not _makes_it_anew(key, entry):
            return _from_entry(entry)
        locked = entry is not None or _take_lock(key)  # _makes_it_anew took it for an expiring page
        if not locked and (entry := _wait_for(key, generation)) is not None:  # another request is making it
            return _from_entry(entry)
        try:
            return self._make(request, key, generation)
        finally:
            if locked:
                cache.delete(refresh_lock_key(key))  # those waiting stop at once, with or without a page

    def _make(self, request, key: str, generation: str) -> HttpResponse:
        made_at = timezone.now()  # what the page shows is read from here on
        lifetime = _Lifetime(now=made_at, until=made_at + dt.timedelta(seconds=settings.PAGE_CACHE_SECONDS))
        token = _lifetime.set(lifetime)
        try:
            response = self.get_response(request)
        finally:
            _lifetime.reset(token)
        if not _response_is_storable(request, response):
            response[HEADER] = "skip"
            return response
        moment = next_moment(made_at, generation)
        until = lifetime.until if moment is None else min(lifetime.until, moment)
        seconds = (until - timezone.now()).total_seconds()  # the time spent making it counts against its life
        if seconds <= 0:
            response[HEADER] = "skip"
            return response
        headers = [(name, value) for name, value in response.items() if name.lower() not in LEFT_OUT_HEADERS]
        # A 200: nothing else is kept. The generation is the one read before the page was made: a publish while it
        # was made leaves it out of reach.
        entry = (generation, headers, response.content, made_at.timestamp(), until.timestamp())
        # Kept to the millisecond where the cache allows (django-redis, local memory); a cache that keeps whole
        # seconds may keep it longer, but it is not served past `until` (_current).
        cache.set(key, entry, seconds)
        response[HEADER] = "miss"
        return response


def refresh_lock_key(key: str) -> str:
    return f"{key}:anew"


def _current(entry, generation: str):
    """The kept entry, or None if it was made in another generation or its `until` has passed."""
    return entry if entry is not None and entry[0] == generation and time.time() < entry[-1] else None


def _wait_for(key: str, generation: str):
    """The page another request is making, once it is kept; None when that request ends without keeping one (or the
    cache cannot be reached) or after WAIT_SECONDS, so that this one makes it itself."""
    lock = refresh_lock_key(key)
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        found = cache.get_many([key, lock])
        if (entry := _current(found.get(key), generation)) is not None:
            return entry
        if lock not in found or time.monotonic() >= deadline:
            return None
        time.sleep(WAIT_STEP)


def _take_lock(key: str) -> bool:
    return bool(cache.add(refresh_lock_key(key), 1, REFRESH_SECONDS + 1))


def _makes_it_anew(key: str, entry) -> bool:
    """Whether this request makes an expiring page anew: only the first to ask in its last REFRESH_SECONDS (a short
    lock in the shared cache), so that many visitors do not all make it at once when it expires."""
    *_, made_at, until = entry
    window = min(REFRESH_SECONDS, (until - made_at) / 4)
    if time.time() < until - window:
        return False
    return _take_lock(key)


def _from_entry(entry) -> HttpResponse:
    _generation, headers, content, made_at, _until = entry
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    response[HEADER] = "hit"
    response["Age"] = str(max(int(time.time() - made_at), 0))
    return response


def offering_moments(now: dt.datetime) -> dt.datetime | None:
    """The next start, end, registration opening or deadline of any live offering after `now`: one query, over the
    offerings not yet ended (the index on `end`). An ended one has no moment ahead: clean() keeps the deadlines before
    the end, and an opening after the deadline changes nothing shown."""
    fields = ("start", "end", "registration_opens", "registration_closes", "change_deadline")
    found = OfferingPage.objects.filter(live=True, end__gt=now).aggregate(
        **{field: Min(field, filter=Q(**{f"{field}__gt": now})) for field in fields}
    )
    return min((moment for moment in found.values() if moment is not None), default=None)
