"""Every page of the demo renders, and a course page shows what each course day holds."""

from __future__ import annotations

import re

from django.utils.html import escape, strip_tags

from wagtail.models import Page

import pytest

from events.models import CourseDayKind, CoursePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_site, db):
    """The demo, loaded once for this module (see conftest), with a transaction per test on top."""


def list_items(html: str) -> list[str]:
    """The texts of the <li> items of a rich-text value, or its whole text when it has none."""
    items = [strip_tags(item).strip() for item in re.findall(r"<li>(.*?)</li>", html, flags=re.S)]
    return items or [strip_tags(html).strip()]


def test_demo_has_pages_of_every_kind(demo):
    kinds = {page.specific_class.__name__ for page in Page.objects.live().filter(depth__gt=1)}
    assert {
        "HomePage",
        "StandardPage",
        "InitiativePage",
        "OrganisationPage",
        "WorkingGroupPage",
        "EventPage",
        "CoursePage",
        "WebinarPage",
        "EventIndexPage",
        "CourseIndexPage",
        "WebinarIndexPage",
        "ThemeIndexPage",
        "InitiativeIndexPage",
        "OrganisationIndexPage",
        "WorkingGroupIndexPage",
    } <= kinds


def test_every_live_page_renders_with_its_title(client, demo):
    failures = []
    pages = Page.objects.live().filter(depth__gt=1).specific().order_by("path")
    assert pages.count() > 20
    for page in pages:
        response = client.get(page.url)
        if response.status_code != 200:
            failures.append(f"{page.url}: {response.status_code}")
        elif escape(page.title) not in response.content.decode():
            failures.append(f"{page.url}: title {page.title!r} not shown")
    assert not failures, "\n".join(failures)


def test_course_page_shows_both_course_days_goals_and_programme(client, demo):
    course = CoursePage.objects.get(slug="saet-spot-paa-kompetencerne-2016")
    days = [session for session in course.sessions.all() if session.kind == CourseDayKind.COURSE_DAY]
    assert len(days) == 2

    html = client.get(course.url).content.decode()

    for day in days:
        assert escape(day.title) in html
        for goal in list_items(day.goals):
            assert escape(goal) in html, f"goal of {day.title!r} missing: {goal!r}"
        titles = [item.value["title"] for item in day.programme]
        assert titles
        for title in titles:
            assert escape(title) in html, f"programme item of {day.title!r} missing: {title!r}"


def test_course_page_shows_its_tracks_with_their_descriptions(client, demo):
    course = CoursePage.objects.live().filter(tracks__for_leaders=True).order_by("start").first()
    html = client.get(course.url).content.decode()
    section = html[html.index('<section aria-labelledby="tracks">') :]
    for track in course.tracks.all():
        assert f"<dt>{escape(track.name)}</dt>" in section
        assert escape(track.description) in section


def test_course_page_shows_the_day_two_timetable(client, demo):
    course = CoursePage.objects.get(slug="saet-spot-paa-kompetencerne-2016")
    html = client.get(course.url).content.decode()
    for time in ["09.30", "11.25", "13.50", "15.30"]:
        assert time in html or time.replace(".", ":") in html, time
