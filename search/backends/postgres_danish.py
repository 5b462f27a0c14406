"""Wagtail's PostgreSQL search backend, in Danish: PostgreSQL's `danish` configuration, fed text normalised in Python
("aa" as "å", irregular words, compound parts), and tsqueries built from words alone."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db import connections, transaction
from django.db.models import BigIntegerField, F, Q
from django.db.models.functions import Cast
from django.utils.functional import cached_property

from modelsearch.backends.database.postgres.postgres import (
    IndexEntry,
    ObjectIndexer,
    PostgresAutocompleteQueryCompiler,
    PostgresIndex,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
    PostgresSearchResults,
)
from modelsearch.backends.database.postgres.query import Lexeme
from modelsearch.index import AutocompleteField, SearchField
from modelsearch.query import Phrase, PlainText
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

from search import analysis

from .common import RankedResultsMixin, has_integer_key, kind_words


@dataclass(frozen=True)
class VectorSQL:
    """A tsvector as SQL with its parameters, written directly: `update_index` makes three per page, and building them
    as ORM expressions (SearchVector, Value, Coalesce, ...) and compiling those cost more than PostgreSQL's work."""

    sql: str
    params: tuple


def vector_sql(texts: list[tuple[str, str]], config: str | None) -> VectorSQL:
    """The SQL of modelsearch's `as_vector`: `setweight(to_tsvector(config, text), weight) || ...`."""
    texts = [(text.strip(), weight) for text, weight in texts]
    texts = [(text, weight) for text, weight in texts if text]
    if not texts:
        return VectorSQL("to_tsvector('')", ())
    parts, params = [], []
    for text, weight in texts:
        if config:
            parts.append("setweight(to_tsvector(%s::regconfig, %s), %s)")
            params.extend((config, text, weight))
        else:
            parts.append("setweight(to_tsvector(%s), %s)")
            params.extend((text, weight))
    return VectorSQL(" || ".join(parts), tuple(params))


class DanishObjectIndexer(ObjectIndexer):
    """modelsearch's indexer with the Danish analysis. The page's fields are read once (the stock indexer reads every
    search field, with its related objects, once for each of the five columns) and the vectors are plain SQL."""

    @cached_property
    def prepared(self) -> list[tuple]:
        return [item for field in self.search_fields for item in self.prepare_field(self.obj, field)]

    def _texts(self, *, title: bool) -> list[tuple[str, str]]:
        return [
            (value, boost)
            for current, boost, value in self.prepared
            if isinstance(current, SearchField) and (current.field_name == "title") == title
        ]

    def as_vector(self, texts, for_autocomplete=False):
        prepare = (lambda t: " ".join(analysis.words(t))) if for_autocomplete else analysis.surface_index_text
        config = self.autocomplete_config if for_autocomplete else self.config
        return vector_sql([(prepare(text), weight) for text, weight in texts], config)

    @cached_property
    def title(self):
        return self.as_vector(self._texts(title=True))

    @cached_property
    def body(self):
        texts = self._texts(title=False)
        kind = kind_words(self.obj)
        if kind:
            texts.append((kind, "D"))
        return self.as_vector(texts)

    @cached_property
    def autocomplete(self):
        texts = [(value, boost) for current, boost, value in self.prepared if isinstance(current, AutocompleteField)]
        return self.as_vector(texts, for_autocomplete=True)

    @cached_property
    def title_text(self):
        return " ".join(value.strip() for value, _boost in self._texts(title=True) if value.strip())

    @cached_property
    def body_text(self):
        return " ".join(value.strip() for value, _boost in self._texts(title=False) if value.strip())


