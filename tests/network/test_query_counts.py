"""The number of queries of a listing, theme page, offering page, RSS feed and calendar does not grow with the
number of offerings: pinned with `django_assert_num_queries` at 5 and at 50 offerings of the same kinds (Wagtail
fetches specific pages with one query per kind)."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache

from wagtail.models import Page

import pytest
import time_machine

from network.models import InitiativeIndexPage, OrganisationIndexPage
from tests.events.factories import CoursePageFactory, CourseSessionFactory, EventPageFactory
from tests.network.factories import (
    DocumentFactory,
    InitiativePageFactory,
    OrganisationPageFactory,
    PersonFactory,
    ThemeFactory,
    WorkingGroupMemberFactory,
    WorkingGroupPageFactory,
    aware,
    municipality,
)
from tests.webinars.factories import WebinarPageFactory, WebinarPresenterFactory

pytestmark = pytest.mark.django_db

NOW = aware(2030, 5, 15, 12, 0)
ROUNDS = 10
CITIES = ["Herning", "København", "Odense", "Aalborg", "Roskilde"]


@pytest.fixture(scope="module")
def catalogue(module_transaction):
    """Ten rounds of the same five offerings (an event on site, a course with two course days, a webinar with two
    presenters, a past online event, a past webinar), with themes, regions, organiser and contact person."""
    organisation = OrganisationPageFactory(parent=OrganisationIndexPage.objects.get(), email="db@example.org")
    initiative = InitiativePageFactory(parent=InitiativeIndexPage.objects.get(), organiser=organisation)
    a, b, c = ThemeFactory(name="Verdensmål"), ThemeFactory(name="Læselyst"), ThemeFactory(name="Ledelse")
    initiative.themes.set([a])
    initiative.save()
    WorkingGroupPageFactory(parent=initiative, themes=[a], members=[WorkingGroupMemberFactory.build()])
    contact = PersonFactory()
    # Materials on the past offerings: their pages show each document's type and size from the stored file_size.
    slides = DocumentFactory(title="Slides", file_size=1_234_567)
    handouts = [
        {"type": "document", "value": {"document": DocumentFactory(file_size=2048).pk, "title": "", "description": ""}}
        for _ in range(2)
    ]
    rounds = []
    for r in range(ROUNDS):
        section = organisation if r % 2 == 0 else initiative
        # The first round also shares theme C, so an offering page's three related offerings are the same at both sizes.
        extra = [c] if r == 0 else []
        city = municipality(CITIES[r % len(CITIES)])
        ahead, behind = dt.timedelta(days=10 + 7 * r), dt.timedelta(days=-(10 + 7 * r))
        common = {
            "organiser": organisation,
            "contact_person": contact,
            "first_published_at": NOW - dt.timedelta(days=r),
        }
        pages = [
            EventPageFactory(
                parent=section,
                title=f"Inspirationsdag {r}",
                start=NOW + ahead,
                end=NOW + ahead + dt.timedelta(hours=6),
                municipality=city,
                city=city.name,
                themes=[a, b, *extra],
                **common,
            ),
            CoursePageFactory(
                parent=section,
                title=f"Forløb {r}",
                start=NOW + ahead,
                end=NOW + ahead + dt.timedelta(days=30),
                themes=[a, *extra],
                **common,
                sessions=[
                    CourseSessionFactory.build(title="Første kursusgang", date=(NOW + ahead).date(), municipality=city),
                    CourseSessionFactory.build(
                        title="Anden kursusgang", date=(NOW + ahead).date() + dt.timedelta(days=20), municipality=city
                    ),
                ],
            ),
            WebinarPageFactory(
                parent=section,
                title=f"Webinar {r}",
                start=NOW + ahead + dt.timedelta(hours=3),
                themes=[a, b, *extra],
                presenters=[WebinarPresenterFactory.build(), WebinarPresenterFactory.build()],
                **common,
            ),
            EventPageFactory(
                parent=section,
                title=f"Online temadag {r}",
                start=NOW + behind,
                end=NOW + behind + dt.timedelta(hours=3),
                attendance_mode="online",
                venue_name="",
                municipality=None,
                online_url="https://example.org/m",
                themes=[a, *extra],
                materials=handouts,
                **common,
            ),
            WebinarPageFactory(
                parent=section,
                title=f"Afholdt webinar {r}",
                start=NOW + behind,
                themes=[b],
                presenters=[WebinarPresenterFactory.build()],
                recording_url="https://example.org/o",
                slides=slides,
                materials=handouts,
                **common,
            ),
        ]
        rounds.append(pages)
    return {"first": rounds[0], "extra": [page.pk for pages in rounds[1:] for page in pages]}


@pytest.fixture
def sizes(catalogue, db):
    """Switch between 5 published offerings (the other 45 are drafts) and 50."""

    def publish(n: int):
        Page.objects.filter(pk__in=catalogue["extra"]).update(live=n == 50)

    with time_machine.travel(NOW, tick=False):
        yield publish


def assert_queries(client, url, django_assert_num_queries, n):
    cache.clear()  # nothing in Django's cache from before (feeds, Wagtail's site root paths)
    with django_assert_num_queries(n):
        response = client.get(url)
    assert response.status_code == 200
    return response


def pinned(client, url, sizes, django_assert_num_queries, n, *, expect_more_at_50=True):
    assert client.get(url).status_code == 200  # warm up what is cached in the process (content types)
    sizes(5)
    small = assert_queries(client, url, django_assert_num_queries, n)
    sizes(50)
    large = assert_queries(client, url, django_assert_num_queries, n)
    if expect_more_at_50:
        assert len(large.content) > len(small.content)  # the 45 more offerings do show


@pytest.mark.parametrize(
    ("url", "n"),
    [
        ("/arrangementer/", 21),
        ("/arrangementer/?when=past", 18),
        ("/arrangementer/?theme=verdensmaal&format=fysisk&region=midtjylland&q=dag", 18),
        ("/kurser/", 18),
        ("/webinarer/", 18),
        ("/webinarer/?when=past", 18),
    ],
)
def test_listing_pages(client, sizes, django_assert_num_queries, url, n):
    pinned(client, url, sizes, django_assert_num_queries, n, expect_more_at_50="region" not in url)


def test_theme_page(client, sizes, django_assert_num_queries):
    pinned(client, "/tema/verdensmaal/", sizes, django_assert_num_queries, 28)


# 3 and 4: the past online event with two documents, the past webinar with slides and the same two documents.
@pytest.mark.parametrize(("kind", "n"), [(0, 32), (1, 31), (2, 32), (3, 32), (4, 33)])
def test_offering_page(client, catalogue, sizes, django_assert_num_queries, kind, n):
    page = catalogue["first"][kind]
    pinned(client, page.url, sizes, django_assert_num_queries, n, expect_more_at_50=False)


def test_home_page(client, sizes, django_assert_num_queries):
    pinned(client, "/", sizes, django_assert_num_queries, 20)


@pytest.mark.parametrize(("url", "n"), [("/feeds/nye-tilbud/", 5), ("/feeds/temaer/laeselyst/", 6)])
def test_rss_feed(client, sizes, django_assert_num_queries, url, n):
    pinned(client, url, sizes, django_assert_num_queries, n)


@pytest.mark.parametrize(("url", "n"), [("/rss/nye-tilbud/", 7), ("/rss/temaer/laeselyst/", 8)])
def test_rss_feed_page(client, sizes, django_assert_num_queries, url, n):
    pinned(client, url, sizes, django_assert_num_queries, n)


# One query more than the offerings: when the next offering comes within the year ahead (the page cache's lifetime).
@pytest.mark.parametrize(("url", "n"), [("/ical/alle.ics", 10), ("/ical/temaer/verdensmaal.ics", 11)])
def test_calendar_feed(client, sizes, django_assert_num_queries, url, n):
    pinned(client, url, sizes, django_assert_num_queries, n)
