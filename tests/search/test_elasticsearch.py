"""Elasticsearch: the Danish analyzer in the index settings, the mapping of our models and the queries our search
compiles, without a server; and live tests against a server when ELASTICSEARCH_URL is set."""

from __future__ import annotations

import os
import re
import uuid
from io import StringIO
from urllib.parse import urlencode

from django.core.management import call_command
from django.http import QueryDict
from django.utils import timezone

from wagtail.search.backends import get_search_backend

import pytest

from events.models import CoursePage, EventPage
from network.models import PageTheme, Theme
from network.settings.base import search_backends
from search.analysis import derived_base
from search.query import parse_search_params
from search.ranking import ranks_every_match
from search.scope import kind_labels, restrict, searchable_pages
from search.selectors import search_pages
from webinars.models import WebinarPage

URL = os.environ.get("ELASTICSEARCH_URL", "").strip()
live = pytest.mark.skipif(not URL, reason="ELASTICSEARCH_URL is not set: no Elasticsearch server to test against")


def backend_for(environ: dict):
    params = dict(search_backends(environ)["default"])
    return get_search_backend(params.pop("BACKEND"), **params)


def es_backend(url: str = "http://127.0.0.1:9200", prefix: str = "kompetencenetvaerk_"):
    return backend_for({"ELASTICSEARCH_URL": url, "ELASTICSEARCH_INDEX_PREFIX": prefix})


# --- Without a server ----------------------------------------------------------------------------------------


def test_the_search_uses_elasticsearch_9_when_its_url_is_set_and_the_danish_database_backend_otherwise():
    assert type(es_backend()).__module__ == "modelsearch.backends.elasticsearch9"
    for environ in ({}, {"ELASTICSEARCH_URL": "  "}):
        assert type(backend_for(environ)).__name__ in {"DanishSQLiteSearchBackend", "DanishPostgresSearchBackend"}


def test_the_index_default_analyzer_is_danish():
    analysis = es_backend().settings["settings"]["analysis"]
    default = analysis["analyzer"]["default"]
    assert default["filter"] == [
        "lowercase",
        "aa_to_aring",
        "danish_stop",
        "danish_compounds",
        "danish_derived",
        "danish_irregular",
        "danish_stemmer",
    ]
    assert analysis["filter"]["danish_stemmer"] == {"type": "stemmer", "language": "danish"}
    assert analysis["filter"]["danish_stop"] == {"type": "stop", "stopwords": "_danish_"}
    assert analysis["filter"]["aa_to_aring"]["replacement"] == "å"
    assert "kursus => kurs" in analysis["filter"]["danish_irregular"]["rules"]
    assert "samarbejde" in analysis["filter"]["danish_compounds"]["word_list"]
    derived = analysis["filter"]["danish_derived"]
    assert derived["type"] == "pattern_capture" and derived["preserve_original"] is True
    # The pattern gives the noun `derived_base` gives, and nothing for a word that is not such an adjective.
    for word in ("psykologiske", "pædagogisk", "politisk", "biblioteket", "psykologiskt"):
        match = re.fullmatch(derived["patterns"][0], word)
        assert (match.group(1) if match else None) == derived_base(word), word
    # Wagtail's own analyzers for autocomplete stay.
    assert {"ngram_analyzer", "edgengram_analyzer"} <= set(analysis["analyzer"])


def test_our_pages_go_to_one_page_index_with_the_prefix():
    backend = es_backend(prefix="kn_test_")
    names = {backend.get_index_for_model(model).name for model in (EventPage, CoursePage, WebinarPage)}
    assert names == {"kn_test_wagtailcore_page"}


def test_the_mapping_indexes_theme_names_and_synonyms_with_the_default_danish_analyzer():
    mapping = es_backend().mapping_class(WebinarPage).get_mapping()["properties"]
    # The field's name depends on the model that defines the relation: find the nested themes field.
    themes = next(value for key, value in mapping.items() if key.endswith("themes"))
    assert themes["type"] == "nested"
    assert themes["properties"]["name"]["type"] == "text"
    assert themes["properties"]["synonyms"]["type"] == "text"
    # Text fields name no analyzer: the index's default, the Danish one, applies at index and search time.
    for field in (themes["properties"]["name"], themes["properties"]["synonyms"], mapping["title"]):
        assert "analyzer" not in field
    assert mapping["title"]["copy_to"]  # into _all_text, which searches use
    transcript = next(value for key, value in mapping.items() if key.endswith("transcript"))
    assert transcript["type"] == "text"
    assert any(key.endswith("start_filter") for key in mapping)
    assert any(key.endswith("region_filter") for key in mapping)


def test_the_document_for_elasticsearch_holds_the_transcript_made_from_the_captions(demo):
    """The plain transcript is what every backend indexes: the raw WebVTT and the timed lines are not sent."""
    webinar = WebinarPage.objects.get(slug="webinar-psykologiske-faktorer")
    document = es_backend().mapping_class(WebinarPage).get_document(webinar)
    transcript = next(value for key, value in document.items() if key.endswith("transcript"))
    assert "Mange kender klimaangst" in transcript
    assert "-->" not in transcript
    assert not [key for key in document if "captions" in key or "cues" in key]


