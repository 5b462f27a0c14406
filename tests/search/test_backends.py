"""The Danish database backends: which one the settings give, and what they store, on the suite's database."""

from __future__ import annotations

from django.db import DatabaseError, connection, transaction

from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

import pytest

from search import analysis
from search.backends.common import kind_words
from webinars.models import WebinarPage


def test_the_settings_give_the_danish_backend_of_the_database(demo):
    backend = get_search_backend()
    expected = {"sqlite": "DanishSQLiteSearchBackend", "postgresql": "DanishPostgresSearchBackend"}
    assert type(backend).__name__ == expected[connection.vendor]
    if connection.vendor == "postgresql":
        assert backend.config == "danish"


def _entry(slug: str) -> IndexEntry:
    page = WebinarPage.objects.get(slug=slug)
    return IndexEntry.objects.get(object_id=str(page.pk), content_type__model="webinarpage")


def _lexemes(entry: IndexEntry, column: str) -> str:
    if connection.vendor == "sqlite":
        return getattr(entry, column)
    with connection.cursor() as cursor:  # a tsvector: 'lexeme':positions ...
        cursor.execute(f"SELECT {column}::text FROM {IndexEntry._meta.db_table} WHERE id = %s", [entry.pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_theme_names_and_synonyms_are_in_the_index(demo):
    body = _lexemes(_entry("webinar-citizen-science"), "body").split()
    lexemes = {word.split(":")[0].strip("'") for word in body}  # PostgreSQL: 'lexeme':positions
    # Theme "Citizen science" with synonyms Borgervidenskab, Borgerforskning; "Verdensmål" with SDG, FN's 17 mål.
    for word in ("borgervidenskab", "borgerforskning", "sdg", "verdensmål", "citizen", "17"):
        assert analysis.stem(word) in lexemes, word


def test_the_index_holds_danish_stems_and_compound_parts(demo):
    body = _lexemes(_entry("webinar-verdensmaal-i-boernebiblioteket"), "body")
    title = _lexemes(_entry("webinar-verdensmaal-i-boernebiblioteket"), "title")
    assert "verdensmål" in title
    assert "børnebibliotek" in title
    assert "bibliotek" in title  # a compound part
    assert "verd" in body  # "verdensmålene" -> verdensmål + verd + mål
    assert "webinar" in body  # the page's kind


def test_kind_words_only_for_pages(demo):
    assert kind_words(WebinarPage.objects.first()) == "webinar webinarer"
    assert kind_words(object()) == ""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="about Wagtail's stock SQLite backend")
def test_the_stock_sqlite_backend_raises_on_a_stray_quote_and_ours_does_not(demo):
    """Why the Danish backend writes its own FTS5 queries (the issue's 'raises on a stray quote today')."""
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

    stock = SQLiteSearchBackend({})
    with pytest.raises(DatabaseError), transaction.atomic():
        list(stock.search('design"', Page.objects.live()))
    ours = get_search_backend()
    assert [p.title for p in ours.search('design"', Page.objects.live())]
