"""The demo's content: valid by the site's own rules, current, free of real people, split between coordinators."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from wagtail.documents import get_document_model, get_permission_policy
from wagtail.models import Collection, Page

import pytest

from events.models import CoursePage, EventPage
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
