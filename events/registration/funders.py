"""The report for the funders: what one initiative reached in a period, read in a fixed number of queries.

The period picks the initiative's offerings (live pages below it, not cancelled) that started in it, up to now; every
figure is about those offerings: their course days and hours, their confirmed participants and the people, libraries,
municipalities and regions among them, attendance per course day, evaluation response rates and the means of scale
questions, and the leaders' track (`OfferingTrack.for_leaders`) apart. People are counted by e-mail address while
there is one and by the person key anonymisation leaves (`privacy.person_keys_assign`), so the counts stay.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db.models import (
    CharField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, Lower, NullIf
from django.utils import timezone

from events.models import CourseDayKind, CourseSession
from network.models import (
    InitiativePage,
    Library,
    Municipality,
    OfferingPage,
    OfferingTrack,
    Region,
    Status,
    WorkingGroupPage,
)

from .evaluation_models import EvaluationInvitation, EvaluationResponse
from .evaluations import evaluation_questions
from .models import Participant, ParticipantStatus, SessionAttendance


def person():
    """Who a participant is across offerings: the person key anonymisation left, else the address (any case), else
    the row itself (erased on request: a person of their own)."""
    return Coalesce(
        NullIf("person_key", Value("")),
        NullIf(Lower("email"), Value("")),
        Concat(Value("#"), Cast("pk", CharField())),
    )


def on_leaders_track():
    """The participant chose a track that their offering marks as the leaders' track (matched by its name)."""
    return Exists(
        OfferingTrack.objects.filter(page_id=OuterRef("offering_id"), name=OuterRef("track"), for_leaders=True)
    )


