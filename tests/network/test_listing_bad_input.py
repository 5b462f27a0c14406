"""Bad input to the listings never breaks the page: a normal page with a clear Danish message, or an empty result.

Every test asserts the status 200 and either the message shown in the page's notice or what the results are.
"""

from __future__ import annotations

import html
import re

from django.db import connection

import pytest
import time_machine

from network.models import OrganisationIndexPage
from tests.events.factories import CoursePageFactory, EventPageFactory
from tests.network.factories import OrganisationPageFactory, ThemeFactory, aware
from tests.webinars.factories import WebinarPageFactory

pytestmark = pytest.mark.django_db

NOW = aware(2030, 5, 15, 12, 0)
EVENTS = "/arrangementer/"
LISTINGS = ["/arrangementer/", "/kurser/", "/webinarer/"]

ON_POSTGRES = connection.vendor == "postgresql"
ON_SQLITE = connection.vendor == "sqlite"


@pytest.fixture(scope="module")
def offerings(module_transaction):
    """Two upcoming events (one about Verdensmål), one upcoming course and webinar, one past event; built once."""
    organisation = OrganisationPageFactory(parent=OrganisationIndexPage.objects.get())
    with time_machine.travel(NOW, tick=False):
        theme = ThemeFactory(name="Verdensmål")
        EventPageFactory(
            parent=organisation,
            title="Inspirationsdag om verdensmål",
            intro="Oplæg og værksteder.",
            start=aware(2030, 6, 1, 9),
            end=aware(2030, 6, 1, 15),
            themes=[theme],
        )
        EventPageFactory(
            parent=organisation,
            title="Ledertræf",
            intro="Netværk for ledere.",
            start=aware(2030, 6, 10, 9),
            end=aware(2030, 6, 10, 15),
        )
        EventPageFactory(
            parent=organisation,
            title="Afholdt temadag",
            intro="Det var en god dag.",
            start=aware(2030, 3, 1, 9),
            end=aware(2030, 3, 1, 15),
        )
        CoursePageFactory(parent=organisation, title="Kursus i formidling", start=aware(2030, 9, 1, 9))
        WebinarPageFactory(parent=organisation, title="Webinar om læselyst", start=aware(2030, 5, 20, 14))


@pytest.fixture(autouse=True)
def frozen(offerings, db):
    with time_machine.travel(NOW, tick=False):
        yield


UNFILTERED = ["Inspirationsdag om verdensmål", "Ledertræf", "Kursus i formidling"]