def _compiled(params: str, q: str = "kurser", *, operator: str = "and", demo_now=None):
    backend = es_backend()
    themes = list(Theme.objects.all())
    parsed = parse_search_params(QueryDict(params), kinds=kind_labels(), themes=themes)
    queryset = restrict(searchable_pages(), parsed, now=demo_now or timezone.now())
    compiler = backend.query_compiler_class(queryset, q, operator=operator)
    compiler.check()
    return compiler.get_query()


def _id_filters(query) -> list[set[int]]:
    """The `id` filters of a compiled query, without public()'s (an empty must_not: no page is restricted)."""
    return [set(t["id_filter"]) for t in _find(query, "terms") if "id_filter" in t and t["id_filter"]]


def _find(node, key):
    """Every value under `key` anywhere in a compiled query."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                yield v
            yield from _find(v, key)
    elif isinstance(node, list):
        for item in node:
            yield from _find(item, key)


def test_the_search_query_compiles_with_every_word_required(demo):
    query = _compiled("", "kurserne i Aarhus")
    match = next(_find(query, "multi_match"), None) or next(_find(query, "match"))
    assert "kurserne i Aarhus" in str(match)
    assert "'operator': 'and'" in str(match)
    terms = list(_find(query, "terms"))
    assert any("content_type_id_filter" in t for t in terms)
    assert {"live_filter": True} in list(_find(query, "term"))


def test_the_theme_filter_compiles_to_the_pages_of_the_theme(demo):
    theme = Theme.objects.get(slug="verdensmaal")
    query = _compiled(urlencode({"theme": theme.slug}))
    expected = set(PageTheme.objects.filter(tag=theme).values_list("content_object_id", flat=True))
    assert len(expected) == 10
    assert _id_filters(query) == [expected]


def test_two_themes_compile_to_two_filters_that_must_both_hold(demo):
    query = _compiled(urlencode({"theme": ["verdensmaal", "citizen-science"]}, doseq=True))
    id_filters = _id_filters(query)
    assert len(id_filters) == 2
    assert len(id_filters[0] & id_filters[1]) == 2


def test_type_when_and_region_filters_compile(demo):
    query = _compiled(urlencode({"type": "event", "when": "past", "region": "midtjylland"}))
    terms = list(_find(query, "terms"))
    content_types = [t["content_type_id_filter"] for t in terms if "content_type_id_filter" in t]
    assert [len(ids) for ids in content_types] == [5, 1]  # every searchable kind, then the chosen one
    id_filters = _id_filters(query)
    assert len(id_filters) == 2  # ended offerings, offerings in the region
    herning = EventPage.objects.get(slug="inspirationsdag-herning-2022").pk
    assert all(herning in ids for ids in id_filters)


def test_autocomplete_compiles(demo):
    backend = es_backend()
    compiler = backend.autocomplete_query_compiler_class(searchable_pages(), "verdensm")
    compiler.check()
    assert "verdensm" in str(compiler.get_query())


# --- With a server -------------------------------------------------------------------------------------------


@pytest.fixture
def live_elasticsearch(demo, settings):
    prefix = f"kn_test_{uuid.uuid4().hex[:8]}_"
    params = search_backends({"ELASTICSEARCH_URL": URL, "ELASTICSEARCH_INDEX_PREFIX": prefix})
    settings.WAGTAILSEARCH_BACKENDS = params
    call_command("update_index", stdout=StringIO())
    backend = get_search_backend()
    yield backend
    backend.es.indices.delete(index=f"{prefix}*", ignore_unavailable=True)


def _slugs(q: str) -> list[str]:
    return [hit.page.slug for hit in search_pages(QueryDict(urlencode({"q": q})), page_size=50).hits]


@live
def test_live_danish_inflections_and_aa(live_elasticsearch):
    assert type(live_elasticsearch).__module__ == "modelsearch.backends.elasticsearch9"
    assert "saet-spot-paa-kompetencerne-2016" in _slugs("kurserne")
    assert "webinar-verdensmaal-i-boernebiblioteket" in _slugs("verdensmaal")
    assert "kompetenceforloeb-foraar-2023" in _slugs("Aarhus")


@live
def test_live_theme_synonyms(live_elasticsearch):
    assert "webinar-citizen-science" in _slugs("SDG")
    assert "webinar-design-thinking" in _slugs("designtænkning")


@live
def test_live_theme_filter_and_nasty_queries(live_elasticsearch, client):
    response = client.get("/search/", {"q": "webinar", "theme": "citizen-science"})
    assert [hit.page.slug for hit in response.context["results"].hits] == ["webinar-citizen-science"]
    for q in ['"', "((", "AND", "title:x", "😀", "a" * 10_000]:
        assert client.get("/search/", {"q": q}).status_code == 200


def test_rankings_are_cached_for_the_database_backends_only(settings):
    """Elasticsearch finds the best matches without ranking all and shows a change only after its refresh: its
    rankings are not kept in the cache."""
    assert ranks_every_match()  # the suite's database backend
    settings.WAGTAILSEARCH_BACKENDS = search_backends({"ELASTICSEARCH_URL": "http://127.0.0.1:9"})
    assert not ranks_every_match()  # no connection is made to build the backend
