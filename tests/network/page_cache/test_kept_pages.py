"""Whole pages from the cache (network.pagecache), with the local-memory cache switched on: every kind of public page
is kept whole and served without a query; a publish or an edit makes every kept page a miss at once; time makes a kept
page expire at the next moment it changes; seats are never older than PAGE_CACHE_SEATS_SECONDS; and nothing of one
visitor's (a login, a session, messages, a CSRF token, a cookie) is kept or served to another."""

from __future__ import annotations

import datetime as dt

from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse

from wagtail.models import PageViewRestriction, Site

import pytest

from events.registration.emails import manage_url
from events.registration.models import EligibilityRound
from events.registration.services import registration_create
from events.registration.values import ParticipantData
from network.models import Library
from tests.network.factories import (
    ImageFactory,
    InitiativePageFactory,
    PersonFactory,
    ThemeFactory,
    WorkingGroupPageFactory,
)
from tests.webinars.factories import WebinarPageFactory

from .pages import NOW, event, fetch, publish, state

pytestmark = pytest.mark.django_db


@pytest.fixture
def theme(db):
    return ThemeFactory(name="Verdensmål", slug="verdensmaal")


@pytest.fixture
def pages(organisation, initiative, event_index, webinar_index, theme):
    """One page of every public kind, with an upcoming event and a past webinar to show."""
    offering = event(organisation, "Inspirationsdag om verdensmål", themes=[theme])
    webinar = WebinarPageFactory(parent=organisation, title="Webinar om læselyst", start=NOW - dt.timedelta(days=9))
    group = WorkingGroupPageFactory(parent=organisation, title="Arbejdsgruppe om børn", themes=[theme])
    return {
        "home": "/",
        "listing": event_index.url,
        "listing, filtered": event_index.url + "?theme=verdensmaal&when=all",
        "webinar archive": webinar_index.url + "?when=past",
        "theme": f"/tema/{theme.slug}/",
        "offering": offering.url,
        "webinar": webinar.url,
        "initiative": initiative.url,
        "organisation": organisation.url,
        "working group": group.url,
        "search": "/search/?q=verdensm%C3%A5l",
        "rss": reverse("feed_new"),
        "calendar": reverse("ical_all"),
        "offering calendar": reverse("ical_offering", args=[offering.pk]),
        "api": "/api/v2/pages/?type=events.EventPage&fields=start",
    }


KINDS = ["home", "listing", "listing, filtered", "webinar archive", "theme", "offering", "webinar", "initiative",
         "organisation", "working group", "search", "rss", "calendar", "offering calendar", "api"]  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_public_page_is_kept_whole_and_served_without_a_query(
    client, pages, kind, django_assert_num_queries
):
    url = pages[kind]
    first = fetch(client, url)
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = fetch(client, url)
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Set-Cookie" not in second and not second.cookies


def test_a_hit_asks_the_cache_once_for_the_generation_and_the_page_together(client, pages, monkeypatch):
    url = pages["listing"]
    assert state(client, url) == "miss"
    backend = caches["default"]  # the local-memory cache of this thread, which `cache` stands for
    asked, inside = [], []

    def counted(name, real):
        def call(*args, **kwargs):
            if not inside:  # the local-memory get_many asks its own get per key: one call from outside
                asked.append(name)
            inside.append(name)
            try:
                return real(*args, **kwargs)
            finally:
                inside.pop()

        return call

    for name in ("get", "get_many", "has_key", "add", "set", "delete"):
        monkeypatch.setattr(backend, name, counted(name, getattr(backend, name)))
    assert state(client, url) == "hit"
    assert asked == ["get_many"]


def test_the_order_of_the_query_parameters_does_not_make_another_page(client, pages):
    url = pages["listing"]
    assert state(client, url + "?when=all&theme=verdensmaal") == "miss"
    assert state(client, url + "?theme=verdensmaal&when=all") == "hit"
    assert state(client, url + "?theme=verdensmaal&when=past") == "miss"


def test_the_api_never_serves_its_json_to_a_browser_nor_its_html_to_a_program(client, pages):
    url = pages["api"]
    assert fetch(client, url, HTTP_ACCEPT="application/json")["X-Cache"] == "miss"
    # A browser gets the browsable API (with a CSRF token in it, so never kept), not the kept JSON.
    assert fetch(client, url, HTTP_ACCEPT="text/html")["Content-Type"].startswith("text/html")
    kept = fetch(client, url, HTTP_ACCEPT="application/json")
    assert kept["X-Cache"] == "hit" and kept["Content-Type"] == "application/json"


