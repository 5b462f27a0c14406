"""Shared fixtures: the real site (home page, one index page of each kind), sections and users. The database is
migrated and given the site's structure once per session; every test runs in a transaction on top of it."""

from __future__ import annotations

import importlib
from io import StringIO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

import pytest

from events.models import CourseIndexPage, EventIndexPage
from network.demo.site import site_ensure_structure
from network.models import HomePage, InitiativeIndexPage, Library, OrganisationIndexPage
from tests.events.factories import EventPageFactory
from tests.network.factories import InitiativePageFactory, OrganisationPageFactory
from webinars.models import WebinarIndexPage


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """After migrating the test database: the home page, one index page of each kind and the default Site."""
    with django_db_blocker.unblock():
        site_ensure_structure()


@pytest.fixture
def transactional_site(transactional_db, settings) -> HomePage:
    """The site with its reference data (municipalities and libraries) for a test whose server threads or processes
    need committed rows, also after an earlier transactional test has flushed the database."""
    if not Library.objects.exists():
        # The data migration that loads the municipalities and their libraries, run again on the real models.
        importlib.import_module("network.migrations.0002_municipalities_and_libraries").load(apps, None)
    if not Page.objects.filter(depth=1).exists():
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        Page.add_root(instance=Page(title="Root", slug="root"))
    return site_ensure_structure()


@pytest.fixture
def transactional_event(transactional_site):
    """An event of an organisation with 10 seats and a waiting list, open for registration, for the server tests."""
    return EventPageFactory(
        parent=OrganisationPageFactory(parent=OrganisationIndexPage.objects.get()),
        title="Inspirationsdag om verdensmål",
        registration_enabled=True,
        capacity=10,
        waiting_list=True,
    )


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded images, documents and experiment files go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EXPERIMENT_FILES_ROOT = tmp_path / "experiments"


@pytest.fixture(autouse=True)
def _danish():
    """Each test starts in Danish: a request in English leaves English active in the thread, as Django does."""
    translation.activate("da")
    yield
    translation.activate("da")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Wagtail caches the site's root paths; a test never sees another test's cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker, tmp_path_factory):
    """A transaction around a whole test module, for data built once per module and rolled back after it; each test
    still runs in its own savepoint inside it, so what a test changes is undone before the next one."""
    media = tmp_path_factory.mktemp("module-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def demo_site(module_transaction):
    """The demo content, loaded once for the module with `manage.py load_demo`."""
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def home(db) -> HomePage:
    """The home page with one index page of each kind (`site_ensure_structure` is idempotent)."""
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
