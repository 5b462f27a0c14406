"""A search that finds nothing, or too little: "Mente du …?" from the site's own words, and where to go instead."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.cache import cache
from django.http import QueryDict

import pytest

from network.models import OrganisationPage
from search.selectors import search_pages
from search.suggest import vocabulary
from tests.webinars.factories import WebinarPageFactory
from webinars.models import WebinarIndexPage


def run(**params):
    return search_pages(QueryDict(urlencode(params, doseq=True)))


def test_a_misspelled_word_gets_the_word_the_site_uses(demo):
    results = run(q="bæredygtihed")
    assert results.count == 0
    assert results.did_you_mean == "bæredygtighed"
    assert run(q=results.did_you_mean).count > 0


def test_only_the_unknown_word_is_replaced_and_its_capital_kept(demo):
    assert run(q="Bæredygtihed festival").did_you_mean == "Bæredygtighed festival"


def test_a_word_the_site_uses_gets_no_suggestion(demo):
    results = run(q="trivsel")
    assert results.count > 0
    assert results.did_you_mean is None


@pytest.mark.parametrize("q", ["xqzvwk", "123456", "æøå", "a"])
def test_nothing_close_gives_no_suggestion_and_no_error(demo, q):
    assert run(q=q).did_you_mean is None


def test_the_page_links_the_suggestion_keeping_the_filters(demo, client):
    response = client.get("/search/", {"q": "bæredygtihed", "type": "event"})
    text = response.content.decode()
    assert "Mente du" in text
    assert 'href="?q=b%C3%A6redygtighed&amp;type=event"' in text


def test_a_search_without_hits_offers_the_themes_and_the_webinar_archive(demo, client):
    text = client.get("/search/", {"q": "xqzvwk"}).content.decode()
    assert "Ingen resultater" in text
    assert "Se alt inden for et tema" in text
    assert 'href="/tema/verdensmaal/"' in text
    archive = WebinarIndexPage.objects.live().get().url
    assert f'href="{archive}?when=past"' in text


def test_the_empty_search_page_offers_the_themes_and_the_latest_webinars(demo, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        text = client.get("/search/").content.decode()
    assert "Se alt inden for et tema" in text
    assert "Seneste webinarer" in text
    assert "Alle tidligere webinarer" in text


def test_a_newly_published_word_is_known_at_once(demo, settings):
    """The vocabulary is kept in the cache, under the content generation that publishing replaces."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "vocab"}}
    cache.clear()
    assert vocabulary() == vocabulary()
    assert "fjordkajak" not in vocabulary().counts
    WebinarPageFactory(parent=OrganisationPage.objects.first(), title="Fjordkajak og læsning")
    assert "fjordkajak" in vocabulary().counts
    assert run(q="fjordkajk").did_you_mean == "fjordkajak"
    cache.clear()
