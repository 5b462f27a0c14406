"""A listing's filter form sent without JavaScript (every field, most empty) lands on the address without the empty
parameters; the listing's own links carry none."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

from django.utils import timezone

import pytest

from network.listing import PAGE_SIZE
from tests.events.factories import EventPageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "clean"),
    [
        ("?q=&from=&to=&when=&format=&region=", "/arrangementer/"),
        ("?q=&theme=verdensmaal&from=", "/arrangementer/?theme=verdensmaal"),
        ("?q=+&when=past&page=", "/arrangementer/?when=past"),
        ("?theme=&theme=laeselyst", "/arrangementer/?theme=laeselyst"),
    ],
)
def test_a_listing_form_sent_blank_lands_on_the_clean_address(client, event_index, query, clean):
    response = client.get(f"/arrangementer/{query}")
    assert response.status_code == 302
    assert response["Location"] == clean


def test_a_clean_address_is_served_as_it_is(client, event_index):
    assert client.get("/arrangementer/?when=past&q=dag").status_code == 200


def test_the_listings_own_links_carry_no_empty_parameters(client, organisation, event_index):
    start = timezone.now() + dt.timedelta(days=5)
    for i in range(PAGE_SIZE + 2):
        EventPageFactory(parent=organisation, title=f"Dag {i}", start=start, end=start + dt.timedelta(hours=3))
    html = client.get("/arrangementer/?page=2").content.decode()
    assert 'rel="prev"' in html
    links = [unescape(href) for href in re.findall(r'href="([^"]*)"', html)]
    with_query = [link for link in links if "?" in link]
    assert with_query
    for link in with_query:
        query = link.split("?", 1)[1]
        assert query, link
        assert all(part.split("=", 1)[-1] for part in query.split("&")), link
