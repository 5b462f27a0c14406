"""Wagtail's SQLite (FTS5) search backend, in Danish: Danish stems and compound parts in the index, and FTS5 queries
written by us from words alone, so nothing the user types reaches FTS5 as an operator."""

from __future__ import annotations

from django.db.models import CharField, Exists, Expression, FloatField, Func, IntegerField, Lookup, OuterRef
from django.db.models.functions import Cast
from django.utils.functional import cached_property

from modelsearch.backends.database.sqlite.query import MatchExpression, SearchQueryExpression, SearchQueryField
from modelsearch.backends.database.sqlite.sqlite import (
    IndexEntry,
    ObjectIndexer,
    SQLiteAutocompleteQueryCompiler,
    SQLiteFTSIndexEntry,
    SQLiteIndex,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
    SQLiteSearchResults,
)
from modelsearch.query import Phrase, PlainText
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

from search import analysis

from .common import RankedResultsMixin, has_integer_key, kind_words

TITLE_WEIGHT = 4.0


class DanishObjectIndexer(ObjectIndexer):
    """What goes into the index for an object: stems for search, normalised words for autocomplete."""

    @cached_property
    def title(self):
        return analysis.index_text(ObjectIndexer.title.func(self))

    @cached_property
    def body(self):
        return analysis.index_text(f"{ObjectIndexer.body.func(self)} {kind_words(self.obj)}")

    @cached_property
    def autocomplete(self):
        return " ".join(analysis.words(ObjectIndexer.autocomplete.func(self)))


