"""Evaluations of a course day: its own questions, a link when the day ends (to who attended, where attendance was
recorded), one reminder, one anonymous answer per link, closed in time; beside the course's own evaluation."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import timezone

import pytest

from events.models import CourseSession
from events.registration.errors import RegistrationError
from events.registration.evaluation_models import EvaluationInvitation, EvaluationResponse
from events.registration.evaluations import (
    EvaluationAnswerError,
    evaluation_answer,
    evaluation_questions,
    evaluations_invite_due,
)
from events.registration.models import OutboxMessage, Participant, SessionAttendance
from network.models import OfferingPage
from tests.events.factories import CoursePageFactory, CourseSessionFactory

from .conftest import people, register
from .test_evaluations import LINK, QUESTIONS, post_data

pytestmark = pytest.mark.django_db

DAY_QUESTIONS = [
    ("scale", {"question": "Hvor godt var oplægget?", "low_label": "Dårligt", "high_label": "Godt", "required": True}),
    ("text", {"question": "Hvad vil du prøve af?", "required": True}),
]


def make_course(parent, library, capture, *, n: int = 6, title: str = "Formidling i praksis", questions=None):
    """A course with two course days (the first with its own evaluation) and an activity between; `n` confirmed
    participants; the first day ended yesterday afternoon, the second is in ten days."""
    start = timezone.localdate() + dt.timedelta(days=20)
    course = CoursePageFactory(
        parent=parent,
        title=title,
        registration_enabled=True,
        capacity=30,
        evaluation=[],
        sessions=[
            CourseSessionFactory.build(title="Kursusgang 1", date=start, evaluation=questions or DAY_QUESTIONS),
            CourseSessionFactory.build(title="Mellem gangene", date=start + dt.timedelta(days=3), kind="aktivitet"),
            CourseSessionFactory.build(title="Kursusgang 2", date=start + dt.timedelta(days=9)),
        ],
    )
    with capture(execute=True):
        register(course, library, people(n, prefix=f"{course.slug}-"))
    day_1, between, day_2 = course.sessions.order_by("sort_order", "date")
    move_days(course, timezone.localdate() - dt.timedelta(days=1))
    mail.outbox.clear()
    return course


def move_days(course, first: dt.date) -> None:
    """The first course day on `first`, the rest after it as before; the course's period follows."""
    day_1, between, day_2 = course.sessions.order_by("sort_order", "date")
    CourseSession.objects.filter(pk=day_1.pk).update(date=first)
    CourseSession.objects.filter(pk=between.pk).update(date=first + dt.timedelta(days=3))
    CourseSession.objects.filter(pk=day_2.pk).update(date=first + dt.timedelta(days=11))
    start = timezone.make_aware(dt.datetime.combine(first, dt.time(9)))
    OfferingPage.objects.filter(pk=course.pk).update(start=start, end=start + dt.timedelta(days=11, hours=6))


def first_day(course) -> CourseSession:
    return CourseSession.objects.get(page=course, title="Kursusgang 1")


@pytest.fixture
def course_day(initiative, library, django_capture_on_commit_callbacks):
    return make_course(initiative, library, django_capture_on_commit_callbacks)


def invite(capture, now=None):
    with capture(execute=True):
        return evaluations_invite_due(now=now or timezone.now())


def sent_links() -> dict[str, tuple[str, int, str]]:
    found = {}
    for message in mail.outbox:
        path, pk, token = LINK.search(message.body).groups()
        found[message.to[0]] = (path, int(pk), token)
    return found


def day_answers(course, scale="4", text="Et nyt format") -> dict:
    scale_id, text_id = [q.id for q in evaluation_questions(course, first_day(course))]
    return {scale_id: scale, text_id: text}


# --- Invitations ---------------------------------------------------------------------------------------------------


def test_when_the_day_ends_each_confirmed_participant_gets_the_days_link_and_not_the_courses(
    course_day, django_capture_on_commit_callbacks
):
    assert invite(django_capture_on_commit_callbacks) == (6, 0)
    invitations = EvaluationInvitation.objects.filter(offering=course_day)
    assert invitations.count() == 6
    assert set(invitations.values_list("session_id", flat=True)) == {first_day(course_day).pk}
    message = mail.outbox[0]
    assert message.subject == "Hvordan var det? Evaluering af Kursusgang 1, Formidling i praksis"
    assert "Spørgsmålene handler om kursusgangen Kursusgang 1." in message.body
    assert OutboxMessage.objects.filter(kind="evaluation", context__evaluation_day="Kursusgang 1").count() == 6
    mail.outbox.clear()
    assert invite(django_capture_on_commit_callbacks) == (0, 0)  # once per participant and day


