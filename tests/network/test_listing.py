"""Find offerings: the filterable listings of events and courses, courses, and webinars (issue 3, part 1).

One catalogue of offerings is built once for the module (rolled back after it) and the clock is frozen at NOW, so
every expectation below is a fixed list of titles. The filters are GET parameters, so each test is a URL.
"""

from __future__ import annotations

import datetime as dt
import html
import re

from django.contrib.auth.models import Group
from django.utils import timezone

from wagtail.models import PageViewRestriction

import pytest
import time_machine

from events.models import CourseIndexPage, EventIndexPage
from network.models import OrganisationIndexPage
from tests.events.factories import CoursePageFactory, CourseSessionFactory, EventPageFactory
from tests.network.factories import OrganisationPageFactory, ThemeFactory, aware, municipality
from tests.webinars.factories import WebinarPageFactory, WebinarPresenterFactory
from webinars.models import WebinarIndexPage

pytestmark = pytest.mark.django_db

NOW = aware(2030, 5, 15, 12, 0)  # a Wednesday at noon in Copenhagen (summer time)

EVENTS = "/arrangementer/"
COURSES = "/kurser/"
WEBINARS = "/webinarer/"

# Titles, so the expectations read as lists of offerings.
FESTIVAL = "Vidensfestival i Herning"  # running: started yesterday, ends tomorrow
INSPIRATION = "Inspirationsdag om verdensmål"
LEADERS = "Ledertræf i København"
EVENING = "Fyraftensmøde om læselyst"
CONFERENCE = "Konference om formidling"
COURSE = "Sæt spot på kompetencerne"
PAST_DAY = "Temadag om bæredygtighed"
PAST_LEADERS = "Lederkonference 2029"
PAST_COURSE = "Lederforløb 2029"
WEBINAR = "Webinar om citizen science"
PAST_WEBINAR = "Webinar om højtlæsning"
DRAFT = "Kladde til et arrangement"
PRIVATE = "Lukket arrangement for tovholdere"

UPCOMING_EVENTS_AND_COURSES = [FESTIVAL, INSPIRATION, LEADERS, EVENING, CONFERENCE, COURSE]
PAST_EVENTS_AND_COURSES = [PAST_DAY, PAST_LEADERS, PAST_COURSE]


def on_site(name: str) -> dict:
    return {
        "attendance_mode": "fysisk",
        "venue_name": f"Biblioteket i {name}",
        "city": name,
        "municipality": municipality(name),
    }


ONLINE = {
    "attendance_mode": "online",
    "venue_name": "",
    "city": "",
    "postcode": "",
    "municipality": None,
    "online_url": "https://example.org/moede",
}


