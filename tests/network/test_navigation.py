"""The main navigation marks the current page, or the section it belongs to, for every page type."""

from __future__ import annotations

import re

import pytest

from network.models import ThemeIndexPage, WorkingGroupIndexPage
from network.templatetags.network_navigation import listed_on
from tests.events.factories import CoursePageFactory, EventPageFactory
from tests.network.factories import StandardPageFactory, ThemeFactory, WorkingGroupPageFactory
from tests.webinars.factories import WebinarPageFactory

pytestmark = pytest.mark.django_db


def marked(client, url: str) -> list[tuple[str, str]]:
    """The main navigation's items marked current on the page at `url`: [(aria-current, title), ...]."""
    response = client.get(url)
    assert response.status_code == 200
    nav = re.search(r'<nav class="main-nav".*?</nav>', response.content.decode(), flags=re.S)
    return re.findall(r'<a href="[^"]*" aria-current="(\w+)">([^<]*)</a>', nav.group(0))


def test_each_listed_page_type_belongs_to_the_index_that_lists_it():
    assert listed_on() == {
        "events.eventpage": "events.eventindexpage",
        "events.coursepage": "events.courseindexpage",
        "webinars.webinarpage": "webinars.webinarindexpage",
        "network.workinggrouppage": "network.workinggroupindexpage",
        "network.initiativepage": "network.initiativeindexpage",
        "network.organisationpage": "network.organisationindexpage",
    }


def test_the_home_page_marks_no_section(client, home):
    assert marked(client, home.url) == []


@pytest.mark.parametrize(
    ("fixture", "title"),
    [
        ("course_index", "Kurser og forløb"),
        ("event_index", "Arrangementer"),
        ("webinar_index", "Webinarer"),
        ("initiative_index", "Indsatser"),
        ("organisation_index", "Arrangører"),
    ],
)
def test_an_index_page_is_the_current_page(client, request, fixture, title):
    assert marked(client, request.getfixturevalue(fixture).url) == [("page", title)]


def test_the_theme_index_is_the_current_page(client, home):
    assert marked(client, ThemeIndexPage.objects.get().url) == [("page", "Temaer")]


def test_the_working_group_index_is_the_current_page(client, home):
    assert marked(client, WorkingGroupIndexPage.objects.get().url) == [("page", "Arbejdsgrupper")]


def test_a_standard_page_in_the_menu_is_the_current_page_and_the_section_of_its_subpages(client, home):
    about = StandardPageFactory(parent=home, title="Om netværket", show_in_menus=True)
    privacy = StandardPageFactory(parent=about, title="Privatlivspolitik")
    assert marked(client, about.url) == [("page", "Om netværket")]
    assert marked(client, privacy.url) == [("true", "Om netværket")]


def test_an_initiative_belongs_to_the_initiatives(client, initiative):
    assert marked(client, initiative.url) == [("true", "Indsatser")]


def test_an_organisation_belongs_to_the_organisers(client, organisation):
    assert marked(client, organisation.url) == [("true", "Arrangører")]


def test_a_working_group_below_an_initiative_belongs_to_the_working_groups(client, initiative):
    group = WorkingGroupPageFactory(parent=initiative)
    assert marked(client, group.url) == [("true", "Arbejdsgrupper")]


def test_an_event_below_an_initiative_belongs_to_the_events(client, initiative, event_index):
    event = EventPageFactory(parent=initiative)
    assert marked(client, event.url) == [("true", "Arrangementer")]


def test_a_course_below_an_initiative_belongs_to_the_courses_not_the_events(client, initiative, course_index):
    course = CoursePageFactory(parent=initiative)
    assert marked(client, course.url) == [("true", "Kurser og forløb")]


def test_a_webinar_below_an_organisation_belongs_to_the_webinars(client, organisation, webinar_index):
    webinar = WebinarPageFactory(parent=organisation)
    assert marked(client, webinar.url) == [("true", "Webinarer")]


def test_a_theme_page_and_the_search_page_mark_no_section(client, home):
    theme = ThemeFactory(name="Verdensmål")
    assert marked(client, f"/tema/{theme.slug}/") == []
    assert marked(client, "/search/?q=verdensm%C3%A5l") == []