class DanishSQLiteIndex(SQLiteIndex):
    def add_items(self, model, objs):
        """As SQLiteIndex.add_items, with the Danish indexer (the original names its indexer class directly)."""
        if not model.get_search_fields():
            return
        indexers = [DanishObjectIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        data = {indexer.id: (indexer.title, indexer.autocomplete, indexer.body) for indexer in indexers}
        entries = self.entries.filter(content_type_id=content_type_pk)
        existing = frozenset(entries.filter(object_id__in=data.keys()).values_list("object_id", flat=True))
        for object_id in existing:
            title, autocomplete, body = data[object_id]
            entries.filter(object_id=object_id).update(title=title, autocomplete=autocomplete, body=body)
        self.entries.bulk_create(
            IndexEntry(
                content_type_id=content_type_pk,
                object_id=object_id,
                title=title,
                autocomplete=autocomplete,
                body=body,
            )
            for object_id, (title, autocomplete, body) in data.items()
            if object_id not in existing
        )
        self._refresh_title_norms()


def fts_string(value: str) -> str:
    """An FTS5 string literal. Our words hold letters and digits only; the quotes are doubled all the same."""
    return '"' + value.replace('"', '""') + '"'


class FTSQuery(Expression):
    """A ready FTS5 query, passed to MATCH as one parameter."""

    output_field = SearchQueryField()

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def as_sql(self, compiler, connection):
        return "%s", [self.text]


def fts_for_terms(terms: list[analysis.Term], operator: str) -> str:
    clauses = []
    for term in terms:
        clause = fts_string(term.stem)
        if term.part_stems:
            parts = " AND ".join(fts_string(s) for s in dict.fromkeys(term.part_stems))
            clause = f"({clause} OR ({parts}))"
        clauses.append(clause)
    return f" {'OR' if operator.lower() == 'or' else 'AND'} ".join(clauses)


def _is_empty(query) -> bool:
    if isinstance(query, PlainText | Phrase):
        return not analysis.words(query.query_string)
    return False


class WeightedBM25(Func):
    """FTS5's bm25 with column weights (autocomplete, body, title); lower is better, as with bm25 itself."""

    output_field = FloatField()

    def __init__(self, weights: tuple[float, float, float]):
        super().__init__()
        self.weights = weights

    def as_sql(self, compiler, connection, **extra):
        table = SQLiteFTSIndexEntry._meta.db_table
        return f"bm25({table}, {', '.join(str(float(w)) for w in self.weights)})", []


class FTSRank(Expression):
    """FTS5's `rank` column: the score of the ranking function that `RankFunction` names for the query."""

    output_field = FloatField()

    def as_sql(self, compiler, connection):
        return f'"{SQLiteFTSIndexEntry._meta.db_table}"."rank"', []


class RankFunction(Lookup):
    """`rank MATCH 'bm25(...)'`: the ranking function of the query. A Lookup, so that it goes into WHERE as it is
    (as modelsearch's MatchExpression)."""

    lookup_name = "rank_function"

    def __init__(self, weights: tuple[float, float, float]):
        self.weights = weights
        super().__init__(None, None)

    def as_sql(self, compiler, connection):
        weights = ", ".join(str(float(w)) for w in self.weights)
        return f'"{SQLiteFTSIndexEntry._meta.db_table}"."rank" MATCH %s', [f"bm25({weights})"]


class RankInOneQueryMixin:
    """Ranking in one query: the FTS rows that match, restricted to the queryset by a subquery, ordered by bm25.

    The stock backend orders by a correlated subquery per matching row, which takes seconds at 20,000 pages.
    """

    WEIGHTS = (0.0, 1.0, TITLE_WEIGHT)

    def query_is_empty(self) -> bool:
        raise NotImplementedError

    def _build_rank_expression(self, vectors, config):
        return WeightedBM25(self.WEIGHTS)

    def can_rank_in_one_query(self) -> bool:
        return self.order_by_relevance and isinstance(self.query, PlainText | Phrase)

    def _matches(self, config):
        search_query = self.build_search_query(self.query, config=config)
        match = MatchExpression(self.fields or self.FTS_TABLE_FIELDS, search_query)
        matches = SQLiteFTSIndexEntry.objects.filter(match).filter(
            index_entry__content_type__in=get_descendants_content_types_pks(self.queryset.model)
        )
        if has_integer_key(self.queryset.model):
            # Each matching row is looked up in the queryset by primary key (`object_id IN (SELECT CAST(pk AS
            # text) ...)` would make SQLite list every page of the queryset first).
            object_pk = Cast(OuterRef("index_entry__object_id"), output_field=IntegerField())
            return matches.filter(Exists(self.queryset.order_by().filter(pk=object_pk)))
        object_ids = self.queryset.order_by().annotate(_object_id=Cast("pk", CharField())).values("_object_id")
        return matches.filter(index_entry__object_id__in=object_ids)

    def _best_first(self, matches):
        """The matching rows with their `score`, best first: by bm25, ties by row id."""
        return matches.annotate(score=WeightedBM25(self.WEIGHTS)).order_by("score", "index_entry_id")

    def ranked_object_ids(self, config, start, stop) -> list[tuple[str, float, int]]:
        """(object id, score, content type id), best first."""
        if self.query_is_empty():
            return []
        rows = self._best_first(self._matches(config)).values_list(
            "index_entry__object_id", "score", "index_entry__content_type_id"
        )
        return list(rows[start:stop])

    def count_matches(self, config) -> int:
        return 0 if self.query_is_empty() else self._matches(config).count()

    def search(self, config, start, stop, score_field=None):
        if self.query_is_empty():
            return self.queryset.none()
        return super().search(config, start, stop, score_field=score_field)


class DanishSQLiteSearchQueryCompiler(RankInOneQueryMixin, SQLiteSearchQueryCompiler):
    def query_is_empty(self) -> bool:
        return _is_empty(self.query) or (
            isinstance(self.query, PlainText) and not analysis.query_terms(self.query.query_string)
        )

    def build_search_query_content(self, query, config=None):
        if isinstance(query, PlainText):
            terms = analysis.query_terms(query.query_string)
            if not terms:
                return None
            return SearchQueryExpression(FTSQuery(fts_for_terms(terms, query.operator)))
        if isinstance(query, Phrase):
            stems = [analysis.stem(word) for word in analysis.words(query.query_string)]
            if not stems:
                return None
            return SearchQueryExpression(FTSQuery(fts_string(" ".join(stems))))
        return super().build_search_query_content(query, config=config)


class DanishSQLiteSearchResults(RankedResultsMixin, SQLiteSearchResults):
    """Ranked results in two queries (ids by score, then the objects) instead of a correlated subquery per row."""


class DanishSQLiteAutocompleteQueryCompiler(RankInOneQueryMixin, SQLiteAutocompleteQueryCompiler):
    WEIGHTS = (1.0, 0.0, 0.0)

    def _best_first(self, matches):
        """As for search, but ordered by FTS5's `rank` column: FTS5 hands the rows over best first (ties by row id),
        so the join and the queryset's filter run only until the few suggestions asked for are found."""
        return matches.filter(RankFunction(self.WEIGHTS)).annotate(score=FTSRank()).order_by("score")

    def query_is_empty(self) -> bool:
        return _is_empty(self.query) or (
            isinstance(self.query, PlainText) and not analysis.prefix_words(self.query.query_string)
        )

    def build_search_query_content(self, query, config=None):
        if isinstance(query, PlainText):
            words = analysis.prefix_words(query.query_string)
            if not words:
                return None
            clauses = [fts_string(word) for word in words]
            clauses[-1] += "*"
            joiner = " OR " if query.operator.lower() == "or" else " AND "
            return SearchQueryExpression(FTSQuery(joiner.join(clauses)))
        return super().build_search_query_content(query, config=config)


class DanishSQLiteSearchBackend(SQLiteSearchBackend):
    results_class = DanishSQLiteSearchResults
    query_compiler_class = DanishSQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = DanishSQLiteAutocompleteQueryCompiler
    index_class = DanishSQLiteIndex


SearchBackend = DanishSQLiteSearchBackend