def test_the_english_page_is_kept_apart_from_the_danish(client, pages):
    assert state(client, "/") == "miss"
    english = fetch(client, "/en/")
    assert english["X-Cache"] == "miss" and 'lang="en"' in english.content.decode()


# --- Never stale: publishing and edits ------------------------------------------------------------------------------


def edit_theme(p):
    theme = p["theme"]
    theme.name = "Verdensmål og bæredygtighed"
    theme.save()
    return "Verdensmål og bæredygtighed"


def publish_offering(p):
    publish(p["offering"], title="Inspirationsdag om FN's verdensmål")
    return "Inspirationsdag om FN&#x27;s verdensmål"


def unpublish_offering(p):
    p["offering"].unpublish()
    return None


def delete_offering(p):
    p["offering"].delete()
    return None


def move_offering(p):
    p["offering"].move(p["other_section"], pos="last-child")
    return None


def edit_organisation(p):
    publish(p["organisation"], title="Bibliotekernes fællesskab")
    return "Bibliotekernes fællesskab"


def edit_library(p):
    library = Library.objects.order_by("pk").first()
    library.name = "Det nye bibliotek"
    library.save()
    return None


def edit_site(p):
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Kompetencenetværket"
    site.save()
    return None


def edit_person(p):
    PersonFactory(name="Ny oplægsholder")
    return None


def edit_image(p):
    ImageFactory(title="Et nyt billede")
    return None


EDITS = [edit_theme, publish_offering, unpublish_offering, delete_offering, move_offering, edit_organisation,
         edit_library, edit_site, edit_person, edit_image]  # fmt: skip


@pytest.mark.parametrize("edit", EDITS, ids=lambda edit: edit.__name__)
def test_a_publish_or_an_edit_makes_every_kept_page_a_miss_at_once(client, organisation, event_index, theme, edit):
    offering = event(organisation, "Inspirationsdag om verdensmål", themes=[theme])
    other_section = InitiativePageFactory(parent=organisation.get_parent(), title="Et andet initiativ")
    urls = ["/", event_index.url, f"/tema/{theme.slug}/", offering.url, "/search/?q=inspirationsdag"]
    for url in urls:
        fetch(client, url)
    assert {url: state(client, url) for url in urls} == dict.fromkeys(urls, "hit")

    shown = edit({"theme": theme, "offering": offering, "organisation": organisation, "other_section": other_section})

    others = [url for url in urls if url != offering.url]
    assert {url: state(client, url) for url in others} == dict.fromkeys(others, "miss")
    if shown:
        page = fetch(client, offering.url)
        assert page["X-Cache"] == "miss" and shown in page.content.decode()


def test_a_draft_saved_in_the_admin_does_not_show_but_the_page_is_made_anew(client, organisation, event_index):
    offering = event(organisation, "Inspirationsdag")
    fetch(client, event_index.url)
    offering.title = "Kladde"
    offering.save_revision()
    listing = fetch(client, event_index.url)
    assert listing["X-Cache"] == "miss" and "Kladde" not in listing.content.decode()


# --- Never stale: time ----------------------------------------------------------------------------------------------


def test_a_kept_listing_expires_when_an_offering_starts(client, organisation, event_index, frozen):
    offering = event(organisation, "Inspirationsdag", days=0, hours=6)
    offering.start, offering.end = NOW + dt.timedelta(minutes=5), NOW + dt.timedelta(hours=6)
    publish(offering)
    assert state(client, offering.url) == "miss"
    frozen.shift(dt.timedelta(minutes=4, seconds=57))
    assert state(client, offering.url) == "hit"
    frozen.shift(dt.timedelta(seconds=4))
    assert state(client, offering.url) == "miss"


def test_a_published_offering_brings_the_next_moment_forward(client, organisation, event_index, frozen):
    later = event(organisation, "Inspirationsdag", days=5)
    assert state(client, later.url) == "miss"  # kept until the start five days on
    sooner = event(organisation, "Læseklub", days=0, hours=6)  # a publish: a new generation
    publish(sooner, start=NOW + dt.timedelta(minutes=5), end=NOW + dt.timedelta(hours=6))
    assert state(client, later.url) == "miss"
    frozen.shift(dt.timedelta(minutes=4, seconds=57))
    assert state(client, later.url) == "hit"
    frozen.shift(dt.timedelta(seconds=4))
    assert state(client, later.url) == "miss"  # the new offering's start, not the moment of the generation before


