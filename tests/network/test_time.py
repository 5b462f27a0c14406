"""Running offerings stay upcoming until they end, across midnight and the DST changes in Copenhagen; "now" and
"today" are read per request in Europe/Copenhagen; a webinar goes from upcoming to live to past by itself. Moments
are written in Copenhagen wall-clock time (UTC where the offset is the point); listings are fetched over HTTP."""

from __future__ import annotations

import datetime as dt
import html
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine

from events.models import EventPage
from network.models import OrganisationIndexPage
from tests.events.factories import CoursePageFactory, CourseSessionFactory, EventPageFactory
from tests.network.factories import OrganisationPageFactory, ThemeFactory, aware
from tests.webinars.factories import WebinarPageFactory, WebinarPresenterFactory

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
UTC = dt.UTC
EVENTS = "/arrangementer/"
COURSES = "/kurser/"
WEBINARS = "/webinarer/"


def cph(year, month, day, hour=0, minute=0, fold=0) -> dt.datetime:
    """A Copenhagen wall-clock moment; fold=1 picks the second pass of the hour repeated in October."""
    return dt.datetime(year, month, day, hour, minute, fold=fold, tzinfo=CPH)


def utc(year, month, day, hour=0, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


# The DST changes of 2030: the last Sundays of March and October.
SPRING_FORWARD = dt.date(2030, 3, 31)  # 02:00 CET -> 03:00 CEST
FALL_BACK = dt.date(2030, 10, 27)  # 03:00 CEST -> 02:00 CET

FESTIVAL = "Vidensfestival over weekenden"  # Friday 10.00 to Sunday 16.00
NIGHT = "Litteraturnat"  # 20.00 to 02.00 the next morning
SPRING = "Forårsseminar over omstillingen til sommertid"  # 30 March 10.00 to 31 March 16.00 CEST
SPRING_NIGHT = "Nattevagt i sommertidens første nat"  # 30 March 22.00 CET to 31 March 03.30 CEST
AUTUMN = "Efterårsseminar over omstillingen til vintertid"  # 26 October 10.00 to 27 October 12.00 CET
AUTUMN_NIGHT = "Nattevagt i vintertidens første nat"  # 26 October 22.00 CEST to 27 October 02.30 CET
COURSE = "Forløb hen over sommertiden"  # 25 March to 5 April, course days before and after the change


@pytest.fixture(scope="module")
def timeline(module_transaction):
    section = OrganisationPageFactory(parent=OrganisationIndexPage.objects.get())
    intro = "Oplæg og værksteder."

    def event(title, start, end):
        return EventPageFactory(parent=section, title=title, intro=intro, start=start, end=end)

    return {
        FESTIVAL: event(FESTIVAL, cph(2030, 5, 17, 10), cph(2030, 5, 19, 16)),
        NIGHT: event(NIGHT, cph(2030, 6, 7, 20), cph(2030, 6, 8, 2)),
        SPRING: event(SPRING, cph(2030, 3, 30, 10), cph(2030, 3, 31, 16)),
        SPRING_NIGHT: event(SPRING_NIGHT, cph(2030, 3, 30, 22), cph(2030, 3, 31, 3, 30)),
        AUTUMN: event(AUTUMN, cph(2030, 10, 26, 10), cph(2030, 10, 27, 12)),
        AUTUMN_NIGHT: event(AUTUMN_NIGHT, cph(2030, 10, 26, 22), cph(2030, 10, 27, 2, 30, fold=1)),
        COURSE: CoursePageFactory(
            parent=section,
            title=COURSE,
            intro=intro,
            start=cph(2030, 3, 25, 9),
            end=cph(2030, 4, 5, 16),
            sessions=[
                CourseSessionFactory.build(title="Første kursusgang", date=dt.date(2030, 3, 25)),
                CourseSessionFactory.build(
                    title="Anden kursusgang", date=dt.date(2030, 4, 5), start_time=dt.time(9), end_time=dt.time(16)
                ),
            ],
        ),
    }


@pytest.fixture
def pages(timeline, db):
    return timeline


def titles(response) -> list[str]:
    assert response.status_code == 200
    content = response.content.decode()
    return [html.unescape(t) for t in re.findall(r'<h3 class="card__title"><a href="[^"]*">([^<]*)</a>', content)]


def listed_as(client, title: str, url: str = EVENTS) -> str:
    """Where the listing puts an offering right now: "upcoming", "past" (or both/neither, which is wrong)."""
    upcoming = title in titles(client.get(url))
    past = title in titles(client.get(url, {"when": "past"}))
    return {(True, False): "upcoming", (False, True): "past"}.get((upcoming, past), f"upcoming={upcoming} past={past}")


def at(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


# --- Running offerings stay upcoming until they end ----------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "phase", "listing"),
    [
        (cph(2030, 5, 17, 9, 59), "upcoming", "upcoming"),
        (cph(2030, 5, 17, 10, 0), "running", "upcoming"),
        (cph(2030, 5, 17, 23, 59), "running", "upcoming"),
        (cph(2030, 5, 18, 0, 0), "running", "upcoming"),  # midnight of the first night
        (cph(2030, 5, 18, 0, 1), "running", "upcoming"),
        (cph(2030, 5, 19, 0, 30), "running", "upcoming"),  # the last day, after midnight
        (cph(2030, 5, 19, 15, 59), "running", "upcoming"),
        (cph(2030, 5, 19, 16, 0), "past", "past"),
        (cph(2030, 5, 20, 0, 0), "past", "past"),
    ],
)
def test_multi_day_event_stays_upcoming_until_it_ends(client, pages, moment, phase, listing):
    with at(moment):
        assert pages[FESTIVAL].get_phase() == phase
        assert listed_as(client, FESTIVAL) == listing


@pytest.mark.parametrize(
    ("moment", "phase"),
    [
        (cph(2030, 6, 7, 23, 59), "running"),
        (cph(2030, 6, 8, 0, 0), "running"),
        (cph(2030, 6, 8, 1, 59), "running"),
        (cph(2030, 6, 8, 2, 0), "past"),
    ],
)
def test_event_across_midnight_stays_upcoming_until_it_ends(client, pages, moment, phase):
    with at(moment):
        assert pages[NIGHT].get_phase() == phase
        assert listed_as(client, NIGHT) == ("upcoming" if phase == "running" else "past")


@pytest.mark.parametrize(
    ("moment", "listing"),
    [
        (cph(2030, 3, 31, 1, 59), "upcoming"),  # 00:59 UTC, the last minute of winter time
        (cph(2030, 3, 31, 3, 0), "upcoming"),  # 01:00 UTC, the first minute of summer time
        (utc(2030, 3, 31, 13, 59), "upcoming"),  # 15:59 CEST
        (utc(2030, 3, 31, 14, 0), "past"),  # 16:00 CEST: the end
        (utc(2030, 3, 31, 14, 30), "past"),  # 15:30 if the end were read as winter time: it has ended
    ],
)
def test_event_across_the_change_to_summer_time_ends_at_its_summer_time_end(client, pages, moment, listing):
    with at(moment):
        assert listed_as(client, SPRING) == listing
        assert pages[SPRING].get_phase() == ("running" if listing == "upcoming" else "past")


@pytest.mark.parametrize(
    ("moment", "listing"),
    [
        (utc(2030, 3, 31, 0, 59), "upcoming"),  # 01:59 CET
        (utc(2030, 3, 31, 1, 0), "upcoming"),  # 03:00 CEST: the hour 02-03 did not happen
        (utc(2030, 3, 31, 1, 29), "upcoming"),  # 03:29 CEST
        (utc(2030, 3, 31, 1, 30), "past"),  # 03:30 CEST: the end
    ],
)
def test_night_event_through_the_missing_hour_ends_at_its_wall_clock_end(client, pages, moment, listing):
    with at(moment):
        assert listed_as(client, SPRING_NIGHT) == listing


@pytest.mark.parametrize(
    ("moment", "listing"),
    [
        (cph(2030, 10, 27, 2, 30, fold=0), "upcoming"),  # 00:30 UTC, first pass of the repeated hour (CEST)
        (cph(2030, 10, 27, 2, 30, fold=1), "upcoming"),  # 01:30 UTC, second pass (CET)
        (utc(2030, 10, 27, 10, 30), "upcoming"),  # 11:30 CET: running, though 12:30 if read as summer time
        (utc(2030, 10, 27, 10, 59), "upcoming"),
        (utc(2030, 10, 27, 11, 0), "past"),  # 12:00 CET: the end
    ],
)
def test_event_across_the_change_to_winter_time_ends_at_its_winter_time_end(client, pages, moment, listing):
    with at(moment):
        assert listed_as(client, AUTUMN) == listing


@pytest.mark.parametrize(
    ("moment", "listing"),
    [
        (utc(2030, 10, 27, 0, 45), "upcoming"),  # 02:45 CEST, first pass
        (utc(2030, 10, 27, 1, 15), "upcoming"),  # 02:15 CET, second pass: the end 02:30 CET is still ahead
        (utc(2030, 10, 27, 1, 29), "upcoming"),
        (utc(2030, 10, 27, 1, 30), "past"),  # 02:30 CET, second pass: the end
    ],
)
def test_night_event_ending_in_the_repeated_hour_ends_on_its_second_pass(client, pages, moment, listing):
    with at(moment):
        assert listed_as(client, AUTUMN_NIGHT) == listing


@pytest.mark.parametrize(
    ("moment", "listing"),
    [
        (cph(2030, 3, 24, 12), "upcoming"),  # before it starts
        (utc(2030, 3, 31, 1, 0), "upcoming"),  # 03:00 CEST, the night of the change, between course days
        (cph(2030, 4, 1, 12), "upcoming"),  # between course days, summer time
        (cph(2030, 4, 5, 15, 59), "upcoming"),  # the last course day
        (cph(2030, 4, 5, 16, 0), "past"),
    ],
)
def test_running_course_stays_upcoming_until_its_period_ends(client, pages, moment, listing):
    with at(moment):
        assert listed_as(client, COURSE, url=COURSES) == listing
        assert listed_as(client, COURSE, url=EVENTS) == listing


def main(response) -> str:
    content = response.content.decode()
    return content[content.index("<main") : content.index("</main>")]


RUNNING = re.compile(r"\bi gang\b|igangværende|pågår", flags=re.IGNORECASE)


@pytest.mark.parametrize(("title", "url"), [(FESTIVAL, EVENTS), (COURSE, COURSES)])
def test_running_offering_shows_as_running_on_its_page_and_card(client, pages, title, url):
    page = pages[title]
    with at(page.start - dt.timedelta(hours=1)):
        assert not RUNNING.search(main(client.get(page.url)))
    with at(page.start + dt.timedelta(hours=1)):
        assert RUNNING.search(main(client.get(page.url)))
        listing = main(client.get(url))
        card = listing[listing.index(html.escape(title)) - 600 : listing.index(html.escape(title))]
        assert RUNNING.search(card)


# --- "Now" and "today" per request, in Copenhagen ------------------------------------------------------------


def test_now_is_read_per_request(client, pages):
    """The same process answers differently as the clock moves: nothing is computed once at start-up."""
    with at(cph(2030, 5, 19, 15, 0)):
        assert listed_as(client, FESTIVAL) == "upcoming"
    with at(cph(2030, 5, 19, 17, 0)):
        assert listed_as(client, FESTIVAL) == "past"
    with at(cph(2030, 5, 19, 15, 0)):
        assert listed_as(client, FESTIVAL) == "upcoming"


@pytest.fixture
def around_midnight(pages):
    """Two events either side of midnight in Copenhagen, which are the same day in UTC."""
    section = pages[FESTIVAL].get_parent()
    late = EventPageFactory(parent=section, title="Sen aften", start=cph(2030, 3, 30, 21), end=cph(2030, 3, 30, 23, 30))
    early = EventPageFactory(
        parent=section, title="Tidlig nat", start=cph(2030, 3, 31, 0, 15), end=cph(2030, 3, 31, 0, 45)
    )
    assert early.start.astimezone(UTC).date() == dt.date(2030, 3, 30)  # in UTC it is still the 30th
    autumn = EventPageFactory(
        parent=section, title="Efter midnat i oktober", start=cph(2030, 10, 27, 0, 30), end=cph(2030, 10, 27, 1, 30)
    )
    assert autumn.start.astimezone(UTC).date() == dt.date(2030, 10, 26)
    return late, early, autumn


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2030-03-30", [COURSE, SPRING, "Sen aften", SPRING_NIGHT]),
        ("2030-03-31", [COURSE, SPRING, SPRING_NIGHT, "Tidlig nat"]),
        ("2030-10-26", [AUTUMN, AUTUMN_NIGHT]),
        ("2030-10-27", [AUTUMN, AUTUMN_NIGHT, "Efter midnat i oktober"]),
    ],
)
def test_a_day_is_a_copenhagen_day(client, around_midnight, day, expected):
    with at(cph(2030, 1, 1, 12)):
        assert titles(client.get(EVENTS, {"from": day, "to": day})) == expected


