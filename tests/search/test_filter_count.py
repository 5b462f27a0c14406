"""The number on the search page's "Filtrér (N)" button: the filters chosen; the words searched for are not one."""

from __future__ import annotations

from django.http import QueryDict

import pytest

from network.models import Theme
from search.query import parse_search_params

THEMES = [Theme(name="Verdensmål", slug="verdensmaal"), Theme(name="Ledelse", slug="ledelse")]
KINDS = {"event": "Arrangement", "webinar": "Webinar"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=verdensm%C3%A5lene", 0),
        ("q=bibliotek&when=all", 0),  # the default
        ("q=verdensm%C3%A5lene&region=midtjylland&when=past", 2),
        ("theme=verdensmaal&theme=ledelse&type=webinar", 3),
        ("q=x&when=sometime&region=atlantis&type=podcast", 0),  # dropped with a message: no filter
    ],
)
def test_the_button_counts_the_filters_chosen(query, expected):
    assert parse_search_params(QueryDict(query), kinds=KINDS, themes=THEMES).active_count == expected
