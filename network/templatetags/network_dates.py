"""Dates, times and durations in templates: thin wrappers of network.dates, in Copenhagen time and Danish."""

from __future__ import annotations

from django import template

from network.dates import format_clock, format_day_span, format_minutes, format_range, format_time_span

register = template.Library()


@register.filter
def moment(value):
    """One moment as text: "3. januar 2027 kl. 9.30" (English: "3 January 2027 at 9:30")."""
    return format_range(value) if value else ""


@register.simple_tag
def date_range(start, end=None, style="short"):
    """{% date_range page.start page.end %} -> "23. marts 2023 kl. 9.00–15.30" or "4.–5. april 2024"."""
    return format_range(start, end, style)


@register.simple_tag
def day_range(first, last=None):
    """{% day_range session.date session.end_date %} -> "14. september 2023" or "4.–5. april 2024"."""
    if first is None:
        return ""
    return format_day_span(first, last)


@register.simple_tag
def time_range(start, end=None):
    """{% time_range session.start_time session.end_time %} -> "kl. 9.00–15.30"."""
    return format_time_span(start, end)


@register.filter
def clock(value):
    """{{ item.start|clock }} -> "09.30": the time of a programme item."""
    return format_clock(value)


@register.filter
def minutes(value):
    """{{ page.duration|minutes }} -> "45 minutter", "1 time", "1 time og 30 minutter"."""
    return format_minutes(value)
