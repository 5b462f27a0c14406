"""iCalendar (RFC 5545) for offerings: one file per offering, and subscribable feeds.

UIDs are stable (the page's translation_key, and a course day's row); times are in Europe/Copenhagen with a VTIMEZONE.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags

from icalendar import Calendar, Event, Timezone

UID_DOMAIN = "kompetencenetvaerk.example.org"
CALENDAR_NAME = "Bibliotekernes kompetencenetværk"


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value, _tz())


def new_calendar(name: str = CALENDAR_NAME) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Bibliotekernes kompetencenetværk//DA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _location(obj) -> str:
    parts = [getattr(obj, "venue_name", ""), getattr(obj, "address", "")]
    postcode, city = getattr(obj, "postcode", ""), getattr(obj, "city", "")
    parts.append(" ".join(p for p in (postcode, city) if p))
    location = ", ".join(p for p in parts if p)
    online = getattr(obj, "online_url", "") or getattr(obj, "join_url", "")
    if not location and online:
        return "Online"
    return location


def _event(*, uid: str, title: str, start, end, url: str, description: str, location: str, offering) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("summary", title)
    event.add("dtstart", _local(start))
    event.add("dtend", _local(end))
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    last_modified = offering.last_published_at or offering.latest_revision_created_at
    if last_modified:
        event.add("last-modified", last_modified.astimezone(dt.UTC))
    if url:
        event.add("url", url)
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    themes = [theme.name for theme in offering.themes.all()]
    if themes:
        event.add("categories", themes)
    event.add("status", "CANCELLED" if offering.is_cancelled else "CONFIRMED")
    if offering.organiser_id and offering.organiser:
        event.add("organizer", f"mailto:{offering.organiser.email or 'info@example.org'}", parameters={
            "CN": offering.organiser.title,
        })  # fmt: skip
    return event


def offering_events(offering, *, request=None) -> list[Event]:
    """The VEVENTs of one offering: the offering itself, or each dated step of a course."""
    url = offering.get_full_url(request) or ""
    intro = offering.intro or ""
    sessions = getattr(offering, "sessions", None)
    if sessions is not None:
        events = []
        for session in sessions.all():
            start, end = session.starts_at(), session.ends_at()
            if start is None or end is None:
                continue
            description = "\n\n".join(p for p in (intro, strip_tags(session.goals or "")) if p)
            events.append(
                _event(
                    uid=f"{offering.translation_key}-day-{session.pk}@{UID_DOMAIN}",
                    title=f"{offering.title}: {session.title}",
                    start=start,
                    end=end,
                    url=url,
                    description=description,
                    location=_location(session),
                    offering=offering,
                )
            )
        if events:
            return events
    return [
        _event(
            uid=f"{offering.translation_key}@{UID_DOMAIN}",
            title=offering.title,
            start=offering.start,
            end=offering.end,
            url=url,
            description=intro,
            location=_location(offering),
            offering=offering,
        )
    ]


@functools.cache
def _vtimezone() -> Timezone:
    """The VTIMEZONE of Europe/Copenhagen, built once per process (it is the same for every file)."""
    cal = new_calendar()
    event = Event()
    event.add("dtstart", dt.datetime(2020, 1, 1, 12, tzinfo=_tz()))
    cal.add_component(event)
    cal.add_missing_timezones()
    return next(component for component in cal.subcomponents if isinstance(component, Timezone))


def calendar_for(offerings: Iterable, *, name: str = CALENDAR_NAME, request=None) -> bytes:
    cal = new_calendar(name)
    cal.add_component(_vtimezone())
    for offering in offerings:
        for event in offering_events(offering, request=request):
            cal.add_component(event)
    return cal.to_ical()
