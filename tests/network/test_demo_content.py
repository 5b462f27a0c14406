"""The demo's content: valid by the site's own rules, current, free of real people, split between coordinators."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from wagtail.models import Page

import pytest

from events.models import CoursePage, EventPage
from network.demo.content import DEMO_COORDINATORS
from network.models import Person
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
