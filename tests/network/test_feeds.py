"""Feeds: RSS of new offerings (overall and per theme) and iCalendar files (every upcoming offering, per theme, per
offering), read back the way a feed reader and a calendar would: RSS with xml.etree, iCalendar with `icalendar`.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from django.core.cache import cache

import pytest
import time_machine
from icalendar import Calendar

from events.models import CoursePage
from network.models import OrganisationIndexPage
from tests.events.factories import CoursePageFactory, CourseSessionFactory, EventPageFactory
from tests.network.factories import OrganisationPageFactory, ThemeFactory, aware
from tests.webinars.factories import WebinarPageFactory, WebinarPresenterFactory

pytestmark = pytest.mark.django_db

NOW = aware(2030, 5, 15, 12, 0)

EVENT = "Inspirationsdag om verdensmål"
CANCELLED = "Aflyst temadag"
COURSE = "Sæt spot på kompetencerne"
WEBINAR = "Webinar om citizen science"
PAST = "Afholdt temadag"
DRAFT = "Kladde"


@pytest.fixture(scope="module")
def offerings(module_transaction):
    """Published one after the other, so "newest first" is: webinar, course, cancelled event, event, past event."""
    organiser = OrganisationPageFactory(parent=OrganisationIndexPage.objects.get(), email="db@example.org")
    verdensmaal, laeselyst = ThemeFactory(name="Verdensmål"), ThemeFactory(name="Læselyst")
    pages = {
        PAST: EventPageFactory(
            parent=organiser,
            title=PAST,
            start=aware(2030, 3, 1, 9),
            end=aware(2030, 3, 1, 15),
            themes=[verdensmaal],
        ),
        EVENT: EventPageFactory(
            parent=organiser,
            title=EVENT,
            organiser=organiser,
            start=aware(2030, 6, 1, 9),
            end=aware(2030, 6, 1, 15),
            venue_name="Herning Bibliotekerne",
            address="Brænderigården 1",
            postcode="7400",
            city="Herning",
            themes=[verdensmaal, laeselyst],
        ),
        CANCELLED: EventPageFactory(
            parent=organiser,
            title=CANCELLED,
            status="aflyst",
            start=aware(2030, 6, 15, 9),
            end=aware(2030, 6, 15, 15),
            themes=[verdensmaal],
        ),
        COURSE: CoursePageFactory(
            parent=organiser,
            title=COURSE,
            organiser=organiser,
            start=aware(2030, 9, 1, 9),
            end=aware(2030, 10, 31, 16),
            themes=[laeselyst],
            sessions=[
                CourseSessionFactory.build(
                    title="Første kursusgang",
                    date=dt.date(2030, 9, 10),
                    venue_name="Dokk1",
                    address="Hack Kampmanns Plads 2",
                    postcode="8000",
                    city="Aarhus",
                ),
                CourseSessionFactory.build(
                    title="Praktik mellem kursusgangene",
                    kind="aktivitet",
                    date=dt.date(2030, 9, 20),
                    start_time=None,
                    end_time=None,
                ),
                CourseSessionFactory.build(
                    title="Anden kursusgang", date=dt.date(2030, 10, 30), venue_name="Dokk1", city="Aarhus"
                ),
            ],
        ),
        WEBINAR: WebinarPageFactory(
            parent=organiser,
            title=WEBINAR,
            start=aware(2030, 5, 20, 14),
            themes=[verdensmaal],
            presenters=[WebinarPresenterFactory.build()],
        ),
        DRAFT: EventPageFactory(parent=organiser, title=DRAFT, live=False, themes=[verdensmaal]),
    }
    for days, title in enumerate([PAST, EVENT, CANCELLED, COURSE, WEBINAR]):
        with time_machine.travel(aware(2030, 1, 1, 12) + dt.timedelta(days=days), tick=False):
            pages[title].save_revision().publish()
    return pages


@pytest.fixture
def pages(offerings, db):
    with time_machine.travel(NOW, tick=False):
        yield {title: type(page).objects.get(pk=page.pk) for title, page in offerings.items()}


# --- Helpers -------------------------------------------------------------------------------------------------


def rss(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own server's response
    assert root.tag == "rss"
    assert root.get("version") == "2.0"
    return root.find("channel")


def item_titles(channel) -> list[str]:
    return [item.findtext("title") for item in channel.findall("item")]


def item(channel, title: str) -> ET.Element:
    return next(i for i in channel.findall("item") if i.findtext("title") == title)


def ical(client, url: str) -> Calendar:
    cache.clear()  # a calendar is cached for subscribers; each download here is built afresh
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(cal: Calendar) -> dict[str, list]:
    """The VEVENTs by summary."""
    found: dict[str, list] = {}
    for event in cal.walk("VEVENT"):
        found.setdefault(str(event.get("summary")), []).append(event)
    return found


def only(cal: Calendar, summary: str):
    (event,) = events(cal)[summary]
    return event


def categories(event) -> list[str]:
    value = event.get("categories")
    values = value if isinstance(value, list) else [value]
    return [str(cat) for v in values if v is not None for cat in v.cats]


def uids(cal: Calendar) -> list[str]:
    return sorted(str(event.get("uid")) for event in cal.walk("VEVENT"))


# --- RSS -----------------------------------------------------------------------------------------------------


def test_rss_lists_published_offerings_newest_first(client, pages):
    channel = rss(client, "/feeds/nye-tilbud/")
    assert channel.findtext("title") == "Nye tilbud fra Bibliotekernes kompetencenetværk"
    assert item_titles(channel) == [WEBINAR, COURSE, CANCELLED, EVENT]


def test_rss_leaves_out_ended_offerings_however_recently_published(client, pages):
    """The demo's course of 2016 was published with the rest: published last, it still is not a new offering."""
    past = pages[PAST]
    with time_machine.travel(NOW, tick=False):
        past.save_revision().publish()  # republishing keeps first_published_at: publish it as if new
        type(past).objects.filter(pk=past.pk).update(first_published_at=NOW)
    cache.clear()
    assert PAST not in item_titles(rss(client, "/feeds/nye-tilbud/"))
    assert PAST not in item_titles(rss(client, "/feeds/temaer/verdensmaal/"))


