"""The catalogue the listing tests read, seen at NOW: its offerings' titles, and how a listing page is read back
(titles of the result cards, the count in the heading, the facets, noindex)."""

from __future__ import annotations

import html
import re

from tests.network.factories import aware

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


# --- Reading a listing page ---------------------------------------------------------------------------------


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