@pytest.fixture(scope="module")
def catalogue(module_transaction):
    """Events, courses and webinars around NOW, with themes, audiences, forms and regions to filter on."""
    section = OrganisationPageFactory(parent=OrganisationIndexPage.objects.get(), title="Slots- og Kulturstyrelsen")
    themes = {
        "verdensmaal": ThemeFactory(name="Verdensmål"),
        "laeselyst": ThemeFactory(name="Læselyst"),
        "ledelse": ThemeFactory(name="Ledelse"),
        "historie": ThemeFactory(name="Historie"),  # only on a past offering
        "ubrugt": ThemeFactory(name="Ubrugt tema"),  # on nothing
    }
    t = themes

    def event(title, start, end, intro, themes, audience="alle", **place):
        return EventPageFactory(
            parent=section, title=title, start=start, end=end, intro=intro, themes=themes, audience=audience, **place
        )

    pages = {
        FESTIVAL: event(
            FESTIVAL,
            aware(2030, 5, 14, 9),
            aware(2030, 5, 16, 16),
            "Tre dage med oplæg og værksteder.",
            [t["laeselyst"]],
            **on_site("Herning"),
        ),
        INSPIRATION: event(
            INSPIRATION,
            aware(2030, 6, 1, 9),
            aware(2030, 6, 1, 15),
            "En dag om FN's 17 mål på biblioteket.",
            [t["verdensmaal"]],
            **on_site("Herning"),
        ),
        LEADERS: event(
            LEADERS,
            aware(2030, 6, 10, 10),
            aware(2030, 6, 10, 16),
            "Netværk for bibliotekschefer.",
            [t["ledelse"], t["verdensmaal"]],
            audience="ledere",
            **on_site("København"),
        ),
        EVENING: event(
            EVENING,
            aware(2030, 7, 1, 16),
            aware(2030, 7, 1, 18),
            "Et online møde efter arbejdstid.",
            [t["laeselyst"]],
            audience="medarbejdere",
            **ONLINE,
        ),
        CONFERENCE: event(
            CONFERENCE,
            aware(2030, 8, 20, 9),
            aware(2030, 8, 21, 16),
            "To dage, i salen eller hjemmefra.",
            [t["laeselyst"], t["verdensmaal"]],
            **{**on_site("Odense"), "attendance_mode": "hybrid", "online_url": "https://example.org/stream"},
        ),
        PAST_DAY: event(
            PAST_DAY,
            aware(2030, 3, 10, 9),
            aware(2030, 3, 10, 15),
            "Bæredygtig drift af bibliotekerne.",
            [t["verdensmaal"]],
            **on_site("Herning"),
        ),
        PAST_LEADERS: event(
            PAST_LEADERS,
            aware(2029, 11, 5, 9),
            aware(2029, 11, 5, 16),
            "Ledelse af fremtidens bibliotek.",
            [t["ledelse"], t["historie"]],
            audience="ledere",
            **on_site("København"),
        ),
        COURSE: CoursePageFactory(
            parent=section,
            title=COURSE,
            start=aware(2030, 9, 1, 9),
            end=aware(2030, 10, 31, 16),
            intro="Et forløb om kompetencer i samarbejdet med skolerne.",
            audience="medarbejdere",
            themes=[t["verdensmaal"]],
            sessions=[
                CourseSessionFactory.build(
                    title="Første kursusgang",
                    date=dt.date(2030, 9, 10),
                    municipality=municipality("Aarhus"),
                    city="Aarhus",
                ),
                CourseSessionFactory.build(
                    title="Anden kursusgang",
                    date=dt.date(2030, 10, 20),
                    municipality=municipality("Aarhus"),
                    city="Aarhus",
                ),
            ],
        ),
        PAST_COURSE: CoursePageFactory(
            parent=section,
            title=PAST_COURSE,
            start=aware(2029, 9, 1, 9),
            end=aware(2029, 12, 1, 16),
            intro="Et forløb for nye ledere.",
            audience="ledere",
            attendance_mode="online",
            themes=[t["ledelse"]],
            sessions=[
                CourseSessionFactory.build(
                    title="Online kursusgang",
                    date=dt.date(2029, 9, 15),
                    attendance_mode="online",
                    venue_name="",
                    municipality=None,
                ),
            ],
        ),
        WEBINAR: WebinarPageFactory(
            parent=section,
            title=WEBINAR,
            start=aware(2030, 5, 20, 14),
            intro="Borgere forsker sammen.",
            themes=[t["verdensmaal"]],
            presenters=[WebinarPresenterFactory.build()],
        ),
        PAST_WEBINAR: WebinarPageFactory(
            parent=section,
            title=PAST_WEBINAR,
            start=aware(2030, 4, 2, 14),
            intro="Læs højt for voksne.",
            themes=[t["laeselyst"]],
            recording_url="https://example.org/optagelse",
        ),
        DRAFT: EventPageFactory(
            parent=section,
            title=DRAFT,
            start=aware(2030, 6, 2, 9),
            end=aware(2030, 6, 2, 15),
            live=False,
            intro="Ikke udgivet endnu.",
            themes=[t["verdensmaal"]],
        ),
        PRIVATE: event(
            PRIVATE,
            aware(2030, 6, 3, 9),
            aware(2030, 6, 3, 15),
            "Kun for tovholdere.",
            [t["verdensmaal"]],
            **on_site("Herning"),
        ),
    }
    restriction = PageViewRestriction.objects.create(page=pages[PRIVATE], restriction_type="groups")
    restriction.groups.set([Group.objects.create(name="Tovholdere")])
    return {"pages": pages, "themes": themes}