def test_a_kept_listing_expires_when_an_offering_ends_and_leaves_it(client, organisation, event_index, frozen):
    offering = event(organisation, "Inspirationsdag", days=0, hours=2)
    offering.start, offering.end = NOW - dt.timedelta(hours=1), NOW + dt.timedelta(minutes=30)
    publish(offering)
    assert "Inspirationsdag" in fetch(client, event_index.url).content.decode()
    frozen.shift(dt.timedelta(minutes=31))
    listing = fetch(client, event_index.url)
    assert listing["X-Cache"] == "miss"
    assert "Inspirationsdag" not in listing.content.decode()


def test_a_kept_page_expires_when_a_registration_round_opens(client, organisation, frozen):
    offering = event(organisation, "Inspirationsdag", days=30, registration_enabled=True)
    EligibilityRound.objects.create(page=offering, opens_at=NOW + dt.timedelta(hours=2))
    publish(offering)
    assert "Tilmeldingen åbner" in fetch(client, offering.url).content.decode()
    frozen.shift(dt.timedelta(hours=1, minutes=59))
    assert state(client, offering.url) == "hit"
    frozen.shift(dt.timedelta(minutes=2))
    page = fetch(client, offering.url)
    assert page["X-Cache"] == "miss" and "Tilmeld deltagere" in page.content.decode()


def test_a_kept_page_expires_when_the_registration_deadline_passes(client, organisation, frozen):
    offering = event(organisation, "Inspirationsdag", days=30, registration_enabled=True)
    publish(offering, registration_closes=NOW + dt.timedelta(minutes=20))
    assert "Tilmeld deltagere" in fetch(client, offering.url).content.decode()
    frozen.shift(dt.timedelta(minutes=21))
    page = fetch(client, offering.url)
    assert page["X-Cache"] == "miss" and "Tilmeldingen er lukket" in page.content.decode()


def test_a_kept_webinar_page_expires_when_it_goes_live_and_when_it_ends(client, organisation, frozen):
    webinar = WebinarPageFactory(parent=organisation, title="Webinar", start=NOW + dt.timedelta(minutes=10))
    assert "Kommende webinar" in fetch(client, webinar.url).content.decode()
    frozen.shift(dt.timedelta(minutes=11))
    live = fetch(client, webinar.url)
    assert live["X-Cache"] == "miss" and "Live nu" in live.content.decode()
    frozen.shift(dt.timedelta(minutes=webinar.duration))
    past = fetch(client, webinar.url)
    assert past["X-Cache"] == "miss" and "Live nu" not in past.content.decode()


def test_without_a_moment_ahead_a_kept_page_lives_for_the_setting(client, organisation, frozen, settings):
    settings.PAGE_CACHE_SECONDS = 120
    event(organisation, "Et afholdt arrangement", days=-30)
    assert state(client, organisation.url) == "miss"
    frozen.shift(dt.timedelta(seconds=117))
    assert state(client, organisation.url) == "hit"
    frozen.shift(dt.timedelta(seconds=4))
    assert state(client, organisation.url) == "miss"


# --- Seats ----------------------------------------------------------------------------------------------------------


def register(offering, n: int):
    """n participants through the service the public form calls."""
    library = Library.objects.order_by("pk").first()
    return registration_create(
        offering=offering, library=library, contact_name="Kontaktperson", contact_email="kontakt@example.org",
        consent=True, contact_confirmed=True,
        participants=[ParticipantData(name=f"Deltager {i}", email=f"deltager{i}@example.org") for i in range(n)],
    )  # fmt: skip


@pytest.mark.parametrize("where", ["offering page", "listing"])
def test_seats_shown_are_never_older_than_the_setting(client, organisation, event_index, frozen, where):
    offering = event(organisation, "Inspirationsdag", days=30, registration_enabled=True, capacity=10)
    url = offering.url if where == "offering page" else event_index.url
    fetch(client, url)
    register(offering, 9)  # a registration changes no page, so the kept page is served until its seats are too old
    frozen.shift(dt.timedelta(seconds=7))
    kept = fetch(client, url)
    assert kept["X-Cache"] == "hit" and int(kept["Age"]) == 7
    frozen.shift(dt.timedelta(seconds=4))
    fresh = fetch(client, url)
    assert fresh["X-Cache"] == "miss"
    text = fresh.content.decode()
    assert ("1 ledig plads" in text) if where == "offering page" else ("Få pladser" in text)


