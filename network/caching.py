"""Caches that follow publishing: rendered offering cards, the time-independent part of facet counts, the
registration form's offering and empty fields, and the site of a host (network.middleware).

Every cached value is keyed on the *content generation*, a token kept in the cache itself and replaced whenever
something a listing shows may have changed: a page is saved, published, unpublished, moved or deleted, a theme or a
page's themes change. A new token makes every earlier entry unreachable (they expire after `TTL`), so nothing has to
be found and deleted. A card's key also holds the page's own id, last publication and latest revision, and the phase
(upcoming, running, past), so a card is right for its page even before the generation is seen to change.

With Redis (production: REDIS_URL) the generation is shared by every worker. The local-memory cache is per process:
a publish is seen at once by the process that made it, and by other processes when their entries expire (`TTL`).
The test settings use the dummy cache: nothing is cached, every value is computed.
"""

from __future__ import annotations

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

    Inside a transaction, again when it commits: a request that read the database after the first new token but
    before the commit (or before the search index was brought up to date) may have cached what it read under it.
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
