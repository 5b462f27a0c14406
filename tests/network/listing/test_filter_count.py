"""The number on a listing's "Filtrér (N)" button: how many filters the GET parameters choose, as the form shows."""

from __future__ import annotations

from django.http import QueryDict

import pytest

from network.listing import parse_filters
from network.models import Theme

THEMES = [Theme(name="Verdensmål", slug="verdensmaal"), Theme(name="Ledelse", slug="ledelse")]


def count(query: str) -> int:
    return parse_filters(QueryDict(query), allowed_kinds=["event", "course"], themes=THEMES).active_count


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", 0),
        ("when=upcoming", 0),  # the default is no filter
        ("theme=verdensmaal&region=midtjylland", 2),
        ("theme=verdensmaal&theme=ledelse&type=event&type=course", 4),  # each ticked box
        ("when=past", 1),
        ("from=2022-01-01&to=2022-12-31", 1),  # one period; "all" follows from it unasked
        ("when=past&from=2022-01-01", 2),
        ("q=dag&audience=ledere&format=online", 3),
        ("theme=findes-ikke&region=atlantis&from=igaar", 0),  # what was dropped with a message is no filter
    ],
)
def test_the_button_counts_the_filters_chosen(query, expected):
    assert count(query) == expected