@pytest.fixture(autouse=True)
def frozen(catalogue, db):
    with time_machine.travel(NOW, tick=False):
        yield


# --- Helpers -------------------------------------------------------------------------------------------------


def get(client, url: str, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response


def card_titles(response) -> list[str]:
    """The titles of the result cards, in the order the page shows them."""
    content = response.content.decode()
    results = content[content.index('class="results"') :]
    return [html.unescape(t) for t in re.findall(r'<h3 class="card__title"><a href="[^"]*">([^<]*)</a>', results)]


def result_count(response) -> int:
    """The result count in the results heading ("6 resultater")."""
    match = re.search(r'id="results-heading"[^>]*>\s*(\d+) resultat', response.content.decode())
    assert match, "no result count on the page"
    return int(match.group(1))


def listing(client, url: str, params=None) -> list[str]:
    """The titles shown for a filtered URL; the count in the heading must agree with them (one page here)."""
    response = get(client, url, params)
    titles = card_titles(response)
    assert result_count(response) == len(titles)
    return titles


def facet(response, name: str) -> dict[str, int]:
    """The options of one facet as {value: count}, from the listing the page rendered."""
    facets = {f.name: f for f in response.context["listing"].facets}
    return {option.value: option.count for option in facets[name].options}


def has_noindex(response) -> bool:
    return '<meta name="robots" content="noindex">' in response.content.decode()


# --- Default view and sorting --------------------------------------------------------------------------------


def test_event_listing_shows_upcoming_events_and_courses_soonest_first(client):
    assert listing(client, EVENTS) == UPCOMING_EVENTS_AND_COURSES


def test_running_event_is_listed_among_upcoming(client):
    assert FESTIVAL in listing(client, EVENTS)
    assert FESTIVAL not in listing(client, EVENTS, {"when": "past"})


def test_unpublished_and_private_offerings_are_not_listed(client):
    shown = listing(client, EVENTS, {"when": "all"})
    assert DRAFT not in shown
    assert PRIVATE not in shown


def test_course_listing_shows_only_courses(client):
    assert listing(client, COURSES) == [COURSE]
    assert listing(client, COURSES, {"when": "past"}) == [PAST_COURSE]


def test_webinar_listing_shows_upcoming_webinars(client):
    assert listing(client, WEBINARS) == [WEBINAR]


def test_webinar_archive_shows_past_webinars(client):
    assert listing(client, WEBINARS, {"when": "past"}) == [PAST_WEBINAR]


def test_past_offerings_are_sorted_latest_first(client):
    assert listing(client, EVENTS, {"when": "past"}) == PAST_EVENTS_AND_COURSES


def test_all_offerings_are_sorted_by_date_ascending(client):
    assert listing(client, EVENTS, {"when": "all"}) == [
        PAST_COURSE,
        PAST_LEADERS,
        PAST_DAY,
        *UPCOMING_EVENTS_AND_COURSES,
    ]


def test_explicit_upcoming_equals_the_default(client):
    assert listing(client, EVENTS, {"when": "upcoming"}) == listing(client, EVENTS)


def test_result_count_is_shown_in_danish(client):
    content = get(client, EVENTS).content.decode()
    assert re.search(r"6 resultater\s*</h2>", content)
    content = get(client, COURSES).content.decode()
    assert re.search(r"1 resultat\s*</h2>", content)


def test_empty_result_says_so(client):
    response = get(client, EVENTS, {"q": "findesikkenogetsted"})
    assert result_count(response) == 0
    assert "Ingen tilbud passer til filtrene" in response.content.decode()


# --- Filters one by one --------------------------------------------------------------------------------------


def test_filter_by_one_theme(client):
    assert listing(client, EVENTS, {"theme": "verdensmaal"}) == [INSPIRATION, LEADERS, CONFERENCE, COURSE]


def test_filter_by_several_themes_narrows_to_offerings_with_all_of_them(client):
    assert listing(client, EVENTS, {"theme": ["verdensmaal", "laeselyst"]}) == [CONFERENCE]
    assert listing(client, EVENTS, {"theme": ["verdensmaal", "ledelse"]}) == [LEADERS]


def test_filter_by_theme_on_the_webinar_archive(client):
    assert listing(client, WEBINARS, {"when": "past", "theme": "laeselyst"}) == [PAST_WEBINAR]
    assert listing(client, WEBINARS, {"when": "past", "theme": "verdensmaal"}) == []


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (["event"], [FESTIVAL, INSPIRATION, LEADERS, EVENING, CONFERENCE]),
        (["course"], [COURSE]),
        (["event", "course"], UPCOMING_EVENTS_AND_COURSES),
    ],
)
def test_filter_by_type(client, kinds, expected):
    assert listing(client, EVENTS, {"type": kinds}) == expected