def get(client, url=EVENTS, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response


def messages(response) -> list[str]:
    """The notices the page shows above the results."""
    notice = re.search(r'<div class="notice" role="status">(.*?)</div>', response.content.decode(), flags=re.S)
    return [html.unescape(m) for m in re.findall(r"<li>(.*?)</li>", notice.group(1))] if notice else []


def titles(response) -> list[str]:
    content = response.content.decode()
    return [html.unescape(t) for t in re.findall(r'<h3 class="card__title"><a href="[^"]*">([^<]*)</a>', content)]


def test_unknown_theme_is_skipped_with_a_message(client):
    response = get(client, params={"theme": "findes-ikke"})
    assert messages(response) == ["Temaet «findes-ikke» findes ikke. Det er sprunget over."]
    assert titles(response) == UNFILTERED


def test_unknown_theme_beside_a_known_one_keeps_the_known_one(client):
    response = get(client, params={"theme": ["findes-ikke", "verdensmaal"]})
    assert messages(response) == ["Temaet «findes-ikke» findes ikke. Det er sprunget over."]
    assert titles(response) == ["Inspirationsdag om verdensmål"]


@pytest.mark.parametrize(
    ("name", "value", "label"),
    [
        ("from", "2030-13-45", "fra"),
        ("from", "i morgen", "fra"),
        ("to", "31.12.2030", "til"),
        ("to", "2030-02-30", "til"),
    ],
)
def test_malformed_date_is_skipped_with_a_message(client, name, value, label):
    response = get(client, params={name: value})
    assert messages(response) == [f"Datoen «{value}» i «{label}» kunne ikke læses. Skriv den som ÅÅÅÅ-MM-DD."]
    assert titles(response) == UNFILTERED


def test_from_after_to_swaps_the_dates_with_a_message(client):
    response = get(client, params={"from": "2030-06-30", "to": "2030-06-05"})
    assert messages(response) == ["Fra-datoen ligger efter til-datoen. Datoerne er byttet om."]
    assert titles(response) == ["Ledertræf"]
    content = response.content.decode()
    assert 'name="from" value="2030-06-05"' in content
    assert 'name="to" value="2030-06-30"' in content


@pytest.mark.parametrize("page", ["abc", "-1", "1.5", "1e3", "2 3"])
def test_unreadable_page_number_shows_the_first_page_with_a_message(client, page):
    response = get(client, params={"page": page})
    assert messages(response) == [f"Sidetallet «{page}» kunne ikke læses. Viser side 1."]
    assert titles(response) == UNFILTERED


def test_superscript_digit_page_number_shows_the_first_page_with_a_message(client):
    response = get(client, params={"page": "²"})
    assert messages(response) == ["Sidetallet «²» kunne ikke læses. Viser side 1."]
    assert titles(response) == UNFILTERED


def test_page_zero_shows_the_first_page(client):
    assert titles(get(client, params={"page": "0"})) == UNFILTERED


def test_page_beyond_the_last_shows_the_last_page_with_a_message(client):
    response = get(client, params={"page": "99999"})
    assert messages(response) == ["Side 99999 findes ikke. Viser den sidste side."]
    assert titles(response) == UNFILTERED


def test_huge_page_number_is_not_read(client):
    response = get(client, params={"page": "9" * 400})
    assert titles(response) == UNFILTERED
    assert messages(response)


def test_page_beyond_an_empty_result_is_an_empty_result(client):
    response = get(client, params={"q": "ingenting", "page": "7"})
    assert titles(response) == []
    assert "Ingen tilbud passer til filtrene" in response.content.decode()


def test_ten_thousand_character_query_is_cut_with_a_message(client):
    response = get(client, params={"q": "a" * 10_000})
    assert messages(response) == ["Søgeteksten var for lang og er forkortet til 200 tegn."]
    assert titles(response) == []
    content = response.content.decode()
    assert f'name="q" value="{"a" * 200}"' in content
    assert "a" * 201 not in content


def test_ten_thousand_character_query_of_words_still_searches(client):
    response = get(client, params={"q": "verdensmål " * 910})
    assert messages(response) == ["Søgeteksten var for lang og er forkortet til 200 tegn."]
    assert titles(response) == ["Inspirationsdag om verdensmål"]


def test_repeated_theme_counts_once(client):
    response = get(client, params={"theme": ["verdensmaal", "verdensmaal", "verdensmaal"]})
    assert messages(response) == []
    assert titles(response) == ["Inspirationsdag om verdensmål"]


def test_repeated_single_value_parameters_use_one_value(client):
    response = get(client, params={"when": ["past", "upcoming"], "page": ["2", "1"], "q": ["x", "ledertræf"]})
    # Django's QueryDict.get gives the last value: upcoming, page 1, "ledertræf".
    assert messages(response) == []
    assert titles(response) == ["Ledertræf"]


def test_repeated_type_counts_once(client):
    response = get(client, params={"type": ["course", "course"]})
    assert titles(response) == ["Kursus i formidling"]
    assert response.context["listing"].filters.kinds == ["course"]


def test_unknown_parameters_are_ignored(client):
    response = get(client, params={"utm_source": "nyhedsbrev", "foo": "bar", "sort": "title"})
    assert messages(response) == []
    assert titles(response) == UNFILTERED


def test_hundreds_of_unknown_themes_still_answer(client):
    response = get(client, params={"theme": [f"tema-{n}" for n in range(300)]})
    assert titles(response) == UNFILTERED


def test_empty_parameters_are_no_filter(client):
    """They are dropped by a redirect to the clean address (see test_clean_filter_urls), which lists everything."""
    params = dict.fromkeys(("theme", "type", "when", "from", "to", "audience", "format", "region", "q", "page"), "")
    response = client.get(EVENTS, params, follow=True)
    assert response.redirect_chain == [(EVENTS, 302)]
    assert messages(response) == []
    assert titles(response) == UNFILTERED
    assert '<meta name="robots"' not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"when": "i-går"}, "«i-går» er ikke et gyldigt tidspunkt. Viser kommende."),
        ({"type": "webinar"}, "Typen «webinar» findes ikke her. Den er sprunget over."),
        ({"type": "blog"}, "Typen «blog» findes ikke her. Den er sprunget over."),
        ({"audience": "børn"}, "Værdien «børn» kan ikke bruges som filter. Den er sprunget over."),
        ({"format": "papir"}, "Værdien «papir» kan ikke bruges som filter. Den er sprunget over."),
        ({"region": "skåne"}, "Værdien «skåne» kan ikke bruges som filter. Den er sprunget over."),
    ],
)
def test_unknown_filter_value_is_skipped_with_a_message(client, params, message):
    response = get(client, params=params)
    assert messages(response) == [message]
    assert titles(response) == UNFILTERED


