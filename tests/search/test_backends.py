"""The Danish database backends: which one the settings give, and what they store, on the suite's database."""

from __future__ import annotations

import re

from django.db import DatabaseError, connection, transaction
from django.db.models import F, Value
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

import pytest

from search import analysis
from search.autocomplete import autocomplete
from search.backends.common import kind_words
from search.selectors import search_pages
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
    """The stock backend raises on a stray quote; ours, which writes its own FTS5 queries, answers."""
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend  # noqa: PLC0415 - SQLite's models only

    stock = SQLiteSearchBackend({})
    with pytest.raises(DatabaseError), transaction.atomic():
        list(stock.search('design"', Page.objects.live()))
    ours = get_search_backend()
    assert [p.title for p in ours.search('design"', Page.objects.live())]


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="about the PostgreSQL backend")


@postgres_only
@pytest.mark.parametrize("q", ["verdensmål", "kurser formidling", "webinar", "bibliotekernes personale", "aarhus"])
def test_postgres_ranked_rows_give_the_pages_and_order_of_the_join_of_pages_to_index_rows(demo, q):
    """The results read from the ranked index rows are the pages, in the order, of the join of the queryset to its
    index rows that the compiler still runs when it cannot rank from the rows (the stock rank and tie-break)."""
    backend = get_search_backend()
    results = backend.search(q, Page.objects.live().public())
    compiler = results.query_compiler
    assert compiler.can_rank_in_one_query()
    stock = compiler.search(compiler.get_config(backend), 0, None)
    expected = list(stock.values_list("pk", "content_type_id"))
    assert expected, q
    assert results.ranked_pks_and_types() == expected
    assert [page.pk for page in results] == [pk for pk, _ct in expected]


@postgres_only
@pytest.mark.parametrize("method", ["search", "autocomplete"])
def test_postgres_looks_the_matches_up_by_the_pages_primary_key(demo, method):
    """The join is `page.id = object_id::bigint`, which the page's primary key serves, not the stock
    `object_id = page.id::varchar`, which makes PostgreSQL hash every page of the site for every search."""
    backend = get_search_backend()
    results = getattr(backend, method)("verd", Page.objects.live().public())
    compiler = results.query_compiler
    sql = str(compiler._matches(compiler.get_config(backend)).query)
    assert '("wagtailsearch_indexentry"."object_id")::bigint IN (SELECT' in sql
    assert "::varchar" not in sql


@pytest.mark.parametrize("method, q", [("search", "verdensmål"), ("autocomplete", "verd")])
def test_results_are_what_the_callers_queryset_asks_for(demo, method, q):
    """Specific pages with the caller's annotations, as from the stock backends (Wagtail's admin search asks so)."""
    queryset = Page.objects.live().specific().annotate(marker=Value(7))
    results = list(getattr(get_search_backend(), method)(q, queryset))
    assert results
    assert all(type(page) is not Page and page.marker == 7 for page in results)


@postgres_only
def test_postgres_search_gives_a_callers_transaction_its_planner_settings_back(demo):
    read = "SELECT current_setting('random_page_cost'), current_setting('max_parallel_workers_per_gather')"
    with connection.cursor() as cursor:
        cursor.execute(read)
        before = cursor.fetchone()
        search_pages(QueryDict("q=verdensm%C3%A5l"))
        autocomplete("verd")
        cursor.execute(read)
        assert cursor.fetchone() == before


sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="about the SQLite backend")


def _autocomplete_compiler(q: str, *, without_best: bool = False):
    """The autocomplete's compiler for live, public pages, or for those but its best match."""
    backend = get_search_backend()
    queryset = Page.objects.live().public()
    if without_best:
        best = backend.autocomplete(q, queryset)[0]
        queryset = queryset.exclude(pk=best.pk)
    return backend, backend.autocomplete(q, queryset).query_compiler


@sqlite_only
@pytest.mark.parametrize("q", ["b", "k", "f", "bi"])
@pytest.mark.parametrize("without_best", [False, True])
def test_sqlite_autocomplete_ranks_as_bm25_then_row_id(demo, q, without_best):
    """Ordered by FTS5's rank column, the suggestions are those of bm25 with the search's tie-break (row id), also
    when the queryset leaves out the best of them."""
    from search.backends.sqlite_danish import WeightedBM25  # noqa: PLC0415 - SQLite's models only

    backend, compiler = _autocomplete_compiler(q, without_best=without_best)
    config = compiler.get_config(backend)
    expected = list(
        compiler._matches(config)
        .annotate(score=WeightedBM25(compiler.WEIGHTS))
        .order_by("score", "index_entry_id")
        .values_list("index_entry__object_id", "score", "index_entry__content_type_id")
    )
    assert len(expected) > 3, q
    assert compiler.ranked_object_ids(config, 0, None) == expected
    assert compiler.ranked_object_ids(config, 0, 3) == expected[:3]


@sqlite_only
def test_sqlite_autocomplete_rows_come_sorted_from_fts5(demo):
    """FTS5 sorts by rank itself, so SQLite stops joining and filtering rows once it has the suggestions asked for:
    no sorting of all the matches after the join."""
    backend, compiler = _autocomplete_compiler("b")
    with CaptureQueriesContext(connection) as queries:
        assert compiler.ranked_object_ids(compiler.get_config(backend), 0, 8)
    (sql,) = [query["sql"] for query in queries.captured_queries if " MATCH " in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = " / ".join(row[-1] for row in cursor.fetchall())
    index_number = re.search(r"VIRTUAL TABLE INDEX (\d+):", plan)
    assert index_number and int(index_number.group(1)) & 32, plan  # FTS5_BI_ORDER_RANK: FTS5 sorts by rank
    assert "TEMP B-TREE" not in plan, plan


@postgres_only
@pytest.mark.parametrize("q", ["b", "k", "f", "bi", "verd"])
@pytest.mark.parametrize("without_best", [False, True])
def test_postgres_autocomplete_ranked_first_and_filtered_after_gives_the_rows_of_filtering_first(demo, q, without_best):
    """The autocomplete ranks the matching rows before it filters them by the queryset: the same rows, in the same
    order, as filtering first (the search's way), also when the queryset leaves out the best of them."""
    backend, compiler = _autocomplete_compiler(q, without_best=without_best)
    config = compiler.get_config(backend)
    expected = list(
        compiler._matches(config)
        .annotate(score=compiler.rank_expression(config))
        .order_by(F("score").desc(), F("object_pk").desc())
        .values_list("object_pk", "score", "content_type_id")
    )
    assert expected, q
    assert compiler.ranked_object_ids(config, 0, None) == expected
    assert compiler.ranked_object_ids(config, 0, 3) == expected[:3]
    assert compiler.ranked_object_ids(config, 1, 3) == expected[1:3]
