"""Where each page type may live: the tree rules that keep sections, offerings and listings in place."""

from __future__ import annotations

from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

import pytest

from events.models import CourseIndexPage, CoursePage, EventIndexPage, EventPage
from network.demo.site import site_ensure_structure
from network.models import (
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
SECTION_PAGE_MODELS = {InitiativePage, OrganisationPage}


def test_home_page_can_be_created_only_under_the_root():
    assert set(HomePage.allowed_parent_page_models()) == {Page}


def test_home_page_can_be_created_under_the_root_when_there_is_none(home):
    home.delete()
    assert HomePage.can_create_at(Page.get_first_root_node())


def test_home_page_cannot_be_created_twice(home):
    assert HomePage.max_count == 1
    assert not HomePage.can_create_at(Page.get_first_root_node())


def test_home_page_cannot_be_created_below_an_index_page(home, event_index):
    assert not HomePage.can_create_at(event_index)


@pytest.mark.parametrize("model", INDEX_PAGE_MODELS, ids=lambda m: m.__name__)
def test_index_page_is_allowed_only_under_the_home_page(model):
    assert set(model.allowed_parent_page_models()) == {HomePage}
    assert model.max_count == 1


@pytest.mark.parametrize("model", INDEX_PAGE_MODELS, ids=lambda m: m.__name__)
def test_index_page_cannot_be_created_twice(home, model):
    assert model.objects.count() == 1
    assert not model.can_create_at(home)


@pytest.mark.parametrize("model", INDEX_PAGE_MODELS, ids=lambda m: m.__name__)
def test_index_page_can_be_created_under_the_home_page_when_missing(home, model):
    model.objects.get().delete()
    assert model.can_create_at(home)


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


def test_initiative_page_is_allowed_only_under_the_initiative_index():
    assert set(InitiativePage.allowed_parent_page_models()) == {InitiativeIndexPage}


def test_initiative_page_can_be_created_under_the_initiative_index_only(home, initiative_index):
    assert InitiativePage.can_create_at(initiative_index)
    assert not InitiativePage.can_create_at(home)
    assert not InitiativePage.can_create_at(OrganisationIndexPage.objects.get())


def test_organisation_page_is_allowed_only_under_the_organisation_index():
    assert set(OrganisationPage.allowed_parent_page_models()) == {OrganisationIndexPage}


def test_organisation_page_can_be_created_under_the_organisation_index_only(home, organisation_index):
    assert OrganisationPage.can_create_at(organisation_index)
    assert not OrganisationPage.can_create_at(home)
    assert not OrganisationPage.can_create_at(InitiativeIndexPage.objects.get())


@pytest.mark.parametrize("model", OFFERING_PAGE_MODELS, ids=lambda m: m.__name__)
def test_offering_page_is_allowed_only_under_a_section(model):
    assert set(model.allowed_parent_page_models()) == SECTION_PAGE_MODELS


@pytest.mark.parametrize("model", OFFERING_PAGE_MODELS, ids=lambda m: m.__name__)
def test_offering_page_can_be_created_under_an_initiative_or_organisation(model, organisation, initiative):
    assert model.can_create_at(organisation)
    assert model.can_create_at(initiative)


@pytest.mark.parametrize("model", OFFERING_PAGE_MODELS, ids=lambda m: m.__name__)
def test_offering_page_cannot_be_created_under_the_home_page_or_an_index_page(model, home):
    assert not model.can_create_at(home)
    for index_model in INDEX_PAGE_MODELS:
        assert not model.can_create_at(index_model.objects.get()), index_model.__name__


@pytest.mark.parametrize("model", OFFERING_PAGE_MODELS, ids=lambda m: m.__name__)
def test_offering_page_has_no_children(model):
    assert model.allowed_subpage_models() == []


class PageTreeRulesTest(WagtailPageTestCase):
    """The same rules pinned with Wagtail's own page-test assertions."""

    def test_root_allows_the_home_page(self):
        self.assertCanCreateAt(Page, HomePage)

    def test_home_page_allows_exactly_the_index_pages_and_standard_pages(self):
        self.assertAllowedSubpageTypes(HomePage, [*INDEX_PAGE_MODELS, StandardPage])

    def test_standard_page_lives_under_the_home_page_or_another_standard_page(self):
        self.assertAllowedParentPageTypes(StandardPage, [HomePage, StandardPage])

    def test_index_pages_allow_only_their_own_kind(self):
        self.assertAllowedSubpageTypes(InitiativeIndexPage, [InitiativePage])
        self.assertAllowedSubpageTypes(OrganisationIndexPage, [OrganisationPage])
        for model in [WorkingGroupIndexPage, ThemeIndexPage, EventIndexPage, CourseIndexPage, WebinarIndexPage]:
            self.assertAllowedSubpageTypes(model, [])

    def test_sections_allow_exactly_the_offering_pages(self):
        for section in SECTION_PAGE_MODELS:
            self.assertAllowedSubpageTypes(section, OFFERING_PAGE_MODELS)

    def test_offering_pages_can_be_created_in_sections(self):
        for section in SECTION_PAGE_MODELS:
            for model in OFFERING_PAGE_MODELS:
                self.assertCanCreateAt(section, model)

    def test_offering_pages_cannot_be_created_outside_sections(self):
        for parent in [Page, HomePage, StandardPage, *INDEX_PAGE_MODELS, *OFFERING_PAGE_MODELS]:
            for model in OFFERING_PAGE_MODELS:
                self.assertCanNotCreateAt(parent, model)

    def test_sections_cannot_be_created_under_the_home_page(self):
        self.assertCanNotCreateAt(HomePage, InitiativePage)
        self.assertCanNotCreateAt(HomePage, OrganisationPage)
        self.assertCanNotCreateAt(OrganisationIndexPage, InitiativePage)
        self.assertCanNotCreateAt(InitiativeIndexPage, OrganisationPage)