def test_nobody_is_invited_before_the_day_ends_or_for_a_day_without_questions(
    course_day, django_capture_on_commit_callbacks
):
    day = first_day(course_day)
    CourseSession.objects.filter(pk=day.pk).update(date=timezone.localdate() + dt.timedelta(days=1))
    assert invite(django_capture_on_commit_callbacks) == (0, 0)
    CourseSession.objects.filter(pk=day.pk).update(date=timezone.localdate() - dt.timedelta(days=1), evaluation=[])
    assert invite(django_capture_on_commit_callbacks) == (0, 0)
    assert not EvaluationInvitation.objects.exists()


def test_nobody_is_invited_once_the_days_evaluation_has_closed(
    course_day, settings, django_capture_on_commit_callbacks
):
    move_days(course_day, timezone.localdate() - dt.timedelta(days=settings.EVALUATION_OPEN_DAYS + 1))
    OfferingPage.objects.filter(pk=course_day.pk).update(evaluation=[])
    assert invite(django_capture_on_commit_callbacks) == (0, 0)


def test_where_attendance_was_recorded_only_who_attended_the_day_is_invited(
    course_day, django_capture_on_commit_callbacks
):
    day = first_day(course_day)
    participants = list(Participant.objects.filter(offering=course_day).order_by("pk"))
    for i, participant in enumerate(participants):
        SessionAttendance.objects.create(participant=participant, session=day, attended=i < 4)
    assert invite(django_capture_on_commit_callbacks) == (4, 0)
    assert sorted(sent_links()) == sorted(p.email for p in participants[:4])


def test_the_days_and_the_courses_evaluation_each_get_their_own_link(course_day, django_capture_on_commit_callbacks):
    assert invite(django_capture_on_commit_callbacks) == (6, 0)
    OfferingPage.objects.filter(pk=course_day.pk).update(evaluation=course_questions(), end=timezone.now())
    later = timezone.now() + dt.timedelta(minutes=1)
    assert invite(django_capture_on_commit_callbacks, later) == (6, 0)
    participant = Participant.objects.filter(offering=course_day).first()
    assert sorted(participant.evaluation_invitations.values_list("session_id", flat=True), key=bool) == [
        None,
        first_day(course_day).pk,
    ]


def course_questions() -> list[dict]:
    return [{"type": kind, "value": value, "id": f"kursus-{i}"} for i, (kind, value) in enumerate(QUESTIONS)]


def test_one_reminder_for_the_day_and_none_after_it_closed(course_day, settings, django_capture_on_commit_callbacks):
    now = timezone.now()
    invite(django_capture_on_commit_callbacks, now)
    mail.outbox.clear()
    due = now + dt.timedelta(days=settings.EVALUATION_REMINDER_DAYS, minutes=1)
    assert invite(django_capture_on_commit_callbacks, due) == (0, 6)
    assert mail.outbox[0].subject == "Påmindelse: evaluering af Kursusgang 1, Formidling i praksis"
    assert "Spørgsmålene handler om kursusgangen Kursusgang 1." in mail.outbox[0].body
    EvaluationInvitation.objects.update(reminded_at=None)
    closed = now + dt.timedelta(days=settings.EVALUATION_OPEN_DAYS + 1)
    assert invite(django_capture_on_commit_callbacks, closed) == (0, 0)


# --- Answering -----------------------------------------------------------------------------------------------------


@pytest.fixture
def day_links(course_day, django_capture_on_commit_callbacks):
    invite(django_capture_on_commit_callbacks)
    return sent_links()


def one(day_links, n: int = 1) -> tuple[EvaluationInvitation, str]:
    _path, pk, token = day_links[f"{sorted(day_links)[n - 1]}"]
    return EvaluationInvitation.objects.get(pk=pk), token


