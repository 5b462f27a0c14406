"""Attempts per hour at the public form, counted in the cache (Redis in production), per IP and per e-mail."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from network.client import client_ip

WINDOW = 3600


def _hit(key: str) -> int:
    bucket = f"ratelimit:{key}:{int(time.time() // WINDOW)}"
    if cache.add(bucket, 1, WINDOW):
        return 1
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, WINDOW)
        return 1
    # None: Redis is down (django-redis ignores and logs it). The limit fails open: the form stays open to every
    # library while nothing can be counted; seats and duplicates are guarded in the database, not here.
    return count or 0


def exceeded(request, contact_email: str = "") -> bool:
    """Count this attempt; True when it goes beyond the limit for its IP address or its contact e-mail. The
    address is the client's, behind the trusted proxies (network.client)."""
    checks = [(f"ip:{client_ip(request)}", settings.REGISTRATION_RATE_LIMIT_PER_IP)]
    email = contact_email.strip().lower()
    if email:
        checks.append(
            (f"email:{hashlib.sha256(email.encode()).hexdigest()}", settings.REGISTRATION_RATE_LIMIT_PER_EMAIL)
        )
    over = False
    for key, limit in checks:
        if limit and _hit(key) > limit:
            over = True
    return over
