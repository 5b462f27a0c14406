"""The search form sent without JavaScript lands on the address without empty parameters; its links carry none."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

from django.utils import timezone

from network.models import OrganisationPage
from search.selectors import PAGE_SIZE
from tests.events.factories import EventPageFactory


def test_a_search_form_sent_blank_lands_on_the_clean_address(demo, client):
    response = client.get("/search/?q=bibliotek&type=&when=&region=&sort=")
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=bibliotek"
    assert client.get("/search/?q=&type=").headers["Location"] == "/search/"


def test_the_search_pages_own_links_carry_no_empty_parameters(demo, client):
    start = timezone.now() + dt.timedelta(days=5)
    parent = OrganisationPage.objects.first()
    for i in range(PAGE_SIZE + 2):
        EventPageFactory(parent=parent, title=f"Pagineringsdag {i}", start=start, end=start + dt.timedelta(hours=3))
    html = client.get("/search/?q=pagineringsdag&page=2").content.decode()
    assert 'rel="prev"' in html
    links = [unescape(href) for href in re.findall(r'href="([^"]*)"', html)]
    for link in [link for link in links if "?" in link]:
        query = link.split("?", 1)[1]
        assert query, link
        assert all(part.split("=", 1)[-1] for part in query.split("&")), link
