"""Odd input never gives a server error: ids beyond the database's range, NUL bytes and unknown operators are a 404 or a
400 with a message, on SQLite and PostgreSQL alike, on the demo's pages, feeds, calendars, search and the API."""

from __future__ import annotations

import json

from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import IntConverter

import pytest

from network.converters import IdConverter, id_max, parse_id
from network.models import OfferingPage, Theme

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"
PAST_64_BITS = str(2**63)  # 9223372036854775808, one past the largest 64-bit integer
OUR_APPS = ("network", "events", "webinars", "search")


@pytest.fixture
def ids(demo_site) -> dict[str, str]:
    """What the URL templates fill in: a live offering with registration, and a theme of the demo."""
    offering = OfferingPage.objects.live().filter(registration_enabled=True).first()
    return {"offering": str(offering.pk), "theme": Theme.objects.order_by("pk").first().slug}


# --- The cases of the issue -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [f"/ical/tilbud/{PAST_64_BITS}.ics", f"/ical/tilbud/{HUGE}.ics", f"/tilmelding/{HUGE}/", f"/en/tilmelding/{HUGE}/"],
)
def test_an_id_beyond_the_database_is_not_found(client, ids, url):
    response = client.get(url)
    assert response.status_code == 404


def test_the_largest_id_the_database_holds_reaches_the_view_and_is_not_found(client, ids):
    """The converter lets the largest 64-bit id through to the query, which finds nothing (the view's own 404)."""
    response = client.get(f"/ical/tilbud/{id_max()}.ics")
    assert response.status_code == 404
    assert response.resolver_match.url_name == "ical_offering"
    assert response.resolver_match.kwargs == {"page_id": 2**63 - 1}


@pytest.mark.parametrize(
    ("url", "name"),
    [(f"/ical/tilbud/{PAST_64_BITS}.ics", "ical_offering"), (f"/tilmelding/{HUGE}/", "registration_form")],
)
def test_the_converter_matches_no_id_beyond_the_database(url, name):
    """The pattern does not match; the address falls through to Wagtail's pages, which have no such page."""
    try:
        matched = resolve(url).url_name
    except Resolver404:
        matched = None
    assert matched != name


def api_error(response, status: int) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)["message"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (f"/api/v2/pages/?offset={HUGE}", f"offset cannot be higher than {2**63 - 1}"),
        (f"/api/v2/pages/?offset={PAST_64_BITS}", f"offset cannot be higher than {2**63 - 1}"),
        (f"/api/v2/images/?offset={HUGE}", f"offset cannot be higher than {2**63 - 1}"),
        (f"/api/v2/documents/?offset={HUGE}", f"offset cannot be higher than {2**63 - 1}"),
        ("/api/v2/pages/?search=x&search_operator=xor", "search_operator must be either 'and' or 'or'"),
        ("/api/v2/images/?search=x&search_operator=", "search_operator must be either 'and' or 'or'"),
        ("/api/v2/pages/?locale=%00", "query parameters cannot contain null characters"),
        ("/api/v2/pages/find/?html_path=/%00/", "query parameters cannot contain null characters"),
        ("/api/v2/pages/?search=web%00inar", "query parameters cannot contain null characters"),
        ("/api/v2/pages/?type=events.EventPage&title=a%00", "query parameters cannot contain null characters"),
        ("/api/v2/pages/?fields=%00", "query parameters cannot contain null characters"),
        ("/api/v2/pages/?%00=1", "query parameters cannot contain null characters"),
        ("/api/v2/documents/?search=%00", "query parameters cannot contain null characters"),
        ("/api/v2/pages/1/?fields=%00", "query parameters cannot contain null characters"),
    ],
)
def test_the_api_refuses_odd_input_in_its_json_error_format(client, ids, url, message):
    assert api_error(client.get(url), 400) == message


def test_the_api_takes_the_largest_offset_the_database_holds(client, ids):
    response = client.get(f"/api/v2/pages/?offset={id_max()}")
    assert response.status_code == 200
    assert json.loads(response.content)["items"] == []


@pytest.mark.parametrize("operator", ["and", "or"])
def test_the_api_still_searches_with_either_operator(client, ids, operator):
    response = client.get(f"/api/v2/pages/?search=webinar&search_operator={operator}")
    assert response.status_code == 200


@pytest.mark.parametrize("endpoint", ["pages", "images", "documents"])
def test_an_api_detail_beyond_the_database_is_not_found(client, ids, endpoint):
    assert client.get(f"/api/v2/{endpoint}/{HUGE}/").status_code == 404


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (f"/admin/api/main/pages/?offset={HUGE}", f"offset cannot be higher than {2**63 - 1}"),
        ("/admin/api/main/pages/?search=x&search_operator=xor", "search_operator must be either 'and' or 'or'"),
        ("/admin/api/main/pages/?child_of=root&search=a%00", "query parameters cannot contain null characters"),
    ],
)
def test_the_admins_page_api_refuses_odd_input_as_the_public_api_does(admin_client, ids, url, message):
    assert api_error(admin_client.get(url), 400) == message


