"""iCalendar (RFC 5545) for offerings: one file per offering, and subscribable feeds.

UIDs are stable (the page's translation_key, and a course day's row); times are in Europe/Copenhagen with a VTIMEZONE.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from html import unescape as html_unescape
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from icalendar import Calendar, Event, Timezone, vDuration

UID_DOMAIN = "kompetencenetvaerk.example.org"
# A subscribed feed asks to be fetched again this often (REFRESH-INTERVAL, RFC 7986; X-PUBLISHED-TTL for Outlook).
FEED_REFRESH_HOURS = 6
CALENDAR_NAME = "Bibliotekernes kompetencenetværk"


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value, _tz())


def new_calendar(name: str = CALENDAR_NAME, *, method: str = "PUBLISH") -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Bibliotekernes kompetencenetværk//DA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
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


def _event(*, uid: str, title: str, start, end, url: str, text: str, location: str, offering) -> Event:
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
    if text:
        event.add("description", text)
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
            text = description(intro, goals=session.goals or "", programme=getattr(session, "programme", None))
            events.append(
                _event(
                    uid=f"{offering.translation_key}-day-{session.pk}@{UID_DOMAIN}",
                    title=f"{offering.title}: {session.title}",
                    start=start,
                    end=end,
                    url=url,
                    text=text,
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
            text=description(intro, programme=getattr(offering, "programme", None)),
            location=_location(offering),
            offering=offering,
        )
    ]


def _lines(html: str) -> list[str]:
    """Rich text as lines of plain text: each paragraph and list item a line of its own (a goal per line)."""
    text = re.sub(r"(?i)<\s*(br|/p|/li|/h[1-6]|/div)\s*/?>", "\n", html or "")
    text = re.sub(r"(?i)<\s*li[^>]*>", "- ", text)
    return [" ".join(line.split()) for line in html_unescape(strip_tags(text)).splitlines() if line.strip()]


def description(intro: str, *, goals: str = "", programme=None) -> str:
    """A VEVENT's DESCRIPTION: the intro, the goals (rich text) a line each, and the timed programme a line an item."""
    parts = [intro] if intro else []
    if goal_lines := _lines(goals):
        parts.append("\n".join([_("Mål") + ":", *goal_lines]))
    if items := [_programme_line(block.value) for block in programme or []]:
        parts.append("\n".join([_("Program") + ":", *items]))
    return "\n\n".join(parts)


def _programme_line(item) -> str:
    """09.30–10.00 Velkomst (a ProgrammeItemBlock's value)."""
    times = "–".join(t.strftime("%H.%M") for t in (item.get("start"), item.get("end")) if t)
    return " ".join(p for p in (times, str(item.get("title") or "")) if p)


def cancel_events(events: list[Event]) -> list[Event]:
    """The same events (same UIDs) marked cancelled, for a METHOD:CANCEL file: a calendar that holds them drops them.
    The SEQUENCE above the published one (which has none, 0) is what makes clients take it as the newer."""
    for event in events:
        event["status"] = "CANCELLED"
        event.add("sequence", 1)
    return events


@functools.cache
def _vtimezone() -> Timezone:
    """The VTIMEZONE of Europe/Copenhagen, built once per process (it is the same for every file)."""
    cal = new_calendar()
    event = Event()
    event.add("dtstart", dt.datetime(2020, 1, 1, 12, tzinfo=_tz()))
    cal.add_component(event)
    cal.add_missing_timezones()
    return next(component for component in cal.subcomponents if isinstance(component, Timezone))


def calendar_for(
    offerings: Iterable, *, name: str = CALENDAR_NAME, request=None, method: str = "PUBLISH", feed: bool = False
) -> bytes:
    """The offerings as an .ics; `method="CANCEL"` takes them out of a calendar again; a `feed` (a subscription)
    tells the client how often to fetch it again."""
    cal = new_calendar(name, method=method)
    if feed:
        cal.add("refresh-interval", dt.timedelta(hours=FEED_REFRESH_HOURS), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(dt.timedelta(hours=FEED_REFRESH_HOURS)))  # an X- property is text
    cal.add_component(_vtimezone())
    for offering in offerings:
        events = offering_events(offering, request=request)
        for event in cancel_events(events) if method == "CANCEL" else events:
            cal.add_component(event)
    return cal.to_ical()