def test_rss_orders_by_first_publication_not_by_start(client, pages):
    """The course starts after the event, the webinar before both; the order is that of publication."""
    starts = [pages[title].start for title in item_titles(rss(client, "/feeds/nye-tilbud/"))]
    assert starts != sorted(starts)
    assert starts != sorted(starts, reverse=True)


def test_rss_item_text_has_the_date_as_the_pages_write_it(client, pages):
    channel = rss(client, "/feeds/nye-tilbud/")
    assert item(channel, EVENT).findtext("description").startswith("1. juni 2030 kl. 9.00–15.00. ")
    assert item(channel, COURSE).findtext("description").startswith("1. september – 31. oktober 2030. ")
    assert item(channel, CANCELLED).findtext("description").startswith("Aflyst: 15. juni 2030 kl. 9.00–15.00.")


def test_rss_is_danish_whatever_language_the_reader_asks_for(client, pages):
    response = client.get("/feeds/nye-tilbud/", HTTP_ACCEPT_LANGUAGE="en")
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314 - our own server's response
    assert channel.findtext("title") == "Nye tilbud fra Bibliotekernes kompetencenetværk"
    assert item(channel, EVENT).findtext("description").startswith("1. juni 2030 kl. 9.00–15.00. ")


def test_rss_item_has_a_permanent_guid_link_date_and_themes(client, pages):
    entry = item(rss(client, "/feeds/nye-tilbud/"), EVENT)
    guid = entry.find("guid")
    assert guid.text == f"urn:uuid:{pages[EVENT].translation_key}"
    assert guid.get("isPermaLink") == "false"
    assert sorted(c.text for c in entry.findall("category")) == ["Læselyst", "Verdensmål"]
    assert urlsplit(entry.findtext("link")).path == pages[EVENT].url
    assert entry.findtext("pubDate") == "Wed, 02 Jan 2030 11:00:00 +0000"
    assert client.get(urlsplit(entry.findtext("link")).path).status_code == 200


def test_rss_guids_are_unique_and_survive_republishing(client, pages):
    before = {item.findtext("title"): item.findtext("guid") for item in rss(client, "/feeds/nye-tilbud/").iter("item")}
    assert len(set(before.values())) == len(before)
    course = pages[COURSE]
    course.title = "Sæt spot på kompetencerne (ny udgave)"
    course.save_revision().publish()
    cache.clear()
    after = {item.findtext("title"): item.findtext("guid") for item in rss(client, "/feeds/nye-tilbud/").iter("item")}
    assert after["Sæt spot på kompetencerne (ny udgave)"] == before[COURSE]