class DanishPostgresIndex(PostgresIndex):
    def add_items(self, model, objs):
        """As PostgresIndex.add_items, with the Danish indexer (the original names its indexer class directly)."""
        if not model.get_search_fields():
            return
        indexers = [DanishObjectIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        rows, params = [], []
        for indexer in indexers:
            params.extend((content_type_pk, indexer.id))
            vectors = (indexer.title, indexer.autocomplete, indexer.body)
            for vector in vectors:
                params.extend(vector.params)
            params.extend((indexer.title_text, indexer.body_text))
            rows.append(f"(%s, %s, {vectors[0].sql}, {vectors[1].sql}, {vectors[2].sql}, 1.0, %s, %s)")
        table = IndexEntry._meta.db_table
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {table} (content_type_id, object_id, title, autocomplete, body, title_norm,
                                     title_text, body_text)
                (VALUES {", ".join(rows)})
                ON CONFLICT (content_type_id, object_id)
                DO UPDATE SET title = EXCLUDED.title, title_norm = 1.0, autocomplete = EXCLUDED.autocomplete,
                              body = EXCLUDED.body, title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text
                """,  # the table name from the model, the values as parameters
                params,
            )
        self._refresh_title_norms()


def lexemes_for_terms(terms: list[analysis.Term], operator: str):
    combined = None
    for term in terms:
        lexeme = Lexeme(term.surface)
        if term.parts:
            halves = [Lexeme(part) for part in dict.fromkeys(term.surface_parts)]
            both = halves[0]
            for half in halves[1:]:
                both &= half
            lexeme = lexeme | both
        if combined is None:
            combined = lexeme
        elif operator.lower() == "or":
            combined = combined | lexeme
        else:
            combined = combined & lexeme
    return combined


def _has_words(query) -> bool:
    if isinstance(query, PlainText):
        return bool(analysis.query_terms(query.query_string))
    if isinstance(query, Phrase):
        return bool(analysis.words(query.query_string))
    return True


class RankedEntriesMixin:
    """Ranking from the index rows: the rows that match, ranked, each looked up in the queryset by primary key
    (`page.id = object_id::bigint`, which the page's primary key serves)."""

    def query_is_empty(self) -> bool:
        raise NotImplementedError

    def match_condition(self, search_query) -> Q:
        raise NotImplementedError

    def rank_expression(self, config):
        raise NotImplementedError

    def can_rank_in_one_query(self) -> bool:
        return (
            self.order_by_relevance
            and self.fields is None
            and isinstance(self.query, PlainText | Phrase)
            and has_integer_key(self.queryset.model)
        )

    def _matching_rows(self, config):
        """The index rows of the queryset's types that match the query, with their object's primary key."""
        search_query = self.build_tsquery(self.query, config=config)
        return (
            IndexEntry.objects.using(self.queryset.db)
            .filter(content_type_id__in=get_descendants_content_types_pks(self.queryset.model))
            .filter(self.match_condition(search_query))
            .annotate(object_pk=Cast("object_id", output_field=BigIntegerField()))
        )

    def _matches(self, config):
        """The matching index rows of the queryset's objects."""
        return self._matching_rows(config).filter(object_pk__in=self.queryset.order_by().values("pk"))

    def ranked_object_ids(self, config, start, stop) -> list[tuple[int, float, int]]:
        """(object pk, score, content type id), best first, as the stock backend orders them."""
        if self.query_is_empty():
            return []
        rows = (
            self._matches(config)
            .annotate(score=self.rank_expression(config))
            .order_by(F("score").desc(), F("object_pk").desc())
            .values_list("object_pk", "score", "content_type_id")
        )
        with planned_for_memory(self.queryset.db):
            return list(rows[start:stop])

    def count_matches(self, config) -> int:
        if self.query_is_empty():
            return 0
        with planned_for_memory(self.queryset.db):
            return self._matches(config).count()


PLANNER_SETTINGS = {
    # The pages of the matches are looked up by primary key; with the default random_page_cost (4, meant for spinning
    # disks) the planner would rather hash every page of the site than look up a few hundred. The index and the pages
    # are read from memory.
    "random_page_cost": "1.1",
    # A search is one request among many on the web server: it takes one core, not three (parallel workers made a
    # query that matches every page slower, not faster).
    "max_parallel_workers_per_gather": "0",
}


@contextlib.contextmanager
def planned_for_memory(using: str):
    """The search's queries with PLANNER_SETTINGS, for one transaction (SET LOCAL): the search's own, or the
    caller's, which gets its settings back afterwards."""
    connection = connections[using]
    outer = connection.in_atomic_block
    with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
        names = list(PLANNER_SETTINGS)
        if outer:
            cursor.execute("SELECT " + ", ".join(["current_setting(%s)"] * len(names)), names)
            before = dict(zip(names, cursor.fetchone(), strict=True))
        _set_local(cursor, PLANNER_SETTINGS)
        yield
        if outer:  # (after a failure the caller's savepoint is rolled back, and the settings with it)
            _set_local(cursor, before)


def _set_local(cursor, settings: dict[str, str]) -> None:
    cursor.execute("SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(settings)), [
        value for item in settings.items() for value in item
    ])  # fmt: skip


class DanishPostgresSearchQueryCompiler(RankedEntriesMixin, PostgresSearchQueryCompiler):
    def query_is_empty(self) -> bool:
        return not _has_words(self.query)

    def match_condition(self, search_query) -> Q:
        return Q(title=search_query) | Q(body=search_query)

    def rank_expression(self, config):
        """The stock rank: the title's, weighted by its shortness (title_norm), plus the body's."""
        title = self.build_tsrank(F("title"), self.query, config=config) * F("title_norm")
        return title + self.build_tsrank(F("body"), self.query, config=config)

    def build_tsquery_content(self, query, config=None, invert=False):
        if isinstance(query, PlainText):
            terms = analysis.query_terms(query.query_string)
            if not terms:
                return None
            lexemes = lexemes_for_terms(terms, query.operator)
            if invert:
                return ~SearchQuery(lexemes, search_type="raw", config=config)
            return SearchQuery(lexemes, search_type="raw", config=config)
        if isinstance(query, Phrase):
            text = " ".join(analysis.words(query.query_string))
            return SearchQuery(text, search_type="phrase", config=config)
        return super().build_tsquery_content(query, config=config, invert=invert)

    def search(self, config, start, stop, score_field=None, backend=None):
        if self.query_is_empty():
            return self.queryset.none()
        if isinstance(self.query, PlainText | Phrase) and self.fields is None:
            # The stock backend tests `title || body @@ query` row by row: concatenating two tsvectors per page costs
            # more than the whole rest of the query at 20,000 pages (and a GIN index cannot serve it). A page matches
            # when its title or its body does: both are tested against the index row joined for the ranking, through
            # the GIN indexes when few rows match. The rank is the stock one (title weighted by title_norm, + body).
            search_query = self.build_tsquery(self.query, config=config)
            rank = self._build_rank_expression(self.get_index_vectors(search_query), config)
            queryset = self.queryset.filter(Q(index_entries__title=search_query) | Q(index_entries__body=search_query))
            return self._apply_ordering_and_scoring(queryset, rank, start, stop, score_field)
        return super().search(config, start, stop, score_field=score_field, backend=backend)


class DanishPostgresAutocompleteQueryCompiler(RankedEntriesMixin, PostgresAutocompleteQueryCompiler):
    def ranked_object_ids(self, config, start, stop) -> list[tuple[int, float, int]]:
        """As for search, but the matching rows are ranked in a subquery of their own and the queryset's filter applied
        in that order: PostgreSQL looks the best rows' pages up by primary key until it has the few asked for."""
        if self.query_is_empty():
            return []
        db = self.queryset.db
        ranked = (
            self._matching_rows(config)
            .annotate(score=self.rank_expression(config))
            .order_by(F("score").desc(), F("object_pk").desc())
            .values_list("object_pk", "score", "content_type_id")
        )
        ranked_sql, ranked_params = ranked.query.get_compiler(using=db).as_sql()
        pages_sql, pages_params = self.queryset.order_by().values("pk").query.get_compiler(using=db).as_sql()
        sql = (
            f"SELECT r.object_pk, r.score, r.content_type_id FROM ({ranked_sql}) r "  # noqa: S608 - compiled by the ORM
            f"WHERE r.object_pk IN ({pages_sql}) ORDER BY r.score DESC, r.object_pk DESC"
        )
        params = [*ranked_params, *pages_params]
        if stop is not None:
            sql += " LIMIT %s"
            params.append(stop - start)
        if start:
            sql += " OFFSET %s"
            params.append(start)
        with planned_for_memory(db), connections[db].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def query_is_empty(self) -> bool:
        return isinstance(self.query, PlainText) and not analysis.prefix_words(self.query.query_string)

    def match_condition(self, search_query) -> Q:
        return Q(autocomplete=search_query)

    def rank_expression(self, config):
        return self.build_tsrank(F("autocomplete"), self.query, config=config)

    def build_tsquery_content(self, query, config=None, invert=False):
        if isinstance(query, PlainText):
            words = analysis.prefix_words(query.query_string)
            if not words:
                return None
            lexemes = Lexeme(words[-1], prefix=True)
            for word in words[:-1]:
                lexemes = Lexeme(word) & lexemes if query.operator.lower() != "or" else Lexeme(word) | lexemes
            return SearchQuery(lexemes, search_type="raw", config=config)
        return super().build_tsquery_content(query, config=config, invert=invert)

    def search(self, config, start, stop, score_field=None, backend=None):
        if self.query_is_empty():
            return self.queryset.none()
        return super().search(config, start, stop, score_field=score_field, backend=backend)


class DanishPostgresSearchResults(RankedResultsMixin, PostgresSearchResults):
    pass


class DanishPostgresSearchBackend(PostgresSearchBackend):
    results_class = DanishPostgresSearchResults
    query_compiler_class = DanishPostgresSearchQueryCompiler
    autocomplete_query_compiler_class = DanishPostgresAutocompleteQueryCompiler
    index_class = DanishPostgresIndex


SearchBackend = DanishPostgresSearchBackend
