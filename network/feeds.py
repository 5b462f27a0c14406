"""Feeds: RSS of new offerings (overall and per theme) and iCalendar subscriptions (overall and per theme)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _

from . import pagecache
from .dates import format_range
from .ical import CALENDAR_NAME, calendar_for
from .models import OfferingPage, Theme

FEED_SIZE = 30
# A subscribed calendar holds the next year of offerings, at most this many (clients poll it; the page cache keeps it).
CALENDAR_SIZE = 300
CALENDAR_HORIZON_DAYS = 366


def feed_title(theme: Theme | None) -> str:
    if theme is None:
        return _("Nye tilbud fra Bibliotekernes kompetencenetværk")
    return _("Nye tilbud om %(theme)s") % {"theme": theme.name}


def _newest(theme: Theme | None = None, *, now: dt.datetime):
    """The offerings one can still take part in, the most recently published first: "new" is when an offering was
    announced, so one that has ended is left out however recently it was published (the demo's course of 2016)."""
    offerings = OfferingPage.objects.published().ahead(now)
    if theme is not None:
        offerings = offerings.tagged(theme)
    return (
        offerings.exclude(first_published_at=None)
        .order_by("-first_published_at", "-pk")
        .select_related("content_type")
        .prefetch_related("themes")
        .defer_streamfields()
    )


@dataclass(frozen=True)
class FeedScope:
    request: object
    theme: Theme | None


class NewOfferingsFeed(Feed):
    """The newest published offerings of every kind."""

    feed_type = Rss201rev2Feed

    def __call__(self, request, *args, **kwargs):
        """The feed is Danish, like the content it lists, whatever language the reader's client asks for (its address
        has no language prefix, and the page cache keeps one copy of it)."""
        with translation.override(settings.LANGUAGE_CODE):
            return super().__call__(request, *args, **kwargs)

    def get_object(self, request, slug: str | None = None):
        """The request travels with the theme, so the feed instance (shared by every thread) holds no state."""
        theme = None if slug is None else get_object_or_404(Theme, slug=slug)
        return FeedScope(request=request, theme=theme)

    def title(self, scope):
        return feed_title(scope.theme)

    def link(self, scope):
        return "/" if scope.theme is None else reverse("theme", args=[scope.theme.slug])

    def description(self, scope):
        return _("Kurser, arrangementer og webinarer for folkebibliotekernes personale.")

    def items(self, scope):
        items = list(_newest(scope.theme, now=timezone.now())[:FEED_SIZE])
        for item in items:
            item.feed_link = item.get_url(scope.request)
        return items

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item_text(item)

    def item_link(self, item):
        return item.feed_link

    def item_guid(self, item):
        return f"urn:uuid:{item.translation_key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [theme.name for theme in item.themes.all()]


def item_when(item) -> str:
    """When an offering takes place, written as on its card: "12. januar 2027 kl. 10.00–15.00", a course's period
    as dates ("4.–5. april 2027")."""
    return format_range(item.start, item.end, "dates" if item.kind == "course" else "short")


def item_text(item) -> str:
    """An item's description: its time (and "Aflyst" when cancelled), then its introduction."""
    when = item_when(item)
    if item.is_cancelled:
        when = _("Aflyst: %(when)s") % {"when": when}
    return f"{when}. {item.intro}".strip()


def feed_page(request, slug: str | None = None):
    """The feed explained for a person, which the site links to instead of the raw XML a browser shows as code: what
    a feed is, its address to copy into a feed reader, and the offerings it holds now. Feed readers find the feed
    itself through the page's <link rel="alternate">."""
    theme = None if slug is None else get_object_or_404(Theme, slug=slug)
    if theme is None:
        feed_path, calendar_path = reverse("feed_new"), reverse("ical_all")
    else:
        feed_path, calendar_path = reverse("feed_theme", args=[theme.slug]), reverse("ical_theme", args=[theme.slug])
    offerings = list(_newest(theme, now=timezone.now())[:FEED_SIZE])
    items = [{"page": o, "url": o.get_url(request), "when": item_when(o)} for o in offerings]
    context = {
        "theme": theme,
        "title": feed_title(theme),
        "feed_path": feed_path,
        "feed_url": request.build_absolute_uri(feed_path),
        "calendar_url": f"webcal://{request.get_host()}{calendar_path}",
        "items": items,
    }
    return TemplateResponse(request, "network/feed_page.html", context)


def _calendar_response(offerings, *, name: str, request, feed: bool = False) -> HttpResponse:
    body = calendar_for(offerings, name=name, request=request, feed=feed)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kalender.ics"'
    return response


def _upcoming_specific(theme: Theme | None = None):
    now = timezone.now()
    horizon = now + dt.timedelta(days=CALENDAR_HORIZON_DAYS)
    upcoming = OfferingPage.objects.upcoming(now)
    if theme is not None:
        upcoming = upcoming.tagged(theme)
    offerings = upcoming.filter(start__lt=horizon)
    # The year ahead moves on: the next offering beyond it comes into the calendar when its start is a year away.
    entering = upcoming.filter(start__gte=horizon).order_by("start").values_list("start", flat=True).first()
    pagecache.changes_at(entering and entering - dt.timedelta(days=CALENDAR_HORIZON_DAYS))
    return with_calendar_relations(list(offerings.specific()[:CALENDAR_SIZE]))


def with_calendar_relations(offerings: list) -> list:
    """Fetch what the calendar shows of each offering in a fixed number of queries."""
    prefetch_related_objects(offerings, "themes", "organiser")
    courses = [o for o in offerings if hasattr(o, "sessions")]
    prefetch_related_objects(courses, "sessions")
    return offerings


def calendar_feed(request, slug: str | None = None):
    """All upcoming offerings (or those of one theme) as a subscribable calendar (webcal://)."""
    theme = None
    if slug is not None:
        theme = Theme.objects.filter(slug=slug).first()
        if theme is None:
            raise Http404(_("Temaet findes ikke."))
    name = CALENDAR_NAME if theme is None else f"{CALENDAR_NAME}: {theme.name}"
    return _calendar_response(_upcoming_specific(theme), name=name, request=request, feed=True)


def offering_calendar(request, page_id: int):
    """One offering as an .ics file."""
    offering = OfferingPage.objects.live().public().filter(pk=page_id).specific().first()
    if offering is None:
        raise Http404(_("Tilbuddet findes ikke."))
    response = _calendar_response(with_calendar_relations([offering]), name=offering.title, request=request)
    response["Content-Disposition"] = f'attachment; filename="{offering.slug}.ics"'
    return response
