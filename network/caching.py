"""Caches that follow publishing: every value is keyed on the *content generation*, a token in the cache that is
replaced whenever something a listing shows may have changed, so earlier entries become unreachable and expire.
See the README, "Caches that follow publishing"."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "network:content-generation"
TTL = 10 * 60


def content_generation() -> str:
    """The current generation token (made on first use)."""
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, token, None):  # another request made one first: use that
            token = cache.get(GENERATION_KEY) or token
    return token


def new_generation(**kwargs) -> None:
    """Signal receiver: what listings show may have changed; forget every cached card and count.

    Inside a transaction, again when it commits: a request may have cached what it read before the commit.
    """
    _new_token()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_new_token)


def _new_token() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


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