@pytest.mark.parametrize("url", [f"/admin/api/main/pages/{HUGE}/", f"/admin/api/main/pages/{HUGE}/action/copy/"])
def test_an_admin_api_page_beyond_the_database_is_not_found(admin_client, ids, url):
    method = admin_client.post if url.endswith("copy/") else admin_client.get
    assert method(url).status_code == 404


def test_the_admins_page_api_still_lists_pages(admin_client, ids):
    response = admin_client.get("/admin/api/main/pages/?child_of=root&for_explorer=1")
    assert response.status_code == 200
    assert json.loads(response.content)["items"]


# --- The same class of bug elsewhere ---------------------------------------------------------------------------------

# Every public address that reads an id or a query, with an id past the database's range, a NUL byte in each
# parameter it reads (PostgreSQL's text cannot hold one) or a number where a word belongs.
SWEEP = [
    f"/ical/tilbud/{HUGE}.ics?x=%00",
    "/ical/alle.ics?%00=%00",
    "/ical/temaer/{theme}.ics?x=%00",
    "/ical/temaer/a%00b.ics",
    "/feeds/nye-tilbud/?x=%00",
    "/feeds/temaer/{theme}/?x=%00",
    "/feeds/temaer/a%00b/",
    "/tema/{theme}/?page=%00",
    f"/tema/{{theme}}/?page={HUGE}",
    "/tema/a%00b/",
    "/tilmelding/{offering}/?deltagere=%00",
    f"/tilmelding/{{offering}}/?deltagere={HUGE}",
    "/tilmelding/{offering}/?deltagere=" + "9" * 5000,
    "/tilmelding/00000000-0000-0000-0000-000000000000/a%00b/",
    "/tilmelding/00000000-0000-0000-0000-000000000000/a%00b/kompetencelandskab/?inddeling=%00",
    "/search/?q=a%00b",
    "/search/?q=webinar&theme=%00&type=%00&when=%00&region=%00&sort=%00&page=%00",
    f"/search/?q=webinar&page={HUGE}&region={HUGE}&theme={HUGE}",
    "/search/autocomplete/?q=web%00",
    "/en/search/?q=%00",
    *[
        f"{listing}?{name}=a%00b"
        for listing in ("/arrangementer/", "/kurser/", "/webinarer/")
        for name in ("q", "theme", "type", "when", "from", "to", "audience", "format", "region", "page")
    ],
    f"/arrangementer/?page={HUGE}&region={HUGE}&theme={HUGE}&from={HUGE}",
    "/webinarer/?when=past&q=%00",
    "/temaer/?page=%00",
    "/arbejdsgrupper/?page=%00",
    "/?q=%00",
    "/a%00b/",
    "/en/a%00b/",
    "/sitemap.xml?p=%00",
    f"/sitemap.xml?p={HUGE}",
    f"/documents/{HUGE}/x.pdf",
    f"/api/v2/pages/?child_of={HUGE}",
    f"/api/v2/pages/?descendant_of={HUGE}",
    f"/api/v2/pages/?ancestor_of={HUGE}",
    f"/api/v2/pages/?translation_of={HUGE}",
    f"/api/v2/pages/?id={HUGE}",
    f"/api/v2/pages/?limit={HUGE}",
    f"/api/v2/pages/find/?id={HUGE}",
    f"/api/v2/pages/find/?id={PAST_64_BITS}",
    "/api/v2/pages/find/?html_path=/a/b/c/",
    f"/api/v2/images/?id={HUGE}",
    "/api/v2/pages/?offset=%C2%B2",
    "/api/v2/pages/?offset=-1",
    "/api/v2/pages/?offset=" + "9" * 5000,
]


@pytest.mark.parametrize("template", SWEEP)
def test_odd_input_is_never_a_server_error(client, ids, template):
    """The test client raises what the view raises, so a server error fails here with its traceback."""
    response = client.get(template.format(**ids))
    assert response.status_code in (200, 301, 302, 400, 404)


def our_patterns(patterns, prefix=""):
    """(route, converters) of every URL pattern whose view is the project's own code."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from our_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
            continue
        assert isinstance(pattern, URLPattern)
        view = getattr(pattern.callback, "view_class", None) or getattr(pattern.callback, "cls", pattern.callback)
        if view.__module__.split(".")[0] in OUR_APPS:
            yield prefix + str(pattern.pattern), pattern.pattern.converters


def test_every_id_in_our_urls_is_bounded_by_the_database():
    """A new `<int:...>` in a URLconf of ours fails here: `<id:...>` refuses numbers the database cannot hold."""
    routes = list(our_patterns(get_resolver().url_patterns))
    assert any(isinstance(c, IdConverter) for _route, convs in routes for c in convs.values())
    unbounded = [route for route, convs in routes if any(isinstance(c, IntConverter) for c in convs.values())]
    assert unbounded == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        (str(2**63 - 1), 2**63 - 1),
        (PAST_64_BITS, None),
        (HUGE, None),
        ("9" * 5000, None),
        ("0", None),
        ("-1", None),
        ("²", None),
        ("٣", None),
        (" 1", None),
        ("", None),
    ],
)
def test_parse_id_takes_ascii_digits_the_database_holds(raw, expected):
    assert parse_id(raw) == expected