def test_markup_in_a_parameter_is_escaped(client):
    response = get(client, params={"theme": "<script>alert(1)</script>", "q": '"><b>fed</b>'})
    content = response.content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<b>fed</b>" not in content


@pytest.mark.parametrize("url", LISTINGS)
@pytest.mark.parametrize(
    "params",
    [
        {"theme": "findes-ikke"},
        {"from": "2030-13-45"},
        {"from": "2030-07-01", "to": "2030-06-01"},
        {"page": "abc"},
        {"page": "99999"},
        {"q": "x" * 10_000},
        {"when": ["past", "past"], "theme": ["a", "a"]},
        {"ukendt": "1"},
    ],
)
def test_every_listing_answers_bad_input_with_a_normal_page(client, url, params):
    response = get(client, url, params)
    assert 'id="results-heading"' in response.content.decode()


def test_last_representable_date_is_a_normal_page(client):
    response = get(client, params={"to": "9999-12-31"})
    assert titles(response) == ["Afholdt temadag", *UNFILTERED]


def test_first_representable_date_is_a_normal_page(client):
    response = get(client, params={"from": "0001-01-01"})
    assert titles(response) == ["Afholdt temadag", *UNFILTERED]


def test_nul_character_in_the_query_is_a_normal_page(client):
    response = get(client, params={"q": "ledertræf\x00"})
    assert 'id="results-heading"' in response.content.decode()


@pytest.mark.parametrize("name", ["theme", "type", "when", "from", "to", "audience", "format", "region", "page"])
def test_nul_character_in_other_parameters_is_a_normal_page(client, name):
    response = get(client, params={name: "x\x00"})
    assert titles(response) == UNFILTERED
    assert messages(response)


@pytest.mark.parametrize("page", ["²", "٣"])
def test_a_page_number_in_other_digits_than_0_to_9_shows_the_first_page_with_a_message(client, page):
    """Neither "²" (a digit to str.isdigit()) nor "٣" (Arabic-Indic three, a number to int()) is a page number."""
    response = get(client, params={"page": page})
    assert messages(response) == [f"Sidetallet «{page}» kunne ikke læses. Viser side 1."]
    assert response.context["listing"].page.number == 1
    assert titles(response) == UNFILTERED


def test_page_zero_shows_the_first_page_with_a_message(client):
    response = get(client, params={"page": "0"})
    assert messages(response) == ["Sidetallet «0» kunne ikke læses. Viser side 1."]
    assert response.context["listing"].page.number == 1
    assert titles(response) == UNFILTERED
