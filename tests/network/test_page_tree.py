"""Where each page type may live and what it may hold: the tree rules that keep sections, offerings and listings in
place, the pages made once only, and the site's structure built by `site_ensure_structure`."""

from __future__ import annotations

from wagtail.models import Page, Site

import pytest

from events.models import CourseIndexPage, CoursePage, EventIndexPage, EventPage
from network.demo.site import site_ensure_structure
from network.models import (
    AccessibilityStatementPage,
    HomePage,
    InitiativeIndexPage,
    InitiativePage,
    OrganisationIndexPage,
    OrganisationPage,
    StandardPage,
    ThemeIndexPage,
    WorkingGroupIndexPage,
    WorkingGroupPage,
)
from webinars.models import WebinarIndexPage, WebinarPage

pytestmark = pytest.mark.django_db

INDEX_PAGE_MODELS = [
    InitiativeIndexPage,
    OrganisationIndexPage,
    WorkingGroupIndexPage,
    ThemeIndexPage,
    EventIndexPage,
    CourseIndexPage,
    WebinarIndexPage,
]
OFFERING_PAGE_MODELS = [EventPage, CoursePage, WebinarPage, WorkingGroupPage]
SECTION_PAGE_MODELS = [InitiativePage, OrganisationPage]

# Each page type and the page types it may be created under.
ALLOWED_PARENTS = {
    HomePage: {Page},
    StandardPage: {HomePage, StandardPage},
    AccessibilityStatementPage: {HomePage},
    **{model: {HomePage} for model in INDEX_PAGE_MODELS},
    InitiativePage: {InitiativeIndexPage},
    OrganisationPage: {OrganisationIndexPage},
    **{model: set(SECTION_PAGE_MODELS) for model in OFFERING_PAGE_MODELS},
}
# Each page type and the page types it may hold: a listing gathers its offerings from the sections and holds none.
ALLOWED_SUBPAGES = {
    HomePage: {*INDEX_PAGE_MODELS, StandardPage, AccessibilityStatementPage},
    AccessibilityStatementPage: set(),
    InitiativeIndexPage: {InitiativePage},
    OrganisationIndexPage: {OrganisationPage},
    WorkingGroupIndexPage: set(),
    ThemeIndexPage: set(),
    EventIndexPage: set(),
    CourseIndexPage: set(),
    WebinarIndexPage: set(),
    InitiativePage: set(OFFERING_PAGE_MODELS),
    OrganisationPage: set(OFFERING_PAGE_MODELS),
    **{model: set() for model in OFFERING_PAGE_MODELS},
}


def model_name(model) -> str:
    return model.__name__


# --- The tree rules --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("model", "parents"), ALLOWED_PARENTS.items(), ids=map(model_name, ALLOWED_PARENTS))
def test_page_type_lives_only_under_its_allowed_parents(model, parents):
    assert set(model.allowed_parent_page_models()) == parents


@pytest.mark.parametrize(("model", "subpages"), ALLOWED_SUBPAGES.items(), ids=map(model_name, ALLOWED_SUBPAGES))
def test_page_type_holds_only_its_allowed_subpages(model, subpages):
    assert set(model.allowed_subpage_models()) == subpages


# --- Made once: the home page and each index page ---------------------------------------------------------------


def test_home_page_can_be_created_under_the_root_when_there_is_none(home):
    home.delete()
    assert HomePage.can_create_at(Page.get_first_root_node())


def test_home_page_cannot_be_created_twice(home):
    assert not HomePage.can_create_at(Page.get_first_root_node())


@pytest.mark.parametrize("model", INDEX_PAGE_MODELS, ids=model_name)
def test_index_page_cannot_be_created_twice(home, model):
    assert not model.can_create_at(home)


@pytest.mark.parametrize("model", INDEX_PAGE_MODELS, ids=model_name)
def test_index_page_can_be_created_under_the_home_page_when_missing(home, model):
    model.objects.get().delete()
    assert model.can_create_at(home)


def test_the_accessibility_statement_is_made_once_under_the_home_page(home):
    assert AccessibilityStatementPage.can_create_at(home)
    home.add_child(
        instance=AccessibilityStatementPage(
            title="Tilgængelighedserklæring", slug="tilgaengelighed", contact_email="web@example.org",
            published_on="2026-12-01", reviewed_on="2026-12-01",
        )
    )  # fmt: skip
    assert not AccessibilityStatementPage.can_create_at(home)


# --- Coordinators create sections and offerings ----------------------------------------------------------------


def test_initiative_page_can_be_created_under_the_initiative_index(initiative_index):
    assert InitiativePage.can_create_at(initiative_index)


def test_organisation_page_can_be_created_under_the_organisation_index(organisation_index):
    assert OrganisationPage.can_create_at(organisation_index)


@pytest.mark.parametrize("model", OFFERING_PAGE_MODELS, ids=model_name)
def test_offering_page_can_be_created_under_an_initiative_or_organisation(model, organisation, initiative):
    assert model.can_create_at(organisation)
    assert model.can_create_at(initiative)


# --- The site's structure --------------------------------------------------------------------------------------


def test_site_ensure_structure_builds_the_site_from_scratch():
    HomePage.objects.get().delete()
    root = Page.get_first_root_node()
    root.add_child(instance=Page(title="Welcome to your new Wagtail site!", slug="home"))
    Site.objects.all().delete()

    home = site_ensure_structure()

    for model in INDEX_PAGE_MODELS:
        assert model.objects.child_of(home).count() == 1, model.__name__
    # Wagtail's placeholder welcome page has given way to the home page, which is the default site's root.
    assert list(root.get_children().specific()) == [home]
    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == home.pk
    assert site.site_name == "Bibliotekernes kompetencenetværk"


def test_site_ensure_structure_is_idempotent(home):
    pages_before = list(Page.objects.values_list("pk", "path"))

    again = site_ensure_structure()

    assert again.pk == home.pk
    assert list(Page.objects.values_list("pk", "path")) == pages_before
    assert Site.objects.count() == 1