def test_today_in_copenhagen_starts_at_local_midnight(client, around_midnight):
    """At 00:30 on 31 March in Copenhagen (still the 30th in UTC), "from today" means from 31 March."""
    with at(cph(2030, 3, 31, 0, 30)):
        shown = titles(client.get(EVENTS, {"from": "2030-03-31"}))
        assert "Tidlig nat" in shown
        assert "Sen aften" not in shown
        assert "Sen aften" in titles(client.get(EVENTS, {"when": "past"}))
        assert "Tidlig nat" in titles(client.get(EVENTS))  # running


def test_theme_page_moves_an_offering_from_upcoming_to_past_by_itself(client, pages):
    theme = ThemeFactory(name="Tid")
    night = EventPage.objects.get(pk=pages[NIGHT].pk)
    night.themes.set([theme])
    night.save()
    url = f"/tema/{theme.slug}/"
    with at(cph(2030, 6, 8, 1, 0)):
        response = client.get(url)
        assert titles(response) == [NIGHT]
        assert response.context["upcoming"] == [night]
    with at(cph(2030, 6, 8, 2, 0)):
        response = client.get(url)
        assert titles(response) == [NIGHT]
        assert response.context["upcoming"] == []
        assert list(response.context["past"].object_list) == [night]


def test_home_page_shows_what_is_next_at_the_time_of_the_request(client, pages):
    with at(cph(2030, 5, 19, 15, 0)):
        assert html.escape(FESTIVAL) in client.get("/").content.decode()
    with at(cph(2030, 5, 19, 16, 0)):
        assert html.escape(FESTIVAL) not in client.get("/").content.decode()


