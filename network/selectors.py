"""Reads that need care: what a theme page and an offering page show, in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from .listing import CountedPaginator
from .models import InitiativePage, OfferingPage, PageTheme, Theme, WorkingGroupPage, ahead_at

UPCOMING_LIMIT = 50
PAST_PAGE_SIZE = 20
RELATED_LIMIT = 3


def upcoming_offerings(published, *, now, limit: int = UPCOMING_LIMIT) -> list[OfferingPage]:
    """The first `limit` upcoming offerings, soonest first, as specific pages: one query plus one per page type."""
    return list(published.ahead(now).order_by("start", "pk").specific()[:limit])


def theme_overview(theme: Theme, *, page_number: int = 1, now=None) -> dict:
    """A theme's pages: upcoming offerings (soonest first), working groups, initiatives, past offerings (paginated;
    a page number past the last gives the last)."""
    now = now or timezone.now()
    published = OfferingPage.objects.tagged(theme).defer_streamfields().published()
    # Newest first: what has ended has started, so the start index is walked back from now.
    past = published.ended(now).filter(start__lte=now).order_by("-start", "-pk").specific()
    # The count of past offerings: all of them minus the upcoming ones, in one query (the page itself is kept whole).
    counts = published.order_by().aggregate(total=Count("pk"), ahead=Count("pk", filter=ahead_at(now)))
    paginator = CountedPaginator(past, PAST_PAGE_SIZE, count=counts["total"] - counts["ahead"])
    return {
        "upcoming": upcoming_offerings(published, now=now),
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
    ranked = {row["content_object_id"]: row["shared"] for row in shared.order_by("-shared")[:200]}
    if not ranked:
        return []
    candidates = OfferingPage.objects.live().public().filter(pk__in=list(ranked)).only("pk", "start", "end")
    # Upcoming ones soonest first, then ended ones newest first: an order that time changes only when one ends.
    chosen = sorted(
        candidates, key=lambda o: (-ranked[o.pk], o.end <= now, (1 if o.end > now else -1) * o.start.timestamp())
    )
    ids = [o.pk for o in chosen[:limit]]
    by_id = {o.pk: o for o in OfferingPage.objects.filter(pk__in=ids).defer_streamfields().specific()}
    return [by_id[pk] for pk in ids if pk in by_id]
