"""Any query string is safe on the suite's backend: the page answers with its count and its results, or an empty
result that says why; never a 500."""

from __future__ import annotations

import html
import re

from django.db import DatabaseError

import pytest

from search.query import MAX_QUERY_LENGTH
from search.scope import searchable_pages

NASTY_QUERIES = {
    "double quote": '"',
    "single quote": "'",
    "unbalanced quote": '"design thinking',
    "quote inside a word": 'de"sign',
    "doubled quotes": '""""',
    "AND": "AND",
    "OR": "OR",
    "NOT": "NOT",
    "NEAR": "NEAR",
    "operators between words": "webinar AND NOT kursus OR design",
    "NEAR group": "NEAR(webinar design, 2)",
    "star": "*",
    "prefix star": "design*",
    "lone minus": "-",
    "negated word": "-webinar",
    "caret": "^",
    "boost caret": "design^2",
    "column filter": "title:webinar",
    "lone colon": ":",
    "column set": "{title body}: webinar",
    "open parenthesis": "(",
    "close parenthesis": ")",
    "unbalanced parentheses": "((design thinking)",
    "tsquery operators": "design & !thinking | <-> webinar:*",
    "backslash": "\\",
    "percent": "100% %s %%",
    "sql": "'; DROP TABLE wagtailcore_page; --",
    "emoji": "😀",
    "emoji with a word": "webinar 🎓",
    "control characters": "\x00\x01\x07\x1b\x7f",
    "control characters in a word": "web\x00inar",
    "right-to-left override": "\u202ewebinar",
    "zero-width space": "web\u200binar",
    "only stop words": "og i på med",
    "10,000 characters": "verdensmål " * 910,
    "one 10,000-character word": "a" * 10_000,
}


@pytest.mark.parametrize("query", NASTY_QUERIES.values(), ids=NASTY_QUERIES.keys())
def test_search_page_answers_any_query_with_its_count_and_results_or_why_there_are_none(demo, client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    results = response.context["results"]
    assert not results.failed
    text = response.content.decode()
    assert results.searched
    heading = re.search(r'<h2 id="search-results-heading" class="result-count">\s*(.*?)\s*</h2>', text, flags=re.S)
    count = "1 resultat" if results.count == 1 else f"{results.count} resultater"
    assert heading and heading.group(1) == count
    assert text.count('<h3 class="card__title">') == len(results.hits) == min(results.count, 20)
    assert all(html.escape(message) in text for message in results.messages)
    if not results.hits:
        assert "Ingen resultater. Prøv med færre eller andre ord" in text


@pytest.mark.parametrize("query", NASTY_QUERIES.values(), ids=NASTY_QUERIES.keys())
def test_backend_takes_any_query(demo, query):
    """Below the page, at the backend: search and autocomplete never raise."""
    list(searchable_pages().search(query[:MAX_QUERY_LENGTH])[:10])
    list(searchable_pages().search(query[:MAX_QUERY_LENGTH], operator="or")[:10])
    list(searchable_pages().autocomplete(query[:MAX_QUERY_LENGTH])[:10])


@pytest.mark.parametrize("query", NASTY_QUERIES.values(), ids=NASTY_QUERIES.keys())
def test_autocomplete_answers_any_query(demo, client, query):
    response = client.get("/search/autocomplete/", {"q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


def test_operators_are_words_and_say_so(demo, client):
    response = client.get("/search/", {"q": '"design thinking" AND webinar'})
    results = response.context["results"]
    assert [hit.page.slug for hit in results.hits][:1] == ["webinar-design-thinking"]
    assert any("Der søges på ordene" in message for message in results.messages)


def test_a_long_query_is_cut_with_a_message(demo, client):
    response = client.get("/search/", {"q": "verdensmål " * 910})
    results = response.context["results"]
    assert len(results.params.q) <= MAX_QUERY_LENGTH
    assert any("forkortet til 200 tegn" in message for message in results.messages)
    assert results.hits


def test_no_searchable_words_gives_a_clear_message(demo, client):
    response = client.get("/search/", {"q": "😀 ** ()"})
    results = response.context["results"]
    assert not results.hits
    assert any("ingen ord, der kan søges på" in message for message in results.messages)


def test_a_failing_backend_gives_a_message_not_a_500(demo, client, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("the index is gone")

    monkeypatch.setattr("search.ranking.ranked_matches", broken)
    response = client.get("/search/", {"q": "webinar"})
    assert response.status_code == 200
    assert response.context["results"].failed
    assert "Søgningen kunne ikke gennemføres" in response.content.decode()


def test_anything_else_failing_still_answers(demo, client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr("search.views.search_pages", broken)
    response = client.get("/search/", {"q": "webinar"})
    assert response.status_code == 200
    assert "Søgningen kunne ikke gennemføres" in response.content.decode()