def test_filter_by_when_past(client):
    assert listing(client, EVENTS, {"when": "past"}) == PAST_EVENTS_AND_COURSES


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"from": "2030-06-05", "to": "2030-07-31"}, [LEADERS, EVENING]),
        # A period decides on its own: without `when` it reaches into the past as well.
        ({"from": "2030-03-01", "to": "2030-03-31"}, [PAST_DAY]),
        # Both ends are whole days and inclusive.
        ({"from": "2030-06-01", "to": "2030-06-01"}, [INSPIRATION]),
        ({"from": "2030-06-10", "to": "2030-06-10"}, [LEADERS]),
        # An offering is in a period when it overlaps it: the running festival, the second day of the conference.
        ({"from": "2030-05-15", "to": "2030-05-15"}, [FESTIVAL]),
        ({"from": "2030-08-21", "to": "2030-08-21"}, [CONFERENCE]),
        # Open-ended periods.
        ({"from": "2030-08-01"}, [CONFERENCE, COURSE]),
        ({"to": "2029-12-31"}, [PAST_COURSE, PAST_LEADERS]),
    ],
)
def test_filter_by_date_range(client, params, expected):
    assert listing(client, EVENTS, params) == expected


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        ("alle", [FESTIVAL, INSPIRATION, CONFERENCE]),
        ("ledere", [LEADERS]),
        ("medarbejdere", [EVENING, COURSE]),
        ("noeglepersoner", []),
    ],
)
def test_filter_by_audience(client, audience, expected):
    assert listing(client, EVENTS, {"audience": audience}) == expected


def test_filter_by_format_online_includes_hybrid(client):
    assert listing(client, EVENTS, {"format": "online"}) == [EVENING, CONFERENCE]


def test_filter_by_format_on_site_includes_hybrid(client):
    assert listing(client, EVENTS, {"format": "fysisk"}) == [FESTIVAL, INSPIRATION, LEADERS, CONFERENCE, COURSE]


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("midtjylland", [FESTIVAL, INSPIRATION, COURSE]),  # the course by the place of its course days
        ("hovedstaden", [LEADERS]),
        ("syddanmark", [CONFERENCE]),
        ("nordjylland", []),
    ],
)
def test_filter_by_region(client, region, expected):
    assert listing(client, EVENTS, {"region": region}) == expected


