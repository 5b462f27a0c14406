"""Figures about registration for the coordinators' dashboard and the libraries' competency landscapes.

Reads only, each in a fixed number of queries. The dashboard counts confirmed registrations in a period (read from
the tally, `ConfirmedTally`); the landscapes count taking part: confirmed (and, where recorded, attending a day) in
offerings that have started.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce, Concat, Lower, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _

from network.models import Library, OfferingPage, PageTheme, Region

from .models import ConfirmedTally, Participant, ParticipantStatus, Registration, SessionAttendance, TallyKind
from .scope import editable_scope

UPCOMING_SHOWN = 10
PERIOD_MONTHS = (3, 6, 12, 24, 36)
DEFAULT_MONTHS = 12
YEAR = "aar"
HALF_YEAR = "halvaar"


# --- Time ----------------------------------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month `months` after (or before, when negative) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def months_back(now: dt.datetime, months: int) -> list[dt.date]:
    """The first days of the last `months` months in Copenhagen, oldest first; the current month is the last."""
    this_month = month_start(timezone.localtime(now).date())
    return [add_months(this_month, -n) for n in range(months - 1, -1, -1)]


def local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- What counts ---------------------------------------------------------------------------------------------------


def took_part(participants: QuerySet[Participant]) -> QuerySet[Participant]:
    """Confirmed participants, less those whose recorded attendance shows no course day attended."""
    rows = SessionAttendance.objects.filter(participant=OuterRef("pk"))
    return participants.filter(status=ParticipantStatus.CONFIRMED).filter(
        ~Exists(rows) | Exists(rows.filter(attended=True))
    )


# --- The dashboard -------------------------------------------------------------------------------------------------


@dataclass
class UpcomingOffering:
    offering: OfferingPage
    capacity: int | None
    confirmed: int
    waiting: int

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.confirmed, 0)


def upcoming_offerings(user, *, now: dt.datetime | None = None, limit: int = UPCOMING_SHOWN) -> list[UpcomingOffering]:
    """The next offerings with registration that `user` may edit (superusers: all), soonest first, with counts."""
    now = now or timezone.now()
    editable = editable_scope(user)  # the request's scope (`scope.py`), as path ranges
    # The shown offerings picked first (a subquery with its LIMIT), then counted: counting before the LIMIT would
    # count the participants of every upcoming offering the user may edit.
    shown = (
        OfferingPage.objects.ahead(now)
        .filter(editable.q(), registration_enabled=True)
        .order_by("start", "pk")
        .values("pk")[:limit]
    )
    offerings = (
        OfferingPage.objects.filter(pk__in=shown)
        .annotate(
            n_confirmed=Count("participants", filter=Q(participants__status=ParticipantStatus.CONFIRMED)),
            n_waiting=Count("participants", filter=Q(participants__status=ParticipantStatus.WAITING)),
        )
        .only("pk", "title", "start", "end", "capacity", "kind")
        .order_by("start", "pk")
    )
    return [UpcomingOffering(o, o.capacity, o.n_confirmed, o.n_waiting) for o in offerings]


def confirmed_in_period(*, months: int, region: str = "", now: dt.datetime | None = None) -> QuerySet[Participant]:
    """What every chart of the dashboard counts: participants with a confirmed seat who were registered
    (`queued_at`) in the last `months` months, from a library in `region` (any, when blank). One measure for the
    three charts, so they add up to the same total side by side."""
    now = now or timezone.now()
    participants = Participant.objects.filter(
        status=ParticipantStatus.CONFIRMED,
        queued_at__gte=local_midnight(months_back(now, months)[0]),
        queued_at__lte=now,
    )
    if region:
        participants = participants.filter(registration__library__municipality__region=region)
    return participants


def confirmed_tally(*, months: int, region: str = "", now: dt.datetime | None = None) -> QuerySet[ConfirmedTally]:
    """The rows of the tally (`ConfirmedTally`) that make up `confirmed_in_period`: the last `months` months of
    registration, libraries in `region` (any, when blank). The charts read these, a few rows per library and month,
    not every participant; `tally` keeps them equal to the participants."""
    now = now or timezone.now()
    rows = ConfirmedTally.objects.filter(
        month__gte=months_back(now, months)[0], month__lte=month_start(timezone.localtime(now).date())
    )
    if region:
        rows = rows.filter(library__municipality__region=region)
    return rows


def confirmed_per_month(*, months: int, region: str = "", now: dt.datetime | None = None) -> list[tuple[dt.date, int]]:
    """`confirmed_in_period` per month of registration, the last `months` months, oldest first."""
    now = now or timezone.now()
    rows = confirmed_tally(months=months, region=region, now=now).filter(kind=TallyKind.ALL)
    counts = dict(rows.values_list("month").annotate(n=Sum("n")).order_by())
    return [(first, counts.get(first) or 0) for first in months_back(now, months)]


def confirmed_by_region(*, months: int, region: str = "", now: dt.datetime | None = None) -> list[tuple[str, int]]:
    """`confirmed_in_period` per region of the participant's library (every region, zeros too)."""
    rows = confirmed_tally(months=months, region=region, now=now).filter(kind=TallyKind.ALL)
    counts = dict(rows.values_list("library__municipality__region").annotate(n=Sum("n")).order_by())
    regions = [(value, label) for value, label in Region.choices if not region or value == region]
    return [(label, counts.get(value) or 0) for value, label in regions]


