"""A search is a read: on SQLite, whose transactions take the database's write lock at BEGIN (see the settings, for
registration), it must not open one, or every search would wait for registrations and for the other searches."""

from __future__ import annotations

from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

import pytest

from search.autocomplete import autocomplete
from search.selectors import search_pages


@pytest.mark.skipif(connection.vendor != "sqlite", reason="about SQLite's write lock")
def test_a_search_outside_a_transaction_begins_none(transactional_db):
    with CaptureQueriesContext(connection) as captured:
        search_pages(QueryDict("q=verdensm%C3%A5l+l%C3%A6seklub"))
        search_pages(QueryDict("q=kursus&type=course"))
        autocomplete("verd")
    statements = [query["sql"] for query in captured.captured_queries]
    assert any("MATCH" in sql for sql in statements)  # the searches ran
    assert not [sql for sql in statements if sql.startswith("BEGIN")]