def test_online_offerings_have_no_region(client):
    shown = set()
    for region in ("hovedstaden", "sjaelland", "syddanmark", "midtjylland", "nordjylland"):
        shown.update(listing(client, EVENTS, {"region": region}))
    assert EVENING not in shown


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("ledertræf", [LEADERS]),  # in the title
        ("LEDERtræf", [LEADERS]),  # any case
        ("skolerne", [COURSE]),  # in the introduction
        ("konference salen", [CONFERENCE]),  # every word must occur, title or introduction
        ("  konference   ", [CONFERENCE]),  # surrounding whitespace does not matter
        ("ingenting", []),
    ],
)
def test_filter_by_free_text(client, q, expected):
    assert listing(client, EVENTS, {"q": q}) == expected


def test_free_text_ignores_the_case_of_danish_letters(client):
    assert listing(client, EVENTS, {"q": "LEDERTRÆF"}) == [LEADERS]
    assert listing(client, EVENTS, {"q": "bæredygtig", "when": "past"}) == [PAST_DAY]
    assert listing(client, EVENTS, {"q": "BÆREDYGTIG", "when": "past"}) == [PAST_DAY]


def test_free_text_stays_within_the_listing(client):
    """A webinar matches the words, but the course listing lists courses only."""
    assert listing(client, COURSES, {"q": "citizen"}) == []
    assert listing(client, WEBINARS, {"q": "citizen"}) == [WEBINAR]


# --- Filters combined ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"theme": "verdensmaal", "format": "fysisk", "region": "midtjylland"}, [INSPIRATION, COURSE]),
        ({"theme": "verdensmaal", "when": "past"}, [PAST_DAY]),
        ({"theme": "ledelse", "when": "past", "type": "course"}, [PAST_COURSE]),
        ({"theme": "laeselyst", "format": "online", "audience": "medarbejdere"}, [EVENING]),
        ({"type": "course", "audience": "medarbejdere", "q": "skolerne"}, [COURSE]),
        ({"type": "event", "region": "hovedstaden", "when": "all"}, [PAST_LEADERS, LEADERS]),
        ({"theme": "verdensmaal", "from": "2030-06-01", "to": "2030-06-30", "type": "event"}, [INSPIRATION, LEADERS]),
        ({"audience": "ledere", "when": "past", "format": "online"}, [PAST_COURSE]),
        ({"q": "bibliotek", "region": "herning"}, [INSPIRATION, LEADERS]),  # an unknown region is dropped
        ({"theme": ["laeselyst", "verdensmaal"], "region": "syddanmark", "format": "online"}, [CONFERENCE]),
        ({"theme": "verdensmaal", "region": "hovedstaden", "audience": "alle"}, []),
    ],
)
def test_filters_combined(client, params, expected):
    assert listing(client, EVENTS, params) == expected


def test_combined_filters_on_the_webinar_archive(client):
    assert listing(client, WEBINARS, {"when": "past", "q": "højtlæsning", "theme": "laeselyst"}) == [PAST_WEBINAR]
    assert listing(client, WEBINARS, {"when": "past", "q": "højtlæsning", "theme": "ledelse"}) == []


# --- Facets --------------------------------------------------------------------------------------------------


def test_facets_count_the_current_result(client):
    response = get(client, EVENTS)
    assert facet(response, "theme") == {"verdensmaal": 4, "laeselyst": 3, "ledelse": 1}
    assert facet(response, "type") == {"event": 5, "course": 1}
    assert facet(response, "audience") == {"alle": 3, "ledere": 1, "medarbejdere": 2}
    assert facet(response, "region") == {"midtjylland": 3, "hovedstaden": 1, "syddanmark": 1}
    assert facet(response, "format") == {"fysisk": 5, "online": 2}


def test_facets_show_only_values_that_occur(client):
    response = get(client, EVENTS)
    assert "ubrugt" not in facet(response, "theme")  # a theme on nothing
    assert "historie" not in facet(response, "theme")  # a theme only on a past offering
    assert "noeglepersoner" not in facet(response, "audience")
    assert {"nordjylland", "sjaelland"}.isdisjoint(facet(response, "region"))
    assert all(
        count > 0
        for name in ("theme", "type", "audience", "region", "format")
        for count in facet(response, name).values()
    )
    content = response.content.decode()
    assert 'value="ubrugt"' not in content
    assert 'value="nordjylland"' not in content