def test_a_kept_page_is_not_kept_past_its_moment_by_the_time_it_took_to_make(client, organisation, frozen, settings):
    settings.PAGE_CACHE_SEATS_SECONDS = 3
    offering = event(organisation, "Inspirationsdag", days=30, registration_enabled=True, capacity=10)
    real_serve = type(offering).serve

    def slow_serve(page, request, *args, **kwargs):
        response = real_serve(page, request, *args, **kwargs)
        frozen.shift(dt.timedelta(seconds=2))  # two seconds spent making the page, after its seats were read
        return response

    type(offering).serve = slow_serve
    try:
        assert state(client, offering.url) == "miss"
    finally:
        type(offering).serve = real_serve
    assert fetch(client, offering.url)["Age"] == "2"  # its age counts from when its seats were read
    frozen.shift(dt.timedelta(seconds=1, milliseconds=100))
    assert state(client, offering.url) == "miss"  # 3.1 seconds after the seats were read


def test_a_page_without_seats_to_count_is_kept_longer(client, organisation, frozen):
    offering = event(organisation, "Inspirationsdag", days=30, registration_enabled=True, capacity=None)
    fetch(client, offering.url)
    frozen.shift(dt.timedelta(seconds=60))
    assert state(client, offering.url) == "hit"


# --- Nothing of one visitor's -------------------------------------------------------------------------------------


def test_a_logged_in_user_is_never_served_a_kept_page_nor_keeps_one(admin_client, organisation, event_index):
    offering = event(organisation, "Inspirationsdag")
    anonymous = admin_client.__class__()
    fetch(anonymous, offering.url)
    assert state(anonymous, offering.url) == "hit"
    assert state(admin_client, offering.url) == "skip"
    assert state(admin_client, event_index.url) == "skip"
    assert state(anonymous, event_index.url) == "miss"  # the logged-in user's listing was not kept


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_a_request_with_a_session_or_messages_skips_the_cache(client, organisation, cookie):
    offering = event(organisation, "Inspirationsdag")
    fetch(client, offering.url)
    client.cookies[cookie] = "x"
    assert state(client, offering.url) == "skip"


def test_other_cookies_do_not_keep_a_visitor_from_the_kept_pages(client, organisation):
    offering = event(organisation, "Inspirationsdag")
    fetch(client, offering.url)
    client.cookies["csrftoken"] = "a" * 32
    client.cookies["django_language"] = "en"
    assert state(client, offering.url) == "hit"


def test_the_registration_form_and_the_manage_page_are_never_kept(client, organisation):
    offering = event(organisation, "Inspirationsdag", days=30, registration_enabled=True, capacity=10)
    form = reverse("registration_form", args=[offering.pk])
    for _ in range(2):
        response = client.get(form)
        assert response.status_code == 200 and response["X-Cache"] == "skip"
    client.cookies.clear()
    assert client.get(form)["X-Cache"] == "skip"
    result = register(offering, 1)
    link = manage_url(result.registration, result.token).removeprefix("http://testserver")
    for _ in range(2):
        client.cookies.clear()
        opened = client.get(link, follow=True)
        assert opened.status_code == 200 and "Deltager 0" in opened.content.decode()
        assert opened["X-Cache"] == "skip"  # the manage page, after the link's redirect


def test_a_page_that_asks_for_a_password_is_not_kept_with_its_csrf_token(client, organisation):
    offering = event(organisation, "Inspirationsdag")
    PageViewRestriction.objects.create(page=offering, restriction_type="password", password="hemmelig")
    for _ in range(2):
        response = client.get(offering.url)
        assert response["X-Cache"] == "skip"
        client.cookies.clear()


def test_the_floor_page_is_never_kept(client):
    for _ in range(2):
        assert client.get("/robots.txt")["X-Cache"] == "skip"


def test_the_admin_is_never_kept(client):
    assert client.get("/admin/login/")["X-Cache"] == "skip"


def test_a_deploy_migrate_makes_every_kept_page_a_miss(client, organisation):
    offering = event(organisation, "Inspirationsdag")
    fetch(client, offering.url)
    call_command("migrate", verbosity=0)
    assert state(client, offering.url) == "miss"
