"""Caches that follow publishing: every value is keyed on the *content generation*, a token in the cache that is
replaced whenever something a listing shows may have changed, so earlier entries become unreachable and expire.
See the README, "Caches that follow publishing"."""

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