def test_an_answer_to_the_day_is_stored_for_the_day_without_the_participant(course_day, day_links):
    invitation, token = one(day_links)
    response = evaluation_answer(invitation=invitation, token=token, answers=day_answers(course_day))
    assert response.session_id == first_day(course_day).pk and response.offering_id == course_day.pk
    assert sorted(response.answers.values(), key=str) == [4, "Et nyt format"]


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        ({"scale": "6"}, "scale", "Vælg et tal fra 1 til 5: Hvor godt var oplægget?"),
        ({"scale": "0"}, "scale", "Vælg et tal fra 1 til 5: Hvor godt var oplægget?"),
        ({"scale": ""}, "required", "Besvar spørgsmålet: Hvor godt var oplægget?"),
        ({"text": "   "}, "required", "Besvar spørgsmålet: Hvad vil du prøve af?"),
    ],
)
def test_each_rule_refuses_a_days_answers_with_a_danish_message_and_saves_nothing(
    course_day, day_links, change, code, message
):
    invitation, token = one(day_links)
    with pytest.raises(EvaluationAnswerError) as raised:
        evaluation_answer(invitation=invitation, token=token, answers=day_answers(course_day, **change))
    assert raised.value.code == code and message in raised.value.errors.values()
    invitation.refresh_from_db()
    assert invitation.answered_at is None and not EvaluationResponse.objects.exists()


def test_a_days_link_used_twice_is_refused_and_the_first_answer_stays(course_day, day_links):
    invitation, token = one(day_links)
    evaluation_answer(invitation=invitation, token=token, answers=day_answers(course_day))
    stale = EvaluationInvitation.objects.get(pk=invitation.pk)
    stale.answered_at = None
    with pytest.raises(RegistrationError) as raised:
        evaluation_answer(invitation=stale, token=token, answers=day_answers(course_day, scale="1"))
    assert raised.value.code == "answered" and raised.value.message == "Du har allerede svaret på evalueringen."
    assert list(EvaluationResponse.objects.values_list("session_id", flat=True)) == [first_day(course_day).pk]


def test_a_day_closes_after_the_open_days_counted_from_the_day_not_the_course(course_day, day_links, settings):
    invitation, token = one(day_links)
    day_end = first_day(course_day).ends_at()
    just_open = day_end + dt.timedelta(days=settings.EVALUATION_OPEN_DAYS, minutes=-1)
    closed = day_end + dt.timedelta(days=settings.EVALUATION_OPEN_DAYS)
    assert closed < course_day.end + dt.timedelta(days=settings.EVALUATION_OPEN_DAYS)  # the course is still open
    with pytest.raises(RegistrationError) as raised:
        evaluation_answer(invitation=invitation, token=token, answers=day_answers(course_day), now=closed)
    assert raised.value.code == "closed" and raised.value.message == "Evalueringen er lukket. Tak for din interesse."
    assert not EvaluationResponse.objects.exists()
    evaluation_answer(invitation=invitation, token=token, answers=day_answers(course_day), now=just_open)
    assert EvaluationResponse.objects.count() == 1


# --- The form ------------------------------------------------------------------------------------------------------


def test_the_days_form_names_the_day_and_refuses_a_scale_out_of_range_in_danish(client, course_day, day_links):
    invitation, _token = one(day_links)
    path = day_links[sorted(day_links)[0]][0]
    client.get(path)
    page = client.get(f"/tilmelding/evaluering/{invitation.pk}/").content.decode()
    assert "Evaluering af Kursusgang 1, Formidling i praksis" in page
    assert "<legend>Hvor godt var oplægget?" in page
    response = client.post(f"/tilmelding/evaluering/{invitation.pk}/", post_data(day_answers(course_day, scale="9")))
    assert response.status_code == 400
    assert "Vælg et tal fra 1 til 5: Hvor godt var oplægget?" in response.content.decode()
    assert not EvaluationResponse.objects.exists()
    response = client.post(f"/tilmelding/evaluering/{invitation.pk}/", post_data(day_answers(course_day)))
    assert response.status_code == 302
    answered = client.get(f"/tilmelding/evaluering/{invitation.pk}/").content.decode()
    assert "Det svarede du om Kursusgang 1, Formidling i praksis." in answered and "Et nyt format" in answered


def test_a_closed_days_form_says_so(client, course_day, day_links, settings):
    invitation, _token = one(day_links)
    client.get(day_links[sorted(day_links)[0]][0])
    move_days(course_day, timezone.localdate() - dt.timedelta(days=settings.EVALUATION_OPEN_DAYS + 2))
    page = client.get(f"/tilmelding/evaluering/{invitation.pk}/")
    assert page.status_code == 200 and 'data-evaluation="closed"' in page.content.decode()
    response = client.post(f"/tilmelding/evaluering/{invitation.pk}/", post_data(day_answers(course_day)))
    assert response.status_code == 400 and "Evalueringen er lukket" in response.content.decode()
    assert not EvaluationResponse.objects.exists()
