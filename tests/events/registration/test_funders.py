"""The funders' report: every figure against a hand-built initiative, the counts after anonymisation, and a fixed
number of queries whatever the number of offerings."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

import pytest

from events.registration.evaluation_models import EvaluationInvitation, EvaluationResponse
from events.registration.funders import funders_report, report_years
from events.registration.models import Participant, ParticipantStatus, SessionAttendance
from events.registration.privacy import person_erase, registrations_anonymise_expired
from events.registration.values import Actor
from network.models import Library, OfferingPage, OfferingTrack, Status
from tests.events.factories import CoursePageFactory, CourseSessionFactory, EventPageFactory, tracks
from tests.network.factories import InitiativePageFactory, WorkingGroupPageFactory
from tests.webinars.factories import WebinarPageFactory

from .figures import add

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 3, 1, 12, 0))
YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
SCALE = ("scale", {"question": "Hvor nyttig var dagen?", "low_label": "Slet ikke", "high_label": "Meget"})
TEXT = ("text", {"question": "Hvad tager du med hjem?"})


def local(year, month, day, hour=10, minute=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def library(name: str) -> Library:
    return Library.objects.get(municipality__name=name)


def respond(offering, participants, values):
    """Invitations for `participants`; one response per value (None: a response without the scale question)."""
    for participant in participants:
        EvaluationInvitation.objects.create(participant=participant, offering=offering, sent_at=offering.end)
    questions = {child.block_type: child.id for child in offering.evaluation}
    for n, value in enumerate(values):
        answers = {} if value is None else {questions["scale"]: value}
        EvaluationResponse.objects.create(offering=offering, answers=answers, receipt_hash=f"{offering.pk}-{n}")


@pytest.fixture
def built(initiative, organisation):
    """An initiative's year 2025, seen from 1 March 2026 (Copenhagen):

    - course (10 Mar-20 Apr 2025; tracks Medarbejdere and Ledere, the leaders' track): course days 10 Mar 9-15.30
      and 10 Apr 9-12, 20 Apr without times, an activity between (not a course day). Confirmed: Herning a, b (Ledere),
      Ballerup c; Herning d cancelled, e waiting. Present: day 1 a, b (c absent); day 2 a (b, c absent); day 3 not
      recorded. Evaluation (text only): 3 invited, 1 response.
    - event (1 Sep 2025; a track named "Ledere" that is not marked as the leaders'): Herning A (a's address in
      capitals), Aalborg f on "Ledere". Evaluation: 2 invited, 2 responses, scale 4 and 5.
    - webinar (5 Nov 2025): Aalborg g. Evaluation with the same scale question: 1 invited, 1 response, 3.
    - left out: a course that started 31 Dec 2024 23.30, an event on 1 Jan 2026 00.00, a cancelled and an unpublished
      event in 2025, an event of the organisation outside the initiative, one of another initiative.
    - a working group below the initiative.
    """
    herning, ballerup, aalborg = library("Herning"), library("Ballerup"), library("Aalborg")
    course = CoursePageFactory(
        parent=initiative,
        title="Kompetenceforløb",
        start=local(2025, 3, 10, 9),
        end=local(2025, 4, 20, 16),
        tracks=tracks("Medarbejdere", "Ledere"),
        evaluation=[TEXT],
        sessions=[
            CourseSessionFactory.build(title="Dag 1", date=dt.date(2025, 3, 10), end_time=dt.time(15, 30)),
            CourseSessionFactory.build(title="Hjemmeopgave", date=dt.date(2025, 3, 20), kind="aktivitet"),
            CourseSessionFactory.build(title="Dag 2", date=dt.date(2025, 4, 10), end_time=dt.time(12, 0)),
            CourseSessionFactory.build(title="Dag 3", date=dt.date(2025, 4, 20), start_time=None, end_time=None),
        ],
    )
    a, b = add(course, herning, local(2025, 2, 1), n=2)
    Participant.objects.filter(pk=a.pk).update(email="a@example.org")
    Participant.objects.filter(pk=b.pk).update(track="Ledere")
    (c,) = add(course, ballerup, local(2025, 2, 1))
    add(course, herning, local(2025, 2, 1), status=ParticipantStatus.CANCELLED)
    add(course, herning, local(2025, 2, 1), status=ParticipantStatus.WAITING)
    day1, day2, _day3 = course.sessions.filter(kind="kursusgang").order_by("date")
    for participant, day, present in [(a, day1, True), (b, day1, True), (c, day1, False), (a, day2, True),
                                      (b, day2, False), (c, day2, False)]:  # fmt: skip
        SessionAttendance.objects.create(participant=participant, session=day, attended=present)
    respond(course, [a, b, c], [None])

    event = EventPageFactory(
        parent=initiative,
        start=local(2025, 9, 1),
        end=local(2025, 9, 1, 16),
        tracks=[OfferingTrack(name="Ledere", for_leaders=False)],
        evaluation=[SCALE],
    )
    (a_again,) = add(event, herning, local(2025, 8, 1), email="A@Example.org")
    (f,) = add(event, aalborg, local(2025, 8, 1))
    Participant.objects.filter(pk=f.pk).update(track="Ledere")
    respond(event, [a_again, f], [4, 5])

    webinar = WebinarPageFactory(parent=initiative, start=local(2025, 11, 5, 14), evaluation=[SCALE])
    (g,) = add(webinar, aalborg, local(2025, 10, 1))
    respond(webinar, [g], [3])

    for start in (local(2024, 12, 31, 23, 30), local(2026, 1, 1, 0, 0)):
        add(EventPageFactory(parent=initiative, start=start), herning, local(2024, 11, 1))
    add(EventPageFactory(parent=initiative, start=local(2025, 6, 1), status=Status.CANCELLED), herning, NOW)
    add(EventPageFactory(parent=initiative, start=local(2025, 6, 2), live=False), herning, NOW)
    add(EventPageFactory(parent=organisation, start=local(2025, 6, 3)), herning, NOW)
    other = InitiativePageFactory(parent=initiative.get_parent(), title="Skole og bibliotek")
    add(EventPageFactory(parent=other, start=local(2025, 6, 4)), herning, NOW)
    WorkingGroupPageFactory(parent=initiative)
    return {"course": course, "event": event, "webinar": webinar, "a_rows": [a.pk, a_again.pk]}


def report(initiative, now=NOW, period=YEAR):
    return funders_report(initiative=initiative, start=period[0], end=period[1], now=now)


def figures(report) -> dict:
    """Every count of the report, to compare before and after anonymisation."""
    return {
        "by_kind": report.by_kind,
        "course_days": report.course_days,
        "hours": report.hours,
        "everyone": report.everyone,
        "leaders": report.leaders,
        "regions": report.regions,
        "days": [(day.title, day.confirmed, day.present) for day in report.days],
        "evaluation": (report.invited, report.responded, report.scale),
        "offerings": [
            (row.title, row.confirmed, row.people, row.libraries, row.leaders, row.invited, row.responded)
            for row in report.offerings
        ],
    }


# --- Every figure ----------------------------------------------------------------------------------------------


def test_offerings_held_are_those_of_the_initiative_that_started_in_the_period(initiative, built):
    result = report(initiative)

    assert result.by_kind == [("webinar", 1), ("kursus", 1), ("arrangement", 1)]
    assert result.offerings_held == 3
    assert [row.pk for row in result.offerings] == [built[k].pk for k in ("course", "event", "webinar")]
    assert result.working_groups == 1


def test_an_offering_that_has_not_started_yet_is_not_held(initiative):
    EventPageFactory(parent=initiative, start=NOW + dt.timedelta(minutes=1))
    EventPageFactory(parent=initiative, start=NOW - dt.timedelta(minutes=1))

    assert report(initiative, period=(dt.date(2026, 1, 1), dt.date(2026, 12, 31))).offerings_held == 1


def test_course_days_and_hours_come_from_the_course_days_times(initiative, built):
    result = report(initiative)

    assert result.course_days == 3  # the activity between the days is no course day
    assert result.hours == pytest.approx(6.5 + 3)  # 9-15.30 and 9-12; the day without times has no hours
    course_row = result.offerings[0]
    assert (course_row.course_days, course_row.hours) == (3, pytest.approx(9.5))


def test_participants_are_the_confirmed_and_people_are_counted_once_by_address(initiative, built):
    everyone = report(initiative).everyone

    assert everyone.participants == 6  # 3 + 2 + 1 confirmed; the cancelled and the waiting are not
    assert everyone.people == 5  # a took part twice, once as A@Example.org
    assert (everyone.libraries, everyone.municipalities, everyone.regions) == (3, 3, 3)


def test_libraries_municipalities_and_regions_reached(initiative, built):
    result = report(initiative)

    assert (result.libraries_in_network, result.municipalities_in_network) == (98, 98)
    regions = {row.label: (row.participants, row.people, row.municipalities, row.municipalities_in_region)
               for row in result.regions}  # fmt: skip
    assert regions == {
        "Region Hovedstaden": (1, 1, 1, 29),
        "Region Sjælland": (0, 0, 0, 17),
        "Region Syddanmark": (0, 0, 0, 22),
        "Region Midtjylland": (3, 2, 1, 19),
        "Region Nordjylland": (2, 2, 1, 11),
    }


def test_the_leaders_track_is_the_one_marked_for_leaders_not_any_named_so(initiative, built):
    result = report(initiative)

    assert (result.leaders.participants, result.leaders.people, result.leaders.libraries) == (1, 1, 1)
    assert [row.leaders for row in result.offerings] == [1, 0, 0]  # f chose the event's "Ledere", not marked


def test_attendance_is_the_share_of_the_confirmed_registered_present_per_course_day(initiative, built):
    result = report(initiative)

    assert [(day.title, day.confirmed, day.present) for day in result.days] == [
        ("Dag 1", 3, 2),
        ("Dag 2", 3, 1),
        ("Dag 3", 3, None),  # not recorded: no share, and left out of the total
    ]
    assert [day.share for day in result.days] == [pytest.approx(200 / 3), pytest.approx(100 / 3), None]
    assert result.attendance_share == pytest.approx(50)
    assert result.days_recorded == 2


def test_evaluation_response_rates_and_the_scale_questions_mean(initiative, built, settings):
    settings.EVALUATION_MIN_RESPONSES = 3
    result = report(initiative)

    assert (result.invited, result.responded) == (6, 4)
    assert result.response_rate == pytest.approx(400 / 6)
    assert [(row.invited, row.responded) for row in result.offerings] == [(3, 1), (2, 2), (1, 1)]
    assert [(row.text, row.offerings, row.answered, row.mean) for row in result.scale] == [
        ("Hvor nyttig var dagen?", 2, 3, pytest.approx(4.0))  # the event's 4 and 5 with the webinar's 3
    ]


def test_a_mean_is_not_shown_below_the_minimum_of_answers(initiative, built, settings):
    settings.EVALUATION_MIN_RESPONSES = 4
    (row,) = report(initiative).scale

    assert (row.answered, row.mean) == (3, None)


def test_the_period_is_read_in_copenhagen_time_both_ends_included(initiative, built):
    assert report(initiative, period=(dt.date(2024, 12, 31), dt.date(2024, 12, 31))).offerings_held == 1
    assert report(initiative, period=(dt.date(2026, 1, 1), dt.date(2026, 1, 1))).offerings_held == 1
    assert report(initiative, period=(dt.date(2025, 9, 1), dt.date(2025, 9, 1))).by_kind == [("arrangement", 1)]


def test_report_years_go_back_to_the_grants_first_year(initiative):
    assert report_years(initiative, now=NOW) == [2026, 2025, 2024, 2023, 2022]


# --- Anonymisation -------------------------------------------------------------------------------------------------


def test_every_count_stays_when_part_and_then_all_are_anonymised(initiative, built):
    before = figures(report(initiative))

    # 1 May 2026: the course ended over 12 months ago, the event not; a's course row loses its address first.
    assert registrations_anonymise_expired(now=local(2026, 5, 1)) > 0
    assert not Participant.objects.filter(offering=built["course"], person_key="").exists()
    assert figures(report(initiative)) == before

    registrations_anonymise_expired(now=local(2030, 1, 1))
    offerings = [built[k] for k in ("course", "event", "webinar")]
    assert not Participant.objects.filter(offering__in=offerings).exclude(email="").exists()
    assert figures(report(initiative)) == before


def test_one_address_gets_one_key_across_anonymisations_and_the_key_says_nothing_of_it(initiative, built):
    course_row, event_row = built["a_rows"]
    registrations_anonymise_expired(now=local(2026, 5, 1))
    key = Participant.objects.get(pk=course_row).person_key
    assert Participant.objects.get(pk=event_row).person_key == key  # still with its address, given the key ahead
    registrations_anonymise_expired(now=local(2030, 1, 1))

    assert set(Participant.objects.filter(pk__in=built["a_rows"]).values_list("person_key", flat=True)) == {key}
    assert "example" not in key and len(key) == 32


def test_erasure_on_request_removes_the_key_too(initiative, built):
    Participant.objects.filter(pk=built["a_rows"][1]).update(email="a@example.org")  # erasure matches it exactly
    registrations_anonymise_expired(now=local(2026, 5, 1))  # the event's row now carries the key as well
    person_erase(email="a@example.org", actor=Actor(role="coordinator"))

    assert set(Participant.objects.filter(pk__in=built["a_rows"]).values_list("person_key", flat=True)) == {""}


# --- Queries -------------------------------------------------------------------------------------------------------


def test_the_queries_do_not_grow_with_the_offerings(initiative, built, django_assert_num_queries):
    report(initiative)  # Wagtail's page models and the site are looked up once
    with django_assert_num_queries(14) as first:  # the rows, then the questions of the answered offerings apart
        report(initiative)
    for n in range(5):
        course = CoursePageFactory(
            parent=initiative,
            start=local(2025, 5, 1 + n),
            end=local(2025, 5, 1 + n, 16),
            tracks=tracks("Ledere"),
            evaluation=[SCALE],
            sessions=[CourseSessionFactory.build(date=dt.date(2025, 5, 1 + n))],
        )
        respond(course, add(course, library("Odense"), local(2025, 4, 1), n=2), [5, 4])
    with django_assert_num_queries(len(first.captured_queries)):
        assert report(initiative).offerings_held == 8


def test_an_offering_moved_out_of_the_initiative_leaves_its_report(initiative, built):
    other = InitiativePageFactory(parent=initiative.get_parent(), title="Netværket DB2030")
    OfferingPage.objects.get(pk=built["webinar"].pk).move(other, pos="last-child")

    assert report(initiative).offerings_held == 2
    assert report(other).by_kind == [("webinar", 1)]