# --- The webinar lifecycle -----------------------------------------------------------------------------------

JOIN = "https://example.org/deltag"
RECORDING = "https://example.org/optagelse"
W_START = cph(2030, 5, 20, 14, 0)


@pytest.fixture
def webinar(pages):
    return WebinarPageFactory(
        parent=pages[FESTIVAL].get_parent(),
        title="Webinar om citizen science",
        start=W_START,
        duration=60,
        join_url=JOIN,
        recording_url=RECORDING,
        presenters=[WebinarPresenterFactory.build()],
    )


def webinar_page(client, webinar) -> str:
    response = client.get(webinar.url)
    assert response.status_code == 200
    return main(response)


@pytest.mark.parametrize("moment", [W_START - dt.timedelta(days=3), W_START - dt.timedelta(minutes=1)])
def test_upcoming_webinar_shows_the_join_link_and_no_recording(client, webinar, moment):
    with at(moment):
        page = webinar_page(client, webinar)
        assert f'href="{JOIN}"' in page
        assert "Kommende webinar" in page
        assert "Live nu" not in page
        assert f'href="{RECORDING}"' not in page
        assert listed_as(client, webinar.title, url=WEBINARS) == "upcoming"


@pytest.mark.parametrize("moment", [W_START, W_START + dt.timedelta(minutes=30), W_START + dt.timedelta(minutes=59)])
def test_live_webinar_shows_live_now_and_the_join_link(client, webinar, moment):
    with at(moment):
        page = webinar_page(client, webinar)
        assert "Live nu" in page
        assert "slutter kl. 15.00" in page
        assert f'href="{JOIN}"' in page
        assert f'href="{RECORDING}"' not in page
        assert listed_as(client, webinar.title, url=WEBINARS) == "upcoming"
        listing = main(client.get(WEBINARS))
        card = listing[: listing.index(html.escape(webinar.title))]
        assert "badge--live" in card[card.rindex('<article class="card') :]