def test_rss_per_theme_lists_only_that_theme(client, pages):
    channel = rss(client, "/feeds/temaer/verdensmaal/")
    assert channel.findtext("title") == "Nye tilbud om Verdensmål"
    assert item_titles(channel) == [WEBINAR, CANCELLED, EVENT]
    assert item_titles(rss(client, "/feeds/temaer/laeselyst/")) == [COURSE, EVENT]


def test_rss_for_an_unknown_theme_is_404(client, pages):
    assert client.get("/feeds/temaer/findes-ikke/").status_code == 404


def test_rss_per_theme_links_to_the_theme_page(client, pages):
    link = rss(client, "/feeds/temaer/verdensmaal/").findtext("link")
    assert urlsplit(link).path == "/tema/verdensmaal/"
    assert client.get(urlsplit(link).path).status_code == 200


def test_rss_channel_links_to_the_site(client, pages):
    link = rss(client, "/feeds/nye-tilbud/").findtext("link")
    assert client.get(urlsplit(link).path).status_code == 200


# --- The feed explained, for a person ------------------------------------------------------------------------


def test_feed_page_explains_the_feed_and_gives_its_address(client, pages):
    response = client.get("/rss/nye-tilbud/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dette er et RSS-feed. Kopiér adressen ind i din feedlæser" in html
    assert '<input type="text" id="feed-url" value="http://testserver/feeds/nye-tilbud/" readonly' in html
    assert '<link rel="alternate" type="application/rss+xml" title="Nye tilbud fra' in html
    assert 'href="webcal://testserver/ical/alle.ics"' in html


def test_feed_page_lists_what_the_feed_holds_with_the_pages_dates(client, pages):
    html = client.get("/rss/nye-tilbud/").content.decode()
    positions = [html.index(f">{title}</a>") for title in (WEBINAR, COURSE, CANCELLED, EVENT)]
    assert positions == sorted(positions)
    assert f">{PAST}</a>" not in html
    assert "1. juni 2030 kl. 9.00–15.00" in html
    assert "Aflyst: 15. juni 2030 kl. 9.00–15.00" in html


def test_feed_page_per_theme(client, pages):
    html = client.get("/rss/temaer/laeselyst/").content.decode()
    assert "<h1>Nye tilbud om Læselyst</h1>" in html
    assert 'value="http://testserver/feeds/temaer/laeselyst/"' in html
    assert f">{COURSE}</a>" in html
    assert f">{WEBINAR}</a>" not in html


def test_feed_page_for_an_unknown_theme_is_404(client, pages):
    assert client.get("/rss/temaer/findes-ikke/").status_code == 404


def test_feed_page_in_english_keeps_the_danish_titles_marked_danish(client, pages):
    html = client.get("/en/rss/nye-tilbud/").content.decode()
    assert "This is an RSS feed." in html
    assert "1 June 2030 9:00–15:00" in html
    assert f'lang="da">{EVENT}</a>' in html
    assert 'value="http://testserver/feeds/nye-tilbud/"' in html  # the feed itself has one address


@pytest.mark.parametrize(
    ("url", "feed_page"), [("/arrangementer/", "/rss/nye-tilbud/"), ("/tema/verdensmaal/", "/rss/temaer/verdensmaal/")]
)
def test_the_visible_rss_links_open_the_explained_feed(client, pages, url, feed_page):
    html = client.get(url).content.decode()
    assert f'<a href="{feed_page}">' in html
    assert f'<a href="/en{feed_page}">' in client.get("/en" + url).content.decode()


# --- iCalendar: the subscription of every upcoming offering ---------------------------------------------------


def test_calendar_has_the_copenhagen_timezone(client, pages):
    cal = ical(client, "/ical/alle.ics")
    assert str(cal.get("version")) == "2.0"
    (tz,) = cal.walk("VTIMEZONE")
    assert str(tz.get("tzid")) == "Europe/Copenhagen"
    assert {c.name for c in tz.subcomponents} == {"STANDARD", "DAYLIGHT"}


def test_calendar_has_one_event_per_upcoming_offering_and_per_course_day(client, pages):
    found = events(ical(client, "/ical/alle.ics"))
    assert sorted(found) == sorted(
        [EVENT, CANCELLED, WEBINAR, f"{COURSE}: Første kursusgang", f"{COURSE}: Anden kursusgang"]
    )
    assert all(len(v) == 1 for v in found.values())


def test_calendar_times_are_copenhagen_times(client, pages):
    cal = ical(client, "/ical/alle.ics")
    event = only(cal, EVENT)
    assert event["dtstart"].params["TZID"] == "Europe/Copenhagen"
    assert event.decoded("dtstart") == pages[EVENT].start
    assert event.decoded("dtend") == pages[EVENT].end
    assert event.decoded("dtstart").utcoffset() == dt.timedelta(hours=2)  # summer time
    day = only(cal, f"{COURSE}: Anden kursusgang")  # 30 October: winter time again
    assert day.decoded("dtstart") == aware(2030, 10, 30, 9, 0)
    assert day.decoded("dtstart").utcoffset() == dt.timedelta(hours=1)
    assert day.decoded("dtend") == aware(2030, 10, 30, 15, 30)


def test_calendar_uids_are_unique_and_stable_across_downloads(client, pages):
    first = uids(ical(client, "/ical/alle.ics"))
    assert len(set(first)) == len(first) == 5
    assert uids(ical(client, "/ical/alle.ics")) == first


def test_calendar_uids_survive_republishing(client, pages):
    first = {
        str(e.get("summary")).split(": ")[-1]: str(e.get("uid")) for e in ical(client, "/ical/alle.ics").walk("VEVENT")
    }
    course = CoursePage.objects.get(pk=pages[COURSE].pk)
    course.title = "Sæt spot på kompetencerne 2030"
    sessions = list(course.sessions.all())
    sessions[0].title = "Kursusgang 1"
    course.sessions = sessions  # the way the admin's inline form edits a course day: same rows, new values
    course.save_revision().publish()
    assert CoursePage.objects.get(pk=course.pk).sessions.first().title == "Kursusgang 1"
    event = pages[EVENT]
    event.start += dt.timedelta(hours=1)
    event.save_revision().publish()
    after = {
        str(e.get("summary")).split(": ")[-1]: str(e.get("uid")) for e in ical(client, "/ical/alle.ics").walk("VEVENT")
    }
    assert after["Kursusgang 1"] == first["Første kursusgang"]
    assert after["Anden kursusgang"] == first["Anden kursusgang"]
    assert after[EVENT] == first[EVENT]
    assert sorted(after.values()) == sorted(first.values())


def test_calendar_event_has_location_url_and_categories(client, pages):
    event = only(ical(client, "/ical/alle.ics"), EVENT)
    assert str(event.get("location")) == "Herning Bibliotekerne, Brænderigården 1, 7400 Herning"
    assert urlsplit(str(event.get("url"))).path == pages[EVENT].url
    assert str(event.get("url")).startswith("http")
    assert sorted(categories(event)) == ["Læselyst", "Verdensmål"]
    assert str(event.get("status")) == "CONFIRMED"
    assert "CN" in event["organizer"].params


def test_calendar_course_day_has_its_own_place(client, pages):
    day = only(ical(client, "/ical/alle.ics"), f"{COURSE}: Første kursusgang")
    assert str(day.get("location")) == "Dokk1, Hack Kampmanns Plads 2, 8000 Aarhus"
    assert urlsplit(str(day.get("url"))).path == pages[COURSE].url
    assert categories(day) == ["Læselyst"]


def test_calendar_webinar_is_online(client, pages):
    webinar = only(ical(client, "/ical/alle.ics"), WEBINAR)
    assert str(webinar.get("location")) == "Online"
    assert webinar.decoded("dtend") - webinar.decoded("dtstart") == dt.timedelta(minutes=60)


def test_calendar_marks_a_cancelled_event_cancelled(client, pages):
    assert str(only(ical(client, "/ical/alle.ics"), CANCELLED).get("status")) == "CANCELLED"


def test_calendar_marks_every_day_of_a_cancelled_course_cancelled(client, pages):
    course = pages[COURSE]
    course.status = "aflyst"
    course.save_revision().publish()
    cal = ical(client, f"/ical/tilbud/{course.pk}.ics")
    assert [str(e.get("status")) for e in cal.walk("VEVENT")] == ["CANCELLED", "CANCELLED"]


def test_calendar_leaves_out_past_and_unpublished_offerings(client, pages):
    found = events(ical(client, "/ical/alle.ics"))
    assert PAST not in found
    assert DRAFT not in found


def test_calendar_per_theme_has_only_that_theme(client, pages):
    cal = ical(client, "/ical/temaer/verdensmaal.ics")
    assert sorted(events(cal)) == sorted([EVENT, CANCELLED, WEBINAR])
    assert len(cal.walk("VTIMEZONE")) == 1
    assert sorted(events(ical(client, "/ical/temaer/laeselyst.ics"))) == sorted(
        [EVENT, f"{COURSE}: Første kursusgang", f"{COURSE}: Anden kursusgang"]
    )


def test_calendar_per_theme_uses_the_same_uids(client, pages):
    overall = {str(e.get("summary")): str(e.get("uid")) for e in ical(client, "/ical/alle.ics").walk("VEVENT")}
    themed = {
        str(e.get("summary")): str(e.get("uid")) for e in ical(client, "/ical/temaer/verdensmaal.ics").walk("VEVENT")
    }
    assert themed == {k: overall[k] for k in themed}


def test_calendar_for_an_unknown_theme_is_404(client, pages):
    assert client.get("/ical/temaer/findes-ikke.ics").status_code == 404


# --- iCalendar: one offering ---------------------------------------------------------------------------------


def test_offering_file_downloads_the_course_days(client, pages):
    course = pages[COURSE]
    response = client.get(f"/ical/tilbud/{course.pk}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == f'attachment; filename="{course.slug}.ics"'
    cal = Calendar.from_ical(response.content)
    assert [str(tz.get("tzid")) for tz in cal.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    assert [str(e.get("summary")) for e in cal.walk("VEVENT")] == [
        f"{COURSE}: Første kursusgang",
        f"{COURSE}: Anden kursusgang",
    ]


def test_offering_file_uids_match_the_subscription(client, pages):
    overall = uids(ical(client, "/ical/alle.ics"))
    for title in (EVENT, COURSE, WEBINAR):
        single = uids(ical(client, f"/ical/tilbud/{pages[title].pk}.ics"))
        assert single
        assert set(single) <= set(overall)


def test_offering_file_of_a_past_offering_still_downloads(client, pages):
    assert [str(e.get("summary")) for e in ical(client, f"/ical/tilbud/{pages[PAST].pk}.ics").walk("VEVENT")] == [PAST]


def test_offering_file_of_an_unpublished_or_unknown_page_is_404(client, pages):
    assert client.get(f"/ical/tilbud/{pages[DRAFT].pk}.ics").status_code == 404
    assert client.get(f"/ical/tilbud/{OrganisationIndexPage.objects.get().pk}.ics").status_code == 404
    assert client.get("/ical/tilbud/999999999.ics").status_code == 404


# --- Links in the pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("title", [EVENT, COURSE, WEBINAR, PAST])
def test_offering_page_links_its_calendar_file_and_the_rss_feed(client, pages, title):
    page = pages[title]
    content = client.get(page.url).content.decode()
    head = content[: content.index("</head>")]
    calendar = re.search(r'<link rel="alternate" type="text/calendar"[^>]* href="([^"]+)"', head)
    assert calendar
    assert calendar.group(1) == f"/ical/tilbud/{page.pk}.ics"
    assert client.get(calendar.group(1)).status_code == 200
    feed = re.search(r'<link rel="alternate" type="application/rss\+xml"[^>]* href="([^"]+)"', head)
    assert feed
    assert client.get(feed.group(1)).status_code == 200


def test_theme_page_links_its_feeds_and_calendar_subscription(client, pages):
    content = client.get("/tema/verdensmaal/").content.decode()
    head = content[: content.index("</head>")]
    assert re.search(r'<link rel="alternate" type="application/rss\+xml"[^>]* href="/feeds/temaer/verdensmaal/"', head)
    assert re.search(r'<link rel="alternate" type="text/calendar"[^>]* href="/ical/temaer/verdensmaal.ics"', head)
    assert 'href="webcal://testserver/ical/temaer/verdensmaal.ics"' in content


def test_some_page_offers_the_subscription_of_all_upcoming_offerings(client, pages):
    contents = [client.get(url).content.decode() for url in ("/", "/arrangementer/", "/kurser/", "/webinarer/")]
    assert any("webcal://testserver/ical/alle.ics" in content for content in contents)