def confirmed_by_theme(*, months: int, region: str = "", now: dt.datetime | None = None) -> list[tuple[str, int]]:
    """`confirmed_in_period` per theme of the offering, most first.

    An offering with two themes counts its participants under both; offerings without a theme under "Uden tema".
    """
    rows = confirmed_tally(months=months, region=region, now=now).exclude(kind=TallyKind.ALL)
    rows = [(name, n) for name, n in rows.values_list("theme__name").annotate(n=Sum("n")).order_by() if n]
    # Sorted here, the same on every database: most first, then by name, "Uden tema" last among equals.
    rows = sorted(rows, key=lambda row: (-row[1], row[0] is None, (row[0] or "").casefold()))
    return [(name if name is not None else _("Uden tema"), n) for name, n in rows]


# --- The competency landscape of one library -----------------------------------------------------------------------


def person():
    """Who a participant is, across registrations: the e-mail address (any case); the row itself when it has none.

    An erased or anonymised participant has no address left and so counts as a person of their own.
    """
    return Coalesce(NullIf(Lower("email"), Value("")), Concat(Value("#"), Cast("pk", CharField())))


@dataclass
class Landscape:
    """How many of one library's staff took part, per theme (`rows`) and period (`columns`).
    A person counts once in a cell, once in a period's total and once in a theme's total."""

    library: Library
    division: str
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[str, list[int], int]] = field(default_factory=list)  # theme, people per period, people in all
    totals: list[int] = field(default_factory=list)  # people per period, whatever their themes
    total: int = 0  # people in all

    @property
    def is_empty(self) -> bool:
        return self.total == 0


def _period_label(key: tuple[int, int], division: str) -> str:
    year, half = key
    if division == HALF_YEAR:
        return _("%(half)d. halvår %(year)d") % {"half": half, "year": year}
    return str(year)


def _periods_between(first: tuple[int, int], last: tuple[int, int], division: str) -> list[tuple[int, int]]:
    periods, (year, half) = [], first
    while (year, half) <= last:
        periods.append((year, half))
        if division == HALF_YEAR and half == 1:
            half = 2
        else:
            year, half = year + 1, (1 if division == HALF_YEAR else 0)
    return periods


def competency_landscape(library: Library, *, division: str = YEAR, now: dt.datetime | None = None) -> Landscape:
    """How many of the library's staff took part in offerings (that have started) per theme and year or half-year.

    Two queries: the distinct (offering, start, person) of those who took part, and the themes of the library's
    offerings; periods and themes are put together here, per offering. Only numbers leave this function.
    """
    now = now or timezone.now()
    # The library's registrations as a subquery: the database starts from them (by index) and reads only their
    # participants, where a join on the library lets it start from every confirmed participant in the network.
    registrations = Registration.objects.filter(library=library).values("pk")
    participants = took_part(Participant.objects.filter(registration__in=registrations, offering__start__lte=now))
    # The period of each offering's start is worked out once per offering here: in SQL, SQLite would convert the time
    # zone in Python for every participant and theme.
    rows = list(
        participants.annotate(person=person()).values_list("offering_id", "offering__start", "person").order_by()
        .distinct()
    )  # fmt: skip
    # The themes of exactly those offerings, by their ids: as a subquery, SQLite would read every page's themes.
    themes: dict[int, list[str]] = {}
    for offering_id, name in PageTheme.objects.filter(content_object_id__in={row[0] for row in rows}).values_list(
        "content_object_id", "tag__name"
    ):
        themes.setdefault(offering_id, []).append(name)
    periods_of: dict[int, tuple[int, int]] = {}
    cells: dict[str | None, dict[tuple[int, int], set[str]]] = {}
    per_period: dict[tuple[int, int], set[str]] = {}
    for offering_id, start, who in rows:
        if offering_id not in periods_of:
            local = timezone.localtime(start)
            periods_of[offering_id] = (local.year, (1 if local.month <= 6 else 2) if division == HALF_YEAR else 0)
        period = periods_of[offering_id]
        for theme in themes.get(offering_id) or (None,):
            cells.setdefault(theme, {}).setdefault(period, set()).add(who)
        per_period.setdefault(period, set()).add(who)
    landscape = Landscape(library=library, division=division)
    if not per_period:
        return landscape
    periods = _periods_between(min(per_period), max(per_period), division)
    named = sorted((theme for theme in cells if theme is not None), key=str.casefold)
    for theme in [*named, None] if None in cells else named:
        counts = [len(cells[theme].get(period, ())) for period in periods]
        everyone = set().union(*cells[theme].values())
        landscape.rows.append((theme if theme is not None else _("Uden tema"), counts, len(everyone)))
    landscape.columns = [_period_label(period, division) for period in periods]
    landscape.totals = [len(per_period.get(period, ())) for period in periods]
    landscape.total = len(set().union(*per_period.values()))
    return landscape


def people_per_library(*, now: dt.datetime | None = None) -> dict[int, int]:
    """Library pk → how many of its staff took part in offerings that have started (the landscapes' totals)."""
    now = now or timezone.now()
    participants = took_part(Participant.objects.filter(offering__start__lte=now))
    rows = participants.values_list("registration__library").annotate(n=Count(person(), distinct=True)).order_by()
    return dict(rows)
