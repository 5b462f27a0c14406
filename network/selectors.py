"""Reads that need care: what a theme page and an offering page show, in a fixed number of queries."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count
from django.utils import timezone

from .models import InitiativePage, OfferingPage, PageTheme, Theme, WorkingGroupPage

UPCOMING_LIMIT = 50
PAST_PAGE_SIZE = 20
RELATED_LIMIT = 3


def tagged_with(queryset, theme: Theme):
    """The pages of the queryset that carry the theme (through PageTheme; see its docstring)."""
    return queryset.filter(pk__in=PageTheme.objects.filter(tag=theme).values("content_object_id"))


def theme_overview(theme: Theme, *, page_number: str | None = None, now=None) -> dict:
    """A theme's pages: upcoming offerings (soonest first), working groups, initiatives, past offerings (paginated)."""
    now = now or timezone.now()
    offerings = tagged_with(OfferingPage.objects.all(), theme).defer_streamfields()
    paginator = Paginator(offerings.past(now).specific(), PAST_PAGE_SIZE)
    number = page_number if (page_number or "").isdigit() and len(page_number) < 7 else 1
    past = paginator.get_page(number)
    return {
        "upcoming": list(offerings.upcoming(now).specific()[:UPCOMING_LIMIT]),
        "past": past,
        "working_groups": list(tagged_with(WorkingGroupPage.objects.live().public(), theme).order_by("title")),
        "initiatives": list(tagged_with(InitiativePage.objects.live().public(), theme).order_by("title")),
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
    chosen = sorted(candidates, key=lambda o: (-ranked[o.pk], o.end <= now, abs((o.start - now).total_seconds())))
    ids = [o.pk for o in chosen[:limit]]
    by_id = {o.pk: o for o in OfferingPage.objects.filter(pk__in=ids).defer_streamfields().specific()}
    return [by_id[pk] for pk in ids if pk in by_id]
