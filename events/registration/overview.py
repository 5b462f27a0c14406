"""The registrations overview's figures across offerings (its totals, how many offerings it lists, which ones a page
shows), kept in the cache until a registration or a page changes. Worked out, they read every tally row of every
offering in the scope (100,000 rows at 200,000 participants); one page's participant counts stay live."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db.models import QuerySet, Subquery

from wagtail.models import PageLogEntry

from network.models import OfferingPage

from . import selectors
from .models import RegistrationLogEntry
from .scope import OfferingScope

# A backstop for writes that leave no log entry (a bulk load, a page deleted outside the admin).
CACHE_SECONDS = 300


def data_generation() -> str | None:
    """What changes with every registration change (each is logged) and every page action Wagtail logs (publish,
    unpublish, move, delete): the newest entry of each log, in one query of two index look-ups. None: nothing is
    logged yet, so nothing is cached."""
    newest_page_entry = PageLogEntry.objects.order_by("-pk").values("pk")[:1]
    row = (
        RegistrationLogEntry.objects.order_by("-pk")
        .annotate(page_entry=Subquery(newest_page_entry))
        .values_list("pk", "page_entry")
        .first()
    )
    return None if row is None else f"{row[0]}-{row[1]}"


def cache_key(generation: str, scope: OfferingScope, filters: dict, page: int | None = None) -> str:
    """The same figures for every user with the same scope and filters (the scope, not the user, decides them)."""
    scope_text = "all" if scope.everything else repr(scope.ranges)
    digest = hashlib.sha256(f"{scope_text}|{sorted(filters.items())}".encode()).hexdigest()[:32]
    return f"registration-overview:{generation}:{digest}" + ("" if page is None else f":{page}")


def overview_totals(
    *, offerings: QuerySet[OfferingPage], scope: OfferingScope, filters: dict
) -> tuple[dict, str | None]:
    """`selectors.registrations_overview`'s totals, and `count`: how many offerings it lists; and the cache key of
    the request's figures for `overview_page_ids` (None when nothing may be cached)."""
    generation = data_generation()
    key = None if generation is None else cache_key(generation, scope, filters)
    data = None if key is None else cache.get(key)
    if data is None:
        data = selectors.registrations_overview(offerings=offerings)
        data["count"] = data.pop("per_offering").count()
        if key is not None:
            cache.set(key, data, CACHE_SECONDS)
    return data, key


def overview_page_ids(*, offerings: QuerySet[OfferingPage], key: str | None, first: int, size: int) -> list[int]:
    """The pks of one page of the overview's offerings (the newest first), cached beside its totals."""
    page_key = None if key is None else f"{key}:{first}:{size}"
    ids = None if page_key is None else cache.get(page_key)
    if ids is None:
        listed = selectors.overview_offerings(offerings=offerings)
        ids = list(listed.values_list("pk", flat=True)[first : first + size])
        if page_key is not None:
            cache.set(page_key, ids, CACHE_SECONDS)
    return ids
