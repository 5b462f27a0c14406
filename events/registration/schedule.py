"""When and where an offering takes place, a line a day, for the receipt, the manage page and every e-mail alike:
"Kursusgang 1: 12. januar 2027 kl. 9.30–15.30, Dokk1, Aarhus"."""

from __future__ import annotations

import dataclasses

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from events.models import CoursePage
from network.dates import format_day_span, format_range, format_time_span
from network.models import AttendanceMode, OfferingPage


@dataclasses.dataclass(frozen=True)
class DayLine:
    label: str  # "Kursusgang 1"; empty for an offering on its own dates
    when: str  # "12. januar 2027 kl. 9.30–15.30"
    place: str  # "Dokk1, Aarhus", "Online"; empty when the offering names none

    def __str__(self) -> str:
        text = ", ".join(part for part in (self.when, self.place) if part)
        return f"{self.label}: {text}" if self.label else text


def offering_days(*, offering: OfferingPage) -> list[DayLine]:
    """A course's course days, numbered, each with its own date, start–end and place (the activities between them
    are not meetings and are left out); any other offering is one line from its start to its end.

    A day ends at its own end time, never at the end of its last programme item."""
    offering = offering.specific
    if isinstance(offering, CoursePage):
        prefetch_related_objects([offering], "sessions__municipality")
        days = [session for session in offering.sessions.all() if session.is_course_day]
        return [
            DayLine(
                label=_("Kursusgang %(number)d") % {"number": number},
                when=" ".join(
                    part
                    for part in (
                        format_day_span(day.date, day.end_date),
                        format_time_span(day.start_time, day.end_time),
                    )
                    if part
                ),
                place=place_of(day),
            )
            for number, day in enumerate(days, start=1)
        ]
    return [DayLine(label="", when=format_range(offering.start, offering.end, "full"), place=place_of(offering))]


def place_of(obj) -> str:
    """ "Dokk1, Aarhus"; "Online"; "Dokk1, Aarhus eller online" when people may choose."""
    if obj.attendance_mode == AttendanceMode.ONLINE:
        return _("Online")
    municipality = obj.municipality.name if getattr(obj, "municipality_id", None) else ""
    town = getattr(obj, "city", "") or municipality
    venue = ", ".join(part for part in (getattr(obj, "venue_name", ""), town) if part)
    if obj.attendance_mode == AttendanceMode.HYBRID:
        return _("%(venue)s eller online") % {"venue": venue} if venue else _("Online")
    return venue
