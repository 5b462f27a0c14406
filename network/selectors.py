"""Reads that need care: what a theme page and an offering page show, in a fixed number of queries."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Min
from django.utils import timezone

from .caching import TTL, cache_key, content_generation
from .listing import CountedPaginator
from .models import InitiativePage, OfferingPage, PageTheme, Theme, WorkingGroupPage, ahead_at

UPCOMING_LIMIT = 50
PAST_PAGE_SIZE = 20
RELATED_LIMIT = 3


def past_count(published, key: tuple, *, now) -> int:
    """How many of the published offerings have ended: all of them minus the upcoming ones, both cached (the upcoming
    count until the first of them ends); on a cache miss, one query counts both."""
    published = published.order_by()
    generation = content_generation()
    total_key, ahead_key = cache_key("total", generation, *key), cache_key("ahead", generation, *key)
    found = cache.get_many([total_key, ahead_key])
    total, ahead = found.get(total_key), found.get(ahead_key)
    if ahead is not None and ahead[1] is not None and now >= ahead[1]:
        ahead = None  # an upcoming offering has ended since
    if total is None:
        counts = published.aggregate(
            total=Count("pk"), ahead=Count("pk", filter=ahead_at(now)), until=Min("end", filter=ahead_at(now))
        )
        total, ahead = counts["total"], (counts["ahead"], counts["until"])
        cache.set_many({total_key: total, ahead_key: ahead}, TTL)
    elif ahead is None:
        counts = published.ahead(now).aggregate(ahead=Count("pk"), until=Min("end"))
        ahead = (counts["ahead"], counts["until"])
        cache.set(ahead_key, ahead, TTL)
    return total - ahead[0]


def upcoming_offerings(published, key: tuple, *, now, limit: int = UPCOMING_LIMIT) -> list[OfferingPage]:
    """The first `limit` upcoming offerings, soonest first, as specific pages: which they are is cached until the
    content changes or the first of them ends. One query plus one per page type."""
    key = cache_key("upcoming-ids", content_generation(), *key, limit)
    found = cache.get(key)
    if found is not None and (found[1] is None or now < found[1]):
        pages = OfferingPage.objects.filter(pk__in=found[0]).defer_streamfields().specific()
        by_pk = {page.pk: page for page in pages}
        return [by_pk[pk] for pk in found[0] if pk in by_pk]
    pages = list(published.ahead(now).order_by("start", "pk").specific()[:limit])
    cache.set(key, ([page.pk for page in pages], min((page.end for page in pages), default=None)), TTL)
    return pages


def theme_overview(theme: Theme, *, page_number: int = 1, now=None) -> dict:
    """A theme's pages: upcoming offerings (soonest first), working groups, initiatives, past offerings (paginated;
    a page number past the last gives the last)."""
    now = now or timezone.now()
    published = OfferingPage.objects.tagged(theme).defer_streamfields().published()
    # Newest first: what has ended has started, so the start index is walked back from now.
    past = published.ended(now).filter(start__lte=now).order_by("-start", "-pk").specific()
    paginator = CountedPaginator(past, PAST_PAGE_SIZE, count=past_count(published, ("theme", theme.pk), now=now))
    return {
        "upcoming": upcoming_offerings(published, ("theme", theme.pk), now=now),
        "past": paginator.get_page(page_number),
        "working_groups": list(WorkingGroupPage.objects.live().public().tagged(theme).order_by("title")),
        "initiatives": list(InitiativePage.objects.live().public().tagged(theme).order_by("title")),
    }


def related_offerings(offering: OfferingPage, *, limit: int = RELATED_LIMIT, now=None) -> list[OfferingPage]:
    """Other live offerings that share the most themes with this one; upcoming ones first, then the newest."""
    now = now or timezone.now()
    theme_ids = PageTheme.objects.filter(content_object_id=offering.pk).values("tag_id")
    shared = (
        PageTheme.objects.filter(tag_id__in=theme_ids)
        .exclude(content_object_id=offering.pk)
        .values("content_object_id")
        .annotate(shared=Count("id"))
    )
    # Which pages share the most themes does not depend on the time: kept until the content changes.
    key = cache_key("related", content_generation(), offering.pk)
    ranked = cache.get(key)
    if ranked is None:
        ranked = {row["content_object_id"]: row["shared"] for row in shared.order_by("-shared")[:200]}
        cache.set(key, ranked, TTL)
    if not ranked:
        return []
    candidates = OfferingPage.objects.live().public().filter(pk__in=list(ranked)).only("pk", "start", "end")
    chosen = sorted(candidates, key=lambda o: (-ranked[o.pk], o.end <= now, abs((o.start - now).total_seconds())))
    ids = [o.pk for o in chosen[:limit]]
    by_id = {o.pk: o for o in OfferingPage.objects.filter(pk__in=ids).defer_streamfields().specific()}
    return [by_id[pk] for pk in ids if pk in by_id]
