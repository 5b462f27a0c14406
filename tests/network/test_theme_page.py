"""A theme's own page at /tema/<slug>/: everything tagged with it, upcoming offerings first, then past ones."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import time_machine

from network.models import InitiativeIndexPage, OrganisationIndexPage
from tests.events.factories import CoursePageFactory, EventPageFactory
from tests.network.factories import (
    InitiativePageFactory,
    OrganisationPageFactory,
    ThemeFactory,
    WorkingGroupPageFactory,
    aware,
)
from tests.webinars.factories import WebinarPageFactory

pytestmark = pytest.mark.django_db

NOW = aware(2030, 5, 15, 12, 0)
URL = "/tema/verdensmaal/"

RUNNING = "Vidensfestival"  # 14 to 16 May
WEBINAR = "Webinar om verdensmål"  # 20 May
EVENT = "Inspirationsdag om verdensmål"  # 1 June
COURSE = "Forløb om verdensmål"  # September to October
PAST_WEBINAR = "Afholdt webinar om verdensmål"  # 2 April 2030
PAST_EVENT = "Temadag om bæredygtighed"  # 1 March 2030
OLD_EVENT = "Konference om verdensmål 2029"  # November 2029
OTHER_THEME = "Ledertræf"  # upcoming, another theme
DRAFT = "Kladde om verdensmål"
INITIATIVE = "Verdensmål på bibliotekerne"
GROUP = "Arbejdsgruppen for verdensmål"
OTHER_GROUP = "Arbejdsgruppen for ledelse"
OTHER_INITIATIVE = "Ledelse i bibliotekerne"
DRAFT_GROUP = "Arbejdsgruppe under opbygning"


@pytest.fixture(scope="module")
def theme_world(module_transaction):
    section = OrganisationPageFactory(parent=OrganisationIndexPage.objects.get())
    theme = ThemeFactory(name="Verdensmål", description="FN's 17 mål for bæredygtig udvikling.")
    other = ThemeFactory(name="Ledelse")
    initiatives = InitiativeIndexPage.objects.get()
    EventPageFactory(
        parent=section, title=RUNNING, start=aware(2030, 5, 14, 9), end=aware(2030, 5, 16, 16), themes=[theme]
    )
    WebinarPageFactory(parent=section, title=WEBINAR, start=aware(2030, 5, 20, 14), themes=[theme])
    EventPageFactory(
        parent=section, title=EVENT, start=aware(2030, 6, 1, 9), end=aware(2030, 6, 1, 15), themes=[theme, other]
    )
    CoursePageFactory(
        parent=section, title=COURSE, start=aware(2030, 9, 1, 9), end=aware(2030, 10, 31, 16), themes=[theme]
    )
    WebinarPageFactory(parent=section, title=PAST_WEBINAR, start=aware(2030, 4, 2, 14), themes=[theme])
    EventPageFactory(
        parent=section, title=PAST_EVENT, start=aware(2030, 3, 1, 9), end=aware(2030, 3, 1, 15), themes=[theme]
    )
    EventPageFactory(
        parent=section, title=OLD_EVENT, start=aware(2029, 11, 1, 9), end=aware(2029, 11, 2, 15), themes=[theme]
    )
    EventPageFactory(
        parent=section, title=OTHER_THEME, start=aware(2030, 6, 2, 9), end=aware(2030, 6, 2, 15), themes=[other]
    )
    EventPageFactory(
        parent=section, title=DRAFT, live=False, start=aware(2030, 6, 3, 9), end=aware(2030, 6, 3, 15), themes=[theme]
    )
    initiative = InitiativePageFactory(parent=initiatives, title=INITIATIVE, themes=[theme])
    InitiativePageFactory(parent=initiatives, title=OTHER_INITIATIVE, themes=[other])
    WorkingGroupPageFactory(parent=initiative, title=GROUP, themes=[theme])
    WorkingGroupPageFactory(parent=initiative, title=OTHER_GROUP, themes=[other])
    WorkingGroupPageFactory(parent=initiative, title=DRAFT_GROUP, live=False, themes=[theme])
    return section, theme


@pytest.fixture(autouse=True)
def frozen(theme_world, db):
    with time_machine.travel(NOW, tick=False):
        yield


def get(client, url=URL, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response


def titles(content: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r'<h3 class="card__title"><a href="[^"]*">([^<]*)</a>', content)]


def section(content: str, heading_id: str) -> str:
    """The HTML of the <section> labelled by the heading with this id."""
    match = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', content, flags=re.S)
    assert match, f"no section {heading_id}"
    return match.group(1)


def test_theme_page_shows_the_theme(client):
    content = get(client).content.decode()
    assert "<h1>Verdensmål</h1>" in content
    assert "FN&#x27;s 17 mål for bæredygtig udvikling." in content
    assert "<title>Verdensmål – " in content


def test_upcoming_first_soonest_first_then_past_latest_first(client):
    content = get(client).content.decode()
    assert titles(section(content, "upcoming")) == [RUNNING, WEBINAR, EVENT, COURSE]
    assert titles(section(content, "past")) == [PAST_WEBINAR, PAST_EVENT, OLD_EVENT]
    assert content.index('id="upcoming"') < content.index('id="past"')


def test_everything_on_the_page_in_order(client):
    assert titles(get(client).content.decode()) == [
        RUNNING,
        WEBINAR,
        EVENT,
        COURSE,
        INITIATIVE,
        GROUP,
        PAST_WEBINAR,
        PAST_EVENT,
        OLD_EVENT,
    ]


def test_running_offering_is_among_upcoming(client):
    assert RUNNING in titles(section(get(client).content.decode(), "upcoming"))


def test_working_groups_and_initiatives_with_the_theme_are_listed(client):
    groups = titles(section(get(client).content.decode(), "groups"))
    assert groups == [INITIATIVE, GROUP]


def test_only_published_pages_with_the_theme_are_listed(client):
    shown = titles(get(client).content.decode())
    for title in (OTHER_THEME, DRAFT, OTHER_GROUP, OTHER_INITIATIVE, DRAFT_GROUP):
        assert title not in shown


def test_a_theme_with_nothing_says_so(client):
    ThemeFactory(name="Tomt tema")
    content = get(client, "/tema/tomt-tema/").content.decode()
    assert titles(content) == []
    assert "Ingen kommende tilbud om temaet lige nu." in content
    assert "Ingen tidligere tilbud om temaet." in content


def test_theme_page_of_another_theme(client):
    assert titles(get(client, "/tema/ledelse/").content.decode()) == [EVENT, OTHER_THEME, OTHER_INITIATIVE, OTHER_GROUP]


def test_unknown_theme_is_404(client):
    response = client.get("/tema/findes-ikke/")
    assert response.status_code == 404


def test_theme_page_url_is_the_one_themes_link_to(client):
    content = get(client, "/arrangementer/").content.decode()
    assert 'href="/tema/verdensmaal/"' in content


@pytest.mark.parametrize("page", ["abc", "-1", "0", "1.5", "²", "99999", "9" * 50, ""])
def test_bad_page_number_is_a_normal_page(client, page):
    content = get(client, params={"page": page}).content.decode()
    assert titles(section(content, "upcoming")) == [RUNNING, WEBINAR, EVENT, COURSE]
    assert titles(section(content, "past")) == [PAST_WEBINAR, PAST_EVENT, OLD_EVENT]


def test_past_offerings_are_paginated(client, theme_world):
    """18 more past webinars on the theme: 21 past offerings, two pages, the second with one."""
    section_page, theme = theme_world
    for n in range(18):
        WebinarPageFactory(
            parent=section_page,
            title=f"Arkivwebinar {n:02d}",
            start=aware(2029, 1, 1, 14) + dt.timedelta(days=n),
            themes=[theme],
        )
    first = get(client).content.decode()
    past = titles(section(first, "past"))
    assert past[:3] == [PAST_WEBINAR, PAST_EVENT, OLD_EVENT]
    assert len(past) == 20
    assert "Side 1 af 2" in first
    assert 'rel="next" href="?page=2#past"' in first
    assert '<meta name="robots" content="noindex">' not in first

    second = get(client, params={"page": "2"}).content.decode()
    assert titles(section(second, "past")) == ["Arkivwebinar 00"]
    assert titles(section(second, "upcoming")) == [RUNNING, WEBINAR, EVENT, COURSE]
    assert '<meta name="robots" content="noindex">' in second

    beyond = get(client, params={"page": "99999"}).content.decode()
    assert titles(section(beyond, "past")) == ["Arkivwebinar 00"]


def test_post_is_not_allowed(client):
    assert client.post(URL).status_code == 405


@pytest.mark.parametrize("page", ["²", "٣"])
def test_a_page_number_in_other_digits_than_0_to_9_shows_the_first_page(client, theme_world, page):
    """Neither "²" (a digit to str.isdigit()) nor "٣" (Arabic-Indic three, a number to int()) is a page number.
    Two pages of past offerings, so the first is told apart from the last."""
    section_page, theme = theme_world
    for n in range(18):
        WebinarPageFactory(
            parent=section_page,
            title=f"Arkivwebinar {n:02d}",
            start=aware(2029, 1, 1, 14) + dt.timedelta(days=n),
            themes=[theme],
        )
    content = get(client, params={"page": page}).content.decode()
    assert titles(section(content, "past"))[:3] == [PAST_WEBINAR, PAST_EVENT, OLD_EVENT]
    assert "Side 1 af 2" in content
    assert '<meta name="robots" content="noindex">' not in content