def test_facets_follow_the_time_filter(client):
    response = get(client, EVENTS, {"when": "past"})
    assert facet(response, "theme") == {"verdensmaal": 1, "ledelse": 2, "historie": 1}
    assert facet(response, "type") == {"event": 2, "course": 1}


def test_facets_narrow_with_the_other_filters(client):
    response = get(client, EVENTS, {"region": "hovedstaden"})
    assert facet(response, "type") == {"event": 1}  # no course in the capital region: not offered
    assert facet(response, "audience") == {"ledere": 1}
    assert facet(response, "theme") == {"ledelse": 1, "verdensmaal": 1}
    # The region facet still offers the other regions (counted without the region filter), to switch to.
    assert facet(response, "region") == {"midtjylland": 3, "hovedstaden": 1, "syddanmark": 1}


def test_theme_facet_counts_what_ticking_another_theme_gives(client):
    response = get(client, EVENTS, {"theme": "verdensmaal"})
    counts = facet(response, "theme")
    assert counts == {"verdensmaal": 4, "laeselyst": 1, "ledelse": 1}
    assert len(listing(client, EVENTS, {"theme": ["verdensmaal", "laeselyst"]})) == counts["laeselyst"]


def test_type_facet_is_offered_only_where_there_is_a_choice(client):
    assert "type" not in {f.name for f in get(client, COURSES).context["listing"].facets}
    assert "type" not in {f.name for f in get(client, WEBINARS).context["listing"].facets}


def test_facet_counts_and_choices_are_rendered(client):
    content = get(client, EVENTS, {"theme": "verdensmaal", "region": "midtjylland"}).content.decode()
    assert re.search(
        r'name="theme" value="verdensmaal" checked>\s*Verdensmål <span class="filters__count">\(2\)', content
    )
    assert re.search(r'name="region" value="midtjylland" checked>\s*Region Midtjylland', content)
    assert re.search(r'name="type" value="event">\s*Arrangement <span class="filters__count">\(1\)', content)


def test_a_chosen_value_stays_visible_when_nothing_matches(client):
    """So the visitor can untick it: a chosen value with no result is still offered, with 0."""
    response = get(client, EVENTS, {"audience": "noeglepersoner"})
    assert facet(response, "audience")["noeglepersoner"] == 0
    assert 'name="audience" value="noeglepersoner" checked' in response.content.decode()


# --- Pagination ----------------------------------------------------------------------------------------------


def test_pagination_pages_of_twenty_with_the_total_count_and_links_that_keep_the_filters(client, catalogue):
    """21 upcoming webinars about Verdensmål (the catalogue's and 20 more): two pages, the second with one."""
    section = catalogue["pages"][WEBINAR].get_parent()
    for n in range(20):
        WebinarPageFactory(
            parent=section,
            title=f"Ekstra webinar {n:02d}",
            start=aware(2030, 6, 1, 9) + dt.timedelta(days=n),
            themes=[catalogue["themes"]["verdensmaal"]],
        )
    first = get(client, WEBINARS)
    assert result_count(first) == 21
    assert card_titles(first) == [WEBINAR, *[f"Ekstra webinar {n:02d}" for n in range(19)]]
    assert "Side 1 af 2" in first.content.decode()
    second = get(client, WEBINARS, {"page": "2"})
    assert result_count(second) == 21
    assert card_titles(second) == ["Ekstra webinar 19"]
    assert "Side 2 af 2" in second.content.decode()

    content = get(client, WEBINARS, {"theme": "verdensmaal", "q": "webinar"}).content.decode()
    assert 'rel="next" href="?theme=verdensmaal&amp;q=webinar&amp;page=2"' in content
    content = get(client, WEBINARS, {"theme": "verdensmaal", "q": "webinar", "page": "2"}).content.decode()
    assert 'rel="prev" href="?theme=verdensmaal&amp;q=webinar&amp;page=1"' in content


