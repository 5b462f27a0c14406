"""Caches that follow publishing: every value is keyed on the *content generation*, a token in the cache that is
replaced whenever something a listing shows may have changed, so earlier entries become unreachable and expire.
See the README, "Caches that follow publishing"."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import urllib.parse
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, transaction

GENERATION_KEY = "network:content-generation"
TTL = 10 * 60
logger = logging.getLogger(__name__)
# True while a new generation may not have reached the cache (it could not be reached when something was published).
_token_unsaved = False


def content_generation() -> str:
    """The current generation token (made on first use)."""
    if _token_unsaved:
        _new_token()
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, token, None):  # another request made one first: use that
            token = cache.get(GENERATION_KEY) or token
    return token


def content_generation_and(keys: list[str]) -> tuple[str, dict]:
    """The current generation token and the values found for `keys`, in one round trip to the cache (a kept page's
    hit reads both)."""
    if _token_unsaved:
        return content_generation(), cache.get_many(keys)
    found = cache.get_many([GENERATION_KEY, *keys])
    token = found.pop(GENERATION_KEY, None)
    return token or content_generation(), found


def new_generation(**kwargs) -> None:
    """Signal receiver: what listings show may have changed; forget every cached card and count.

    Inside a transaction, again when it commits: a request may have cached what it read before the commit.
    """
    _new_token()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_new_token)


def _new_token() -> None:
    # A publish while Redis is down must not leave the old token (and what it keys) in force once Redis is back:
    # the token is read back, and replaced again on the next read until it is there.
    global _token_unsaved
    token = uuid.uuid4().hex
    cache.set(GENERATION_KEY, token, None)
    _token_unsaved = cache.get(GENERATION_KEY) != token


def cache_key(prefix: str, *parts) -> str:
    """A short, safe cache key for any parts (their repr is hashed)."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"network:{prefix}:{digest}"


def _phase_word(page, now: dt.datetime) -> str:
    """upcoming, running or past from the page's start and end ("" without them): when a card's badge changes."""
    start, end = getattr(page, "start", None), getattr(page, "end", None)
    if start is None or end is None:
        return ""
    return "upcoming" if now < start else ("running" if now < end else "past")


def page_key(prefix: str, shared: tuple, page, now: dt.datetime) -> str:
    """The cache key of a page's rendered card or search result: it changes with the page's last publication, latest
    revision and phase (the badge), and with `shared` (the content generation, host, language, ...)."""
    return cache_key(prefix, *shared, page.pk, page.content_type_id, page.last_published_at, page.latest_revision_id,
                     _phase_word(page, now))  # fmt: skip


# --- The cache itself ----------------------------------------------------------------------------------------------


def cache_description(config: dict) -> str:
    """One line on the cache a process uses, for its start-up log (a password in a Redis URL is left out)."""
    backend = config.get("BACKEND", "")
    location = config.get("LOCATION", "")
    if "redis" in backend.lower():
        parts = urllib.parse.urlsplit(location)
        if parts.password:
            parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1))
        return f"Cache: Redis at {urllib.parse.urlunsplit(parts)} (shared by every worker; errors ignored and logged)"
    if backend.endswith(".DatabaseCache"):
        return f"Cache: the database table {location} (shared by every worker)"
    return f"Cache: {backend} (not shared between processes)"


def cache_table_ensure(*, using: str = DEFAULT_DB_ALIAS, verbosity: int = 1, **kwargs) -> None:
    """post_migrate receiver: `migrate` makes the database cache's table when the settings use one."""
    if any(config["BACKEND"].endswith(".DatabaseCache") for config in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=verbosity)