@pytest.mark.parametrize("moment", [W_START + dt.timedelta(minutes=60), W_START + dt.timedelta(days=400)])
def test_past_webinar_shows_the_recording_and_no_join_link(client, webinar, moment):
    with at(moment):
        page = webinar_page(client, webinar)
        assert f'href="{RECORDING}"' in page
        assert "Se optagelsen" in page
        assert f'href="{JOIN}"' not in page
        assert "Live nu" not in page
        assert listed_as(client, webinar.title, url=WEBINARS) == "past"


def test_past_webinar_without_a_recording_says_it_is_coming(client, webinar):
    webinar.recording_url = ""
    webinar.save()
    with at(W_START + dt.timedelta(hours=2)):
        page = webinar_page(client, webinar)
        assert "Optagelsen er ikke lagt op endnu." in page
        assert f'href="{JOIN}"' not in page


def test_webinar_moves_through_its_phases_by_itself(client, webinar):
    """One page, no edits: only the clock moves."""
    seen = []
    for moment in (W_START - dt.timedelta(hours=1), W_START + dt.timedelta(minutes=1), W_START + dt.timedelta(hours=1)):
        with at(moment):
            page = webinar_page(client, webinar)
            seen.append(("Live nu" in page, f'href="{JOIN}"' in page, f'href="{RECORDING}"' in page))
    assert seen == [(False, True, False), (True, True, False), (False, False, True)]