def local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def year_period(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


@dataclasses.dataclass
class Reach:
    """Confirmed participants of a set and whom they were: people, libraries, municipalities, regions."""

    participants: int = 0
    people: int = 0
    libraries: int = 0
    municipalities: int = 0
    regions: int = 0


@dataclasses.dataclass
class RegionRow:
    label: str
    participants: int
    people: int
    municipalities: int
    municipalities_in_region: int


@dataclasses.dataclass
class DayRow:
    """One course day: the course's confirmed participants and those registered as present (None: not recorded)."""

    offering_title: str
    title: str
    date: dt.date
    confirmed: int
    present: int | None

    @property
    def share(self) -> float | None:
        if self.present is None or not self.confirmed:
            return None
        return self.present / self.confirmed * 100


@dataclasses.dataclass
class ScaleRow:
    """A scale question (by its text) across the period's offerings: answers, mean (None below the minimum)."""

    text: str
    offerings: int
    answered: int
    mean: float | None


@dataclasses.dataclass
class OfferingRow:
    pk: int
    title: str
    kind: str
    start: dt.datetime
    course_days: int = 0
    hours: float = 0.0
    confirmed: int = 0
    people: int = 0
    libraries: int = 0
    leaders: int = 0
    invited: int = 0
    responded: int = 0

    @property
    def response_rate(self) -> float | None:
        return self.responded / self.invited * 100 if self.invited else None


@dataclasses.dataclass
class FundersReport:
    initiative: InitiativePage
    start: dt.date
    end: dt.date
    by_kind: list[tuple[str, int]]
    working_groups: int
    course_days: int
    hours: float
    everyone: Reach
    leaders: Reach
    libraries_in_network: int
    municipalities_in_network: int
    regions: list[RegionRow]
    days: list[DayRow]
    invited: int
    responded: int
    scale: list[ScaleRow]
    offerings: list[OfferingRow]
    minimum_responses: int

    @property
    def offerings_held(self) -> int:
        return sum(n for _label, n in self.by_kind)

    @property
    def attendance_share(self) -> float | None:
        """Present of confirmed, over the course days whose attendance was recorded."""
        recorded = [day for day in self.days if day.present is not None]
        confirmed = sum(day.confirmed for day in recorded)
        return sum(day.present for day in recorded) / confirmed * 100 if confirmed else None

    @property
    def days_recorded(self) -> int:
        return sum(1 for day in self.days if day.present is not None)

    @property
    def response_rate(self) -> float | None:
        return self.responded / self.invited * 100 if self.invited else None


def held_offerings(initiative: InitiativePage, *, start: dt.date, end: dt.date, now: dt.datetime):
    """The initiative's offerings held in the period: live, not cancelled, started from `start` to `end` (Copenhagen
    dates, both included) and by `now`."""
    upper = min(local_midnight(end + dt.timedelta(days=1)), now)
    return (
        OfferingPage.objects.live()
        .descendant_of(initiative)
        .exclude(status=Status.CANCELLED)
        .filter(start__gte=local_midnight(start), start__lt=upper)
    )


def _reach(participants: QuerySet[Participant], where: Q | None = None) -> dict:
    def count(expression, **kwargs):
        return Count(expression, filter=where, **kwargs)

    return participants.aggregate(
        participants=count("pk"),
        people=count(person(), distinct=True),
        libraries=count("registration__library", distinct=True),
        municipalities=count("registration__library__municipality", distinct=True),
        regions=count("registration__library__municipality__region", distinct=True),
    )


def funders_report(
    *, initiative: InitiativePage, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> FundersReport:
    """What `initiative` reached with the offerings it held from `start` to `end`; see the module's description."""
    now = now or timezone.now()
    offerings = held_offerings(initiative, start=start, end=end, now=now)
    ids = offerings.values("pk")
    kinds = OfferingPage.kinds()

    # Rows, not pages: a period may hold thousands of offerings, and a page instance costs far more than a row.
    rows: dict[int, OfferingRow] = {}
    for pk, title, start_at, kind in offerings.values_list("pk", "title", "start", "kind").order_by("start", "pk"):
        label = kinds[kind]._meta.verbose_name if kind in kinds else kind
        rows[pk] = OfferingRow(pk, title, str(label), start_at)
    counts = defaultdict(int)
    for row in rows.values():
        counts[row.kind] += 1
    by_kind = [(str(model._meta.verbose_name), counts[str(model._meta.verbose_name)]) for model in kinds.values()]
    by_kind = [(label, n) for label, n in by_kind if n]

    # Course days, each with its length from its times (a day without both times counts as a day, not as hours).
    length = ExpressionWrapper(F("end_time") - F("start_time"), output_field=DurationField())
    course_days = CourseSession.objects.filter(page__in=ids, kind=CourseDayKind.COURSE_DAY)
    sessions = (
        course_days.annotate(length=length)
        .values_list("pk", "page_id", "title", "date", "length")
        .order_by("date", "sort_order", "pk")
    )
    day_list = list(sessions)
    for _pk, page_id, _title, _date, span in day_list:
        rows[page_id].course_days += 1
        if span and span > dt.timedelta(0):
            rows[page_id].hours += span.total_seconds() / 3600

    confirmed = Participant.objects.filter(offering__in=ids, status=ParticipantStatus.CONFIRMED).annotate(
        leader=on_leaders_track()
    )
    everyone = Reach(**_reach(confirmed))
    leaders = Reach(**_reach(confirmed, Q(leader=True)))
    for pk, n, people, libraries, leaders_n in (
        confirmed.values("offering_id")
        .annotate(
            n=Count("pk"),
            people=Count(person(), distinct=True),
            libraries=Count("registration__library", distinct=True),
            leaders=Count("pk", filter=Q(leader=True)),
        )
        .values_list("offering_id", "n", "people", "libraries", "leaders")
        .order_by()
    ):
        row = rows[pk]
        row.confirmed, row.people, row.libraries, row.leaders = n, people, libraries, leaders_n

    region_of = "registration__library__municipality__region"
    per_region = {
        region: (n, people, municipalities)
        for region, n, people, municipalities in confirmed.values(region_of)
        .annotate(
            n=Count("pk"),
            people=Count(person(), distinct=True),
            municipalities=Count("registration__library__municipality", distinct=True),
        )
        .values_list(region_of, "n", "people", "municipalities")
        .order_by()
    }
    in_region = dict(Municipality.objects.values_list("region").annotate(n=Count("pk")).order_by())
    regions = [
        RegionRow(label, *per_region.get(value, (0, 0, 0)), in_region.get(value, 0)) for value, label in Region.choices
    ]

    attendance = {
        session: (recorded, present)
        for session, recorded, present in SessionAttendance.objects.filter(
            session__in=course_days.values("pk"), participant__status=ParticipantStatus.CONFIRMED
        )
        .values("session_id")
        .annotate(recorded=Count("pk"), present=Count("pk", filter=Q(attended=True)))
        .values_list("session_id", "recorded", "present")
        .order_by()
    }
    days = []
    for pk, page_id, title, date, _span in day_list:
        recorded, present = attendance.get(pk, (0, 0))
        days.append(DayRow(rows[page_id].title, title, date, rows[page_id].confirmed, present if recorded else None))

    for pk, n in (
        EvaluationInvitation.objects.filter(offering__in=ids)
        .values("offering_id")
        .annotate(n=Count("pk"))
        .values_list("offering_id", "n")
        .order_by()
    ):
        rows[pk].invited = n
    responses = EvaluationResponse.objects.filter(offering__in=ids)
    for pk, n in responses.values("offering_id").annotate(n=Count("pk")).values_list("offering_id", "n").order_by():
        rows[pk].responded = n
    # The questions only of the offerings answered: the others have no mean to give.
    answered = [pk for pk, row in rows.items() if row.responded]
    questions = {
        offering.pk: [q for q in evaluation_questions(offering) if q.kind == "scale"]
        for offering in OfferingPage.objects.filter(pk__in=answered).only("pk", "evaluation")
    }
    minimum = settings.EVALUATION_MIN_RESPONSES
    return FundersReport(
        initiative=initiative,
        start=start,
        end=end,
        by_kind=by_kind,
        working_groups=initiative.get_descendants().live().type(WorkingGroupPage).count(),
        course_days=len(day_list),
        hours=sum(row.hours for row in rows.values()),
        everyone=everyone,
        leaders=leaders,
        libraries_in_network=Library.objects.count(),
        municipalities_in_network=sum(in_region.values()),
        regions=regions,
        days=days,
        invited=sum(row.invited for row in rows.values()),
        responded=sum(row.responded for row in rows.values()),
        scale=_scale_means(responses, questions, minimum) if any(questions.values()) else [],
        offerings=list(rows.values()),
        minimum_responses=minimum,
    )


def _scale_means(responses, questions: dict, minimum: int) -> list[ScaleRow]:
    """The scale questions pooled by their text (the seed's questions are the same on every offering): answers and
    mean across the offerings, the mean only from `minimum` answers, as the offering's own results do. Only the
    responses of offerings with a scale question are read, and of those only the answers."""
    with_scale = [pk for pk, qs in questions.items() if qs]
    pooled: dict[str, list] = {}
    for offering_id, answers in responses.filter(offering_id__in=with_scale).values_list("offering_id", "answers"):
        for question in questions[offering_id]:
            value = answers.get(question.id)
            entry = pooled.setdefault(question.text, [set(), 0, 0])
            entry[0].add(offering_id)
            if isinstance(value, int) and not isinstance(value, bool):
                entry[1] += 1
                entry[2] += value
    return [
        ScaleRow(text, len(seen), n, total / n if n >= minimum else None)
        for text, (seen, n, total) in sorted(pooled.items(), key=lambda item: item[0].casefold())
    ]


def report_years(initiative: InitiativePage, *, now: dt.datetime | None = None) -> list[int]:
    """The calendar years offered as presets: from the grant's first year (or four years back) to this year."""
    this_year = timezone.localdate(now or timezone.now()).year
    first = initiative.funding_start.year if initiative.funding_start else this_year - 4
    return list(range(this_year, min(first, this_year) - 1, -1))
