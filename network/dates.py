"""Danish dates and times in Copenhagen time, for pages, services and e-mails alike: "23. marts 2023 kl.
9.00–15.30", "4.–5. april 2024". Django's date formatting supplies the month names in the active language."""

from __future__ import annotations

import datetime as dt

from django.utils import dateformat, timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

DASH = "\u2013"  # en dash, for ranges: 9.00–15.30, 4.–5. april


def local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _english() -> bool:
    return (get_language() or "da").startswith("en")


def _time(value: dt.time | dt.datetime) -> str:
    """9.00, 15.30 in Danish; 9:00, 15:30 in English. No leading zero on the hour."""
    return f"{value.hour}{':' if _english() else '.'}{value.minute:02d}"


def _day_month(value: dt.date) -> str:
    return dateformat.format(value, "j F" if _english() else "j. F")


def _full_date(value: dt.date) -> str:
    return dateformat.format(value, "j F Y" if _english() else "j. F Y")


def format_day_span(first: dt.date, last: dt.date | None = None) -> str:
    """23. marts 2023 · 4.–5. april 2024 · 30. april – 2. maj 2024 · 30. december 2023 – 2. januar 2024."""
    if last is None or last == first:
        return _full_date(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}{'' if _english() else '.'}{DASH}{_full_date(last)}"
    if first.year == last.year:
        return f"{_day_month(first)} {DASH} {_full_date(last)}"
    return f"{_full_date(first)} {DASH} {_full_date(last)}"


def format_time_span(start: dt.time | None, end: dt.time | None = None) -> str:
    """kl. 9.00–15.30, or kl. 9.00 without an end; empty without a start."""
    if start is None:
        return ""
    if end is None or end == start:
        return _("kl. %(start)s") % {"start": _time(start)}
    return _("kl. %(start)s") % {"start": f"{_time(start)}{DASH}{_time(end)}"}


def format_range(start: dt.datetime | None, end: dt.datetime | None = None, style: str = "short") -> str:
    """A period between two moments in Copenhagen time. "short": times only on one day ("23. marts 2023 kl.
    9.00–15.30", "4.–5. april 2024"); "full": times on several days too; "dates": dates only."""
    if start is None:
        return ""
    start = local(start)
    if end is None:
        if style == "dates":
            return format_day_span(start.date())
        return f"{format_day_span(start.date())} {format_time_span(start.time())}"
    end = local(end)
    # An end at midnight belongs to the day before: 4. april 10.00 to 6. april 00.00 is 4.–5. april.
    last_day = (end - dt.timedelta(microseconds=1)).date() if end > start else start.date()
    if last_day == start.date():
        if style == "dates":
            return format_day_span(start.date())
        return f"{format_day_span(start.date())} {format_time_span(start.time(), end.time())}"
    if style == "full":
        return (
            f"{format_day_span(start.date())} {format_time_span(start.time())} {DASH} "
            f"{format_day_span(end.date())} {format_time_span(end.time())}"
        )
    return format_day_span(start.date(), last_day)


def format_clock(value: dt.time | dt.datetime | None) -> str:
    """09.30: the time of a programme item, with a leading zero, in Copenhagen time; empty without one."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = local(value)
    return f"{value.hour:02d}.{value.minute:02d}"


def format_minutes(value) -> str:
    """45 minutter, 1 time, 1 time og 30 minutter; empty for what is not a whole number of minutes."""
    try:
        total = int(value)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(total, 60)
    hour_text = ngettext("%(n)d time", "%(n)d timer", hours) % {"n": hours}
    minute_text = ngettext("%(n)d minut", "%(n)d minutter", rest) % {"n": rest}
    if not hours:
        return minute_text
    if not rest:
        return hour_text
    return _("%(hours)s og %(minutes)s") % {"hours": hour_text, "minutes": minute_text}