def test_a_single_page_has_no_pagination(client):
    assert 'class="pagination"' not in get(client, EVENTS).content.decode()


# --- noindex -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [EVENTS, COURSES, WEBINARS])
def test_unfiltered_listing_is_indexable(client, url):
    assert not has_noindex(get(client, url))


@pytest.mark.parametrize("params", [{"theme": "verdensmaal"}, {"theme": "verdensmaal", "page": "1"}])
def test_single_theme_listing_is_indexable(client, params):
    assert not has_noindex(get(client, EVENTS, params))


@pytest.mark.parametrize(
    "params",
    [
        {"theme": ["verdensmaal", "laeselyst"]},
        {"theme": "verdensmaal", "type": "event"},
        {"theme": "verdensmaal", "q": "dag"},
        {"theme": "findes-ikke"},
        {"type": "event"},
        {"when": "past"},
        {"from": "2030-06-01"},
        {"to": "2030-06-01"},
        {"audience": "ledere"},
        {"format": "online"},
        {"region": "midtjylland"},
        {"q": "dag"},
    ],
)
def test_other_filtered_listings_carry_noindex(client, params):
    assert has_noindex(get(client, EVENTS, params))


# --- The form without JavaScript -----------------------------------------------------------------------------


def test_filter_form_is_a_plain_get_form_with_named_inputs(client):
    content = get(client, EVENTS).content.decode()
    form = re.search(r'<form class="filters"(.*?)</form>', content, flags=re.S)
    assert form
    tag, body = form.group(0).split(">", 1)[0], form.group(1)
    assert 'method="get"' in tag
    assert "onsubmit" not in tag
    names = set(re.findall(r'<input[^>]* name="([^"]+)"', body))
    assert {"q", "when", "from", "to", "theme", "type", "audience", "format", "region"} <= names
    assert re.search(r'<input type="date"[^>]* name="from"', body)
    assert re.search(r'<input type="date"[^>]* name="to"', body)
    assert re.search(r'<button type="submit"', body)
    assert 'type="checkbox" name="theme"' in body  # several themes can be ticked


def test_filter_form_shows_the_current_filters(client):
    params = {"q": "dag", "when": "all", "from": "2030-06-01", "to": "2030-06-30", "theme": "verdensmaal"}
    content = get(client, EVENTS, params).content.decode()
    assert 'name="q" value="dag"' in content
    assert 'name="when" value="all" checked' in content
    assert 'name="from" value="2030-06-01"' in content
    assert 'name="to" value="2030-06-30"' in content
    assert 'name="theme" value="verdensmaal" checked' in content


def test_filtered_url_is_stable(client):
    """The same URL gives the same page of results, request after request."""
    params = {"theme": "verdensmaal", "format": "fysisk"}
    first = listing(client, EVENTS, params)
    assert first == listing(client, EVENTS, params) == [INSPIRATION, LEADERS, CONFERENCE, COURSE]


def test_listing_does_not_depend_on_the_servers_clock_at_import(client):
    """'Now' is read per request: travelling past the festival's end moves it out of the upcoming listing."""
    assert FESTIVAL in listing(client, EVENTS)
    with time_machine.travel(timezone.localtime(NOW) + dt.timedelta(days=2), tick=False):
        assert FESTIVAL not in listing(client, EVENTS)
        assert FESTIVAL in listing(client, EVENTS, {"when": "past"})


def test_index_pages_are_the_listing_pages():
    """The URLs above are the site's real index pages (site_ensure_structure)."""
    assert EventIndexPage.objects.get().url == EVENTS
    assert CourseIndexPage.objects.get().url == COURSES
    assert WebinarIndexPage.objects.get().url == WEBINARS
