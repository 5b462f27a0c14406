"""The backend's matches of a search, most relevant first, and the rankings kept in the cache for the content
generation when they reach the cap."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from wagtail.search.backends import get_search_backend

from network.caching import TTL, cache_key, content_generation

from .backends.common import RankedResultsMixin
from .query import SearchParams
from .scope import content_types, restrict


def guarded():
    """Where a query the backend may refuse runs: in a savepoint inside a transaction, so that a failure does not
    spoil it; outside one, as it is (a transaction of its own would take SQLite's write lock)."""
    return transaction.atomic() if transaction.get_connection().in_atomic_block else contextlib.nullcontext()


def ranks_every_match() -> bool:
    """Whether the search backend ranks every match to find the best (the Danish database backends do)."""
    return issubclass(get_search_backend().results_class, RankedResultsMixin)


def ranked_matches(queryset, q: str, *, operator: str = "and", limit: int) -> list[tuple[int, int]]:
    """(page id, content type id) of the pages matching `q`, most relevant first, at most `limit`."""
    with guarded():
        results = queryset.only("id", "content_type_id").search(q, operator=operator, order_by_relevance=True)
        results = results[:limit]
        if hasattr(results, "ranked_pks_and_types"):  # the Danish database backends: ids without page instances
            return results.ranked_pks_and_types()
        return [(page.pk, page.content_type_id) for page in results]  # Elasticsearch


@dataclass(frozen=True)
class Ranking:
    """What the backend found: its matches, those of every type (which the type facet counts), and whether they have
    any word rather than all of them."""

    matches: list[tuple[int, int]]
    type_matches: list[tuple[int, int]]
    any_word: bool = False


def rank(base, params: SearchParams, *, now: dt.datetime, limit: int) -> Ranking:
    """The ranked matches of every word, or when no page has them all, of any word; a ranking of every word that
    reaches `limit` is kept in the cache (database backends only), and read back without unpublished pages."""
    if not (settings.SEARCH_CACHE_RANKINGS and ranks_every_match()):
        return _rank_uncached(base, params, now=now, limit=limit)
    key = cache_key(
        "search-ranking", content_generation(), params.q, sorted(theme.pk for theme in params.themes),
        sorted(params.kinds), params.when, params.region,
        now.replace(second=0, microsecond=0) if params.when != "all" else None,  # "upcoming" and "past" move on
    )  # fmt: skip
    cached = cache.get(key)
    if cached is not None:
        matches, type_matches = cached
        shown = set(base.filter(pk__in={pk for pk, _ct in (*matches, *type_matches)}).values_list("pk", flat=True))
        return Ranking([m for m in matches if m[0] in shown], [m for m in type_matches if m[0] in shown])
    ranking = _rank_uncached(base, params, now=now, limit=limit)
    if not ranking.any_word and max(len(ranking.matches), len(ranking.type_matches)) >= limit:
        cache.set(key, (ranking.matches, ranking.type_matches), TTL)  # (pickled once when they are the same list)
    return ranking


def _rank_uncached(base, params: SearchParams, *, now: dt.datetime, limit: int) -> Ranking:
    matches, type_matches = _ranked_with_kinds(base, params, now=now, operator="and", limit=limit)
    if not matches and len(params.terms) > 1:
        any_matches, any_type_matches = _ranked_with_kinds(base, params, now=now, operator="or", limit=limit)
        if any_matches:
            return Ranking(any_matches, any_type_matches, any_word=True)
    return Ranking(matches, type_matches)


def _ranked_with_kinds(base, params: SearchParams, *, now: dt.datetime, operator: str, limit: int):
    """(matches, matches of every type); with a type filter and fewer matches of every type than `limit`, the
    matches are taken from those of every type: one search instead of two."""
    if not params.kinds:
        matches = ranked_matches(restrict(base, params, now=now), params.q, operator=operator, limit=limit)
        return matches, matches
    type_matches = ranked_matches(
        restrict(base, params, now=now, skip=("type",)), params.q, operator=operator, limit=limit
    )
    if len(type_matches) < limit:
        types = content_types()
        wanted = {types[kind] for kind in params.kinds}
        return [match for match in type_matches if match[1] in wanted], type_matches
    return ranked_matches(restrict(base, params, now=now), params.q, operator=operator, limit=limit), type_matches