def test_webinar_over_the_change_to_summer_time_lasts_its_duration(client, pages):
    webinar = WebinarPageFactory(
        parent=pages[FESTIVAL].get_parent(), title="Natligt webinar", start=cph(2030, 3, 31, 1, 30), duration=90
    )
    webinar.refresh_from_db()
    assert webinar.end - webinar.start == dt.timedelta(minutes=90)
    with at(utc(2030, 3, 31, 1, 30)):  # 03:30 CEST, an hour into the webinar
        assert webinar.get_phase() == "live"
        assert listed_as(client, webinar.title, url=WEBINARS) == "upcoming"


def test_webinar_over_the_change_to_winter_time_lasts_its_duration(client, pages):
    """02:30 CEST plus an hour is 02:30 CET, the second pass of the repeated hour, not 03:30."""
    webinar = WebinarPageFactory(
        parent=pages[FESTIVAL].get_parent(), title="Natligt webinar", start=cph(2030, 10, 27, 2, 30), duration=60
    )
    webinar.refresh_from_db()
    assert webinar.end == utc(2030, 10, 27, 1, 30)  # 02:30 CET (an aware fold=1 time never compares equal)
    with at(utc(2030, 10, 27, 1, 15)):  # 02:15 CET, 45 minutes into the webinar
        assert webinar.get_phase() == "live"
        assert listed_as(client, webinar.title, url=WEBINARS) == "upcoming"
        assert "Live nu" in main(client.get(webinar.url))
    with at(utc(2030, 10, 27, 1, 30)):
        assert webinar.get_phase() == "past"
        assert listed_as(client, webinar.title, url=WEBINARS) == "past"


def test_webinar_with_start_from_the_database_ends_after_its_duration(pages):
    """The same webinar, re-saved once its start has come back from the database in UTC, is stored right."""
    webinar = WebinarPageFactory(
        parent=pages[FESTIVAL].get_parent(), title="Natligt webinar", start=utc(2030, 3, 31, 0, 30), duration=90
    )
    assert webinar.end == utc(2030, 3, 31, 2, 0)
    assert aware(2030, 3, 31, 4, 0) == webinar.end
