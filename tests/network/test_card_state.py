"""Offering cards say where registration stands (open, few seats, full with a waiting list, the deadline, held), from
one count for the whole listing; the seats are filled in per request, so a cached card never shows stale seats."""

from __future__ import annotations

import datetime as dt
import re

from django.core.cache import cache
from django.utils import timezone

from wagtail.models import Page

import pytest

from network.models import Library, OfferingPage
from tests.events.factories import EventPageFactory
from tests.events.registration.conftest import people, register

pytestmark = pytest.mark.django_db


def state_of(html: str, title: str) -> str:
    """The registration line of the card titled `title` ("" without one)."""
    card = re.search(rf"<article[^>]*>(?:(?!</article>).)*{re.escape(title)}(?:(?!</article>).)*</article>", html, re.S)
    assert card, title
    line = re.search(r'<p class="card__state[^"]*">(.*?)</p>', card.group(0), re.S)
    return re.sub(r"<[^>]+>", "", line.group(1)).strip() if line else ""


@pytest.fixture
def library(db):
    return Library.objects.get(municipality__name="Herning")


def event(parent, title, **kwargs):
    kwargs.setdefault("start", timezone.now() + dt.timedelta(days=30))
    kwargs.setdefault("end", kwargs["start"] + dt.timedelta(hours=6))
    kwargs.setdefault("registration_enabled", True)
    return EventPageFactory(parent=parent, title=title, **kwargs)


def test_cards_in_a_listing_say_where_registration_stands(client, organisation, event_index, library):
    event(organisation, "Åben dag", capacity=30)
    few = event(organisation, "Næsten fuld dag", capacity=5)
    full = event(organisation, "Fuld dag", capacity=2, waiting_list=True)
    deadline = timezone.make_aware(dt.datetime(timezone.now().year + 1, 1, 5, 12))
    event(
        organisation,
        "Dag med frist",
        capacity=30,
        start=deadline + dt.timedelta(days=10),
        end=deadline + dt.timedelta(days=10, hours=6),
        registration_closes=deadline,
    )
    event(organisation, "Dag uden tilmelding", registration_enabled=False)
    past_start = timezone.now() - dt.timedelta(days=3)
    EventPageFactory(parent=organisation, title="Gammel dag", start=past_start, end=past_start + dt.timedelta(hours=4))
    register(few, library, people(3))
    register(full, library, people(3, prefix="fuld"))

    html = client.get("/arrangementer/").content.decode()
    html += client.get("/arrangementer/?when=past").content.decode()

    assert state_of(html, "Åben dag") == "Tilmelding åben"
    assert state_of(html, "Næsten fuld dag") == "Få pladser"
    assert state_of(html, "Fuld dag") == "Fuldt – venteliste"
    assert state_of(html, "Dag med frist") == "Tilmelding åben Frist 5. januar"
    assert state_of(html, "Dag uden tilmelding") == ""
    assert 'badge--past">Afholdt' in html.split("Gammel dag")[0].rsplit("<article", 1)[1]


def test_a_cached_card_shows_the_seats_of_now(client, organisation, event_index, library):
    """The card is cached until the next publish; a registration publishes nothing, yet the card says full at once."""
    day = event(organisation, "Lille dag", capacity=2, waiting_list=False)
    assert state_of(client.get("/arrangementer/").content.decode(), "Lille dag") == "Få pladser"
    register(day, library, people(2))
    assert state_of(client.get("/arrangementer/").content.decode(), "Lille dag") == "Fuldt"


def test_the_home_page_does_not_lead_with_a_cancelled_event(client, organisation, event_index):
    event(organisation, "Aflyst temadag", status="aflyst", start=timezone.now() + dt.timedelta(days=1))
    event(organisation, "Temadag der bliver til noget")
    html = client.get("/").content.decode()
    assert "Temadag der bliver til noget" in html
    assert "Aflyst temadag" not in html


def test_a_cancelled_event_says_so_in_the_listing(client, organisation, event_index):
    event(organisation, "Aflyst temadag", status="aflyst")
    html = client.get("/arrangementer/").content.decode()
    card = html.split("Aflyst temadag")[0].rsplit("<article", 1)[1]
    assert "badge--cancelled" in card
    assert state_of(html, "Aflyst temadag") == ""


LISTING_QUERIES = 18  # 17 without any offering taking registration (the states cost no query then), as before


def test_a_listing_counts_the_seats_of_all_its_cards_in_one_query(client, organisation, event_index, library,
                                                                    django_assert_num_queries):  # fmt: skip
    """3 or 15 offerings taking registration, with participants: the same number of queries (one count for all)."""
    for i in range(15):
        register(event(organisation, f"Dag {i}", capacity=5), library, people(2, prefix=f"d{i}-"))
    OfferingPage.objects.update(registration_enabled=False)
    client.get("/arrangementer/")  # warm up what is cached in the process (content types, site root paths)
    cache.clear()
    with django_assert_num_queries(LISTING_QUERIES - 1):
        client.get("/arrangementer/")
    OfferingPage.objects.update(registration_enabled=True)
    for n in (3, 15):
        Page.objects.filter(title__startswith="Dag ").update(live=False)
        Page.objects.filter(title__in=[f"Dag {i}" for i in range(n)]).update(live=True)
        cache.clear()
        with django_assert_num_queries(LISTING_QUERIES):
            html = client.get("/arrangementer/").content.decode()
        assert html.count("card__state--few") == n
