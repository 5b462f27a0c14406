"""Shared fixtures: the real site with its home page and index pages, sections, users."""

from __future__ import annotations

from django.contrib.auth import get_user_model

import pytest

from events.models import CourseIndexPage, EventIndexPage
from network.models import HomePage, InitiativeIndexPage, OrganisationIndexPage
from network.services import site_ensure_structure
from tests.factories import InitiativePageFactory, OrganisationPageFactory
from webinars.models import WebinarIndexPage


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded images and documents go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def home(db) -> HomePage:
    """The home page with one index page of each kind, built the way the site builds itself."""
    return site_ensure_structure()


@pytest.fixture
def organisation_index(home) -> OrganisationIndexPage:
    return OrganisationIndexPage.objects.get()


@pytest.fixture
def initiative_index(home) -> InitiativeIndexPage:
    return InitiativeIndexPage.objects.get()


@pytest.fixture
def event_index(home) -> EventIndexPage:
    return EventIndexPage.objects.get()


@pytest.fixture
def course_index(home) -> CourseIndexPage:
    return CourseIndexPage.objects.get()


@pytest.fixture
def webinar_index(home) -> WebinarIndexPage:
    return WebinarIndexPage.objects.get()


@pytest.fixture
def organisation(organisation_index):
    """Danmarks Biblioteksforening, a section that owns offerings."""
    return OrganisationPageFactory(parent=organisation_index)


@pytest.fixture
def initiative(initiative_index, organisation):
    """A national effort coordinated by Danmarks Biblioteksforening, also a section."""
    return InitiativePageFactory(parent=initiative_index, organiser=organisation)


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(
        username="koordinator", email="koordinator@example.org", password="adgangskode-til-test"
    )


@pytest.fixture
def admin_client(client, superuser):
    """A client logged in as a superuser (a coordinator of the whole network)."""
    client.force_login(superuser)
    return client
