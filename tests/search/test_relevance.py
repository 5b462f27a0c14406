"""Relevance: recall@5 over the Danish relevance set, on the backend of the database the suite runs on."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import connection
from django.http import QueryDict

import pytest

from search.selectors import search_pages

from .conftest import FIGURES
from .relevance import MIN_RECALL_AT_5, RELEVANCE_SET


def top_slugs(query: str, n: int = 5) -> list[str]:
    results = search_pages(QueryDict(urlencode({"q": query})), page_size=n)
    return [hit.page.slug for hit in results.hits]


def recall_at_5(found: list[str], expected: set[str]) -> float:
    return len(set(found[:5]) & expected) / min(len(expected), 5)


def test_recall_at_5_over_the_danish_relevance_set(demo):
    scores = []
    misses = []
    for query, why, expected in RELEVANCE_SET:
        found = top_slugs(query)
        score = recall_at_5(found, expected)
        scores.append(score)
        if score < 1:
            misses.append(f"  {score:.2f}  {query!r} ({why}): got {found}")
    recall = sum(scores) / len(scores)
    figure = f"recall@5 = {recall:.3f} over {len(scores)} queries on {connection.vendor}"
    FIGURES[f"recall@5 ({connection.vendor})"] = f"{recall:.3f} over {len(scores)} queries"
    print(figure)
    print("\n".join(misses) or "  every query found all its expected pages in the top 5")
    assert recall >= MIN_RECALL_AT_5, figure + "\n" + "\n".join(misses)


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("kurserne", "saet-spot-paa-kompetencerne-2016"),
        ("verdensmaal", "webinar-verdensmaal-i-boernebiblioteket"),
        ("SDG", "webinar-citizen-science"),
        ("skolesamarbejdet", "skole-og-bibliotek"),
        ("Aarhus", "kompetenceforloeb-foraar-2023"),
        ("psykolog", "webinar-psykologiske-faktorer"),
        ("kursusdage", "saet-spot-paa-kompetencerne-2016"),
    ],
)
def test_danish_forms_find_the_page(demo, query, slug):
    results = search_pages(QueryDict(urlencode({"q": query})), page_size=50)
    assert slug in [hit.page.slug for hit in results.hits]
