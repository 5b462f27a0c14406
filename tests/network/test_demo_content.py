"""The demo's content: valid by the site's own rules, current, free of real people, split between coordinators, and
showing what follows a course (attendance, evaluation results, certificates)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from wagtail.documents import get_document_model, get_permission_policy
from wagtail.models import Collection, Page

import pytest

from events.models import CoursePage, EventPage
from events.registration.evaluation_models import EvaluationInvitation
from events.registration.evaluations import evaluation_questions, evaluation_results
from events.registration.models import Certificate, OutboxMessage, Participant, SessionAttendance
from events.registration.selectors import course_days
from network.demo.after_course import COURSE_SLUG, COURSE_TITLE
from network.demo.content import DEMO_COORDINATORS, DEMO_PASSWORD
from network.models import Person
from network.services import PERSONAL_DATA_GROUP
from webinars.models import WebinarPage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo(demo_site, db):
    """The demo, loaded once for this module (see conftest), with a transaction per test on top."""


def test_demo_has_upcoming_and_past_offerings():
    for model in [EventPage, CoursePage, WebinarPage]:
        assert model.objects.upcoming().exists(), f"no upcoming {model.__name__}"
        assert model.objects.past().exists(), f"no past {model.__name__}"


def test_demo_pages_pass_their_own_validation():
    errors = []
    for page in Page.objects.filter(depth__gt=1).specific():
        try:
            page.full_clean()
        except ValidationError as error:
            errors.append(f"{page.title}: {error.message_dict}")
        if isinstance(page, CoursePage):
            for session in page.sessions.all():
                try:
                    session.full_clean(exclude=["page"])
                except ValidationError as error:
                    errors.append(f"{page.title} / {session.title}: {error.message_dict}")
    assert not errors, "\n".join(errors)


def test_demo_names_no_real_people():
    emails = [
        *Person.objects.values_list("email", flat=True),
        *get_user_model().objects.values_list("email", flat=True),
    ]
    assert emails
    assert all(email.endswith("@example.org") for email in emails), emails


def test_demo_coordinators_edit_only_their_own_sections():
    User = get_user_model()
    db_user, ki_user = (User.objects.get(username=username) for username in DEMO_COORDINATORS)
    db_course = CoursePage.objects.get(slug="saet-spot-paa-kompetencerne-2016")
    ki_webinar = WebinarPage.objects.live().first()
    assert db_course.permissions_for_user(db_user).can_publish()
    assert not db_course.permissions_for_user(ki_user).can_edit()
    assert ki_webinar.permissions_for_user(ki_user).can_publish()
    assert not ki_webinar.permissions_for_user(db_user).can_edit()


def test_demo_has_a_personal_data_officer_and_coordinators_without_network_wide_rights():
    User = get_user_model()
    officer = User.objects.get(username="persondata")
    assert officer.check_password(DEMO_PASSWORD)
    assert officer.groups.filter(name=PERSONAL_DATA_GROUP).exists()
    assert officer.has_perm("events.view_registrations") and officer.has_perm("events.handle_personal_data")
    for username in DEMO_COORDINATORS:
        coordinator = User.objects.get(username=username)
        assert not coordinator.has_perm("events.view_registrations")
        assert not coordinator.has_perm("events.handle_personal_data")


def test_demo_documents_are_in_their_organisations_collection_which_only_its_coordinators_change():
    User = get_user_model()
    db_user, ki_user = (User.objects.get(username=username) for username in DEMO_COORDINATORS)
    mandate = get_document_model().objects.get(title="Kommissorium for arbejdsgruppen under DB2030")
    process = get_document_model().objects.get(title="Procesbeskrivelse til interviewrunderne")
    assert (mandate.collection.name, process.collection.name) == (
        "Kultur og Information",
        "Danmarks Biblioteksforening",
    )
    assert get_permission_policy().user_has_permission_for_instance(ki_user, "change", mandate)
    assert not get_permission_policy().user_has_permission_for_instance(db_user, "change", mandate)
    assert not get_permission_policy().user_has_permission_for_instance(ki_user, "change", process)
    assert {c.name for c in Collection.get_first_root_node().get_children()} >= {
        "Danmarks Biblioteksforening",
        "Kultur og Information",
        "FKI",
    }
    chooser = get_permission_policy().instances_user_has_permission_for(db_user, "choose")
    assert chooser.filter(pk=mandate.pk).exists()


# --- The recent past course, with everything after it (network/demo/after_course.py) ---------------------------------


@pytest.fixture
def past_course() -> CoursePage:
    return CoursePage.objects.get(slug=COURSE_SLUG)


def test_the_past_course_ended_recently_with_homework_between_its_two_course_days(past_course):
    assert past_course.title == COURSE_TITLE and past_course.live and past_course.registration_enabled
    ended = timezone.now() - past_course.end
    assert dt.timedelta(days=9) < ended < dt.timedelta(days=11)
    steps = [(session.kind, session.title) for session in past_course.sessions.order_by("date")]
    assert [title for _kind, title in steps][1] == "Hjemmeopgave"
    assert [kind for kind, _title in steps] == ["kursusgang", "aktivitet", "kursusgang"]


def test_about_twelve_made_up_colleagues_from_several_libraries_were_registered_through_the_form_service(
    past_course,
):
    participants = Participant.objects.filter(offering=past_course, status="confirmed")
    assert participants.count() == 12
    assert participants.values("registration__library").distinct().count() == 5
    assert all(email.endswith("@example.org") for email in participants.values_list("email", flat=True))
    assert participants.filter(name="Medarbejder 1, Bibliotekerne i Herning").exists()
    # Through registration_create: a receipt to each contact and a seat e-mail with an own-page link to each.
    sent = OutboxMessage.objects.filter(registration__offering=past_course)
    assert sent.filter(kind="contact_receipt").count() == 5
    assert sent.filter(kind="confirmed").exclude(context__own_url="").count() == 12


def test_attendance_is_registered_for_both_days_and_two_missed_one(past_course):
    day1, day2 = course_days(course=past_course)
    came = SessionAttendance.objects.filter(participant__offering=past_course, attended=True)
    assert came.filter(session=day1).count() == 11 and came.filter(session=day2).count() == 11
    missed = SessionAttendance.objects.filter(participant__offering=past_course, attended=False)
    assert missed.values("participant").distinct().count() == 2


def test_the_evaluation_was_sent_to_all_and_answered_by_enough_to_show_its_results(past_course):
    assert EvaluationInvitation.objects.filter(offering=past_course).count() == 12
    assert OutboxMessage.objects.filter(registration__offering=past_course, kind="evaluation").count() == 12
    questions = evaluation_questions(past_course)
    assert [q.kind for q in questions] == ["scale", "text", "text", "text"]
    assert "Når jeg tænker på de to kursusdage" in questions[1].text  # the seed's "Exit" and "Opsamling" follow
    results = evaluation_results(offering=past_course, questions=questions, minimum=settings.EVALUATION_MIN_RESPONSES)
    assert results.responded >= 6 and results.shown
    scale, exit_first = results.questions[:2]
    assert scale.mean is not None and 3 <= scale.mean <= 5
    assert exit_first.texts


def test_the_coordinator_sees_the_evaluation_results_in_the_admin(past_course, client):
    client.force_login(get_user_model().objects.get(username="koordinator-db"))
    response = client.get(f"/admin/tilmeldinger/{past_course.pk}/evaluering/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Hvor meget kan du bruge forløbet i dit arbejde?" in text
    assert "At vi har meget mere at byde på, end vi selv tror." in text


def test_certificates_went_to_those_who_came_both_days_with_an_e_mail_each(past_course, client):
    certificates = Certificate.objects.filter(offering=past_course)
    full = {
        participant.pk
        for participant in Participant.objects.filter(offering=past_course)
        if participant.attendance.filter(attended=True).count() == 2
    }
    assert len(full) == 10
    assert set(certificates.values_list("participant_id", flat=True)) == full
    assert OutboxMessage.objects.filter(registration__offering=past_course, kind="certificate").count() == 10
    certificate = certificates.first()
    page = client.get(f"/kursusbevis/{certificate.code}/")
    assert page.status_code == 200 and certificate.holder_name in page.content.decode()


def test_a_certified_participant_finds_the_certificate_on_the_own_page_from_the_e_mail(past_course, client):
    certificate = Certificate.objects.filter(offering=past_course).select_related("participant").first()
    seat_mail = OutboxMessage.objects.get(kind="confirmed", context__participant__0=certificate.participant_id)
    own = urlsplit(seat_mail.context["own_url"])
    response = client.get(f"{own.path}?{own.query}", follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Dit kursusbevis" in text and f"/kursusbevis/{certificate.code}/" in text
