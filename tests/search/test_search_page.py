"""The search page: results with kind, date, themes and highlighted snippets; filters, facets, sort, pagination."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from network.models import OfferingPage, PageTheme, Theme
from search.selectors import search_pages
from webinars.models import WebinarPage


def run(page_size: int = 20, **params) -> object:
    return search_pages(QueryDict(urlencode(params, doseq=True)), page_size=page_size)


def slugs(results) -> list[str]:
    return [hit.page.slug for hit in results.hits]


def facet(results, name: str) -> dict[str, int]:
    return {option.value: option.count for f in results.facets if f.name == name for option in f.options}


def test_empty_search_page_shows_the_form_and_no_results(demo, client):
    response = client.get("/search/")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'name="q"' in text
    assert "resultater" not in text
    assert 'data-autocomplete-url="/search/autocomplete/"' in text


def test_result_shows_kind_date_themes_and_highlighted_snippet(demo, client):
    response = client.get("/search/", {"q": "verdensmaal"})
    text = response.content.decode()
    results = response.context["results"]
    assert results.count >= 5
    hit = next(h for h in results.hits if h.page.slug == "webinar-verdensmaal-i-boernebiblioteket")
    assert hit.kind == "webinar"
    assert hit.kind_label == "Webinar"
    assert "<mark>verdensmålene</mark>" in hit.snippet
    assert "<mark>Verdensmål</mark>" in hit.title
    assert any(matched for theme, matched in hit.themes if theme.name == "Verdensmål")
    assert "Webinar ·" in text  # kind, then the date
    assert "<mark>" in text
    assert 'class="themes__list"' in text


def test_a_match_by_theme_synonym_shows_the_page_own_text_and_marks_the_theme(demo):
    """Issue 16, item 15: the snippet is the offering's own intro, not the theme's synonym list; the theme the
    synonym belongs to is marked among the hit's themes."""
    results = run(q="SDG")
    assert results.hits
    hit = next(h for h in results.hits if h.page.slug == "vidensfestival-ballerup-2022")
    assert hit.snippet == hit.page.intro
    assert "Tema:" not in hit.snippet
    assert [theme.name for theme, matched in hit.themes if matched] == ["Verdensmål"]


def test_a_match_by_theme_synonym_on_a_page_without_intro_names_the_theme(demo):
    page = OfferingPage.objects.get(slug="vidensfestival-ballerup-2022").specific
    page.intro = ""
    page.save_revision().publish()
    hit = next(h for h in run(q="SDG").hits if h.page.slug == "vidensfestival-ballerup-2022")
    assert "Tema: Verdensmål" in hit.snippet
    assert "<mark>SDG</mark>" in hit.snippet


def test_theme_facet_counts_stay_correct_under_a_theme_filter(demo):
    """The database backends' facet() miscounts after a tag filter: ours counts the results themselves."""
    results = run(q="verdensmål", theme="baeredygtighed")
    found = set(slugs(run(page_size=100, q="verdensmål", theme="baeredygtighed")))
    truth = {}
    for link in PageTheme.objects.filter(content_object__slug__in=found).select_related("tag"):
        truth[link.tag.slug] = truth.get(link.tag.slug, 0) + 1
    assert facet(results, "theme") == truth
    assert facet(results, "theme")["baeredygtighed"] == results.count
    selected = [o for f in results.facets if f.name == "theme" for o in f.options if o.selected]
    assert [o.value for o in selected] == ["baeredygtighed"]


def test_two_themes_narrow(demo):
    both = run(theme=["verdensmaal", "citizen-science"])
    assert set(slugs(both)) == {"webinar-citizen-science", "vidensfestival-naeste"}


def test_type_filter_keeps_the_other_types_in_the_type_facet(demo):
    results = run(q="verdensmål", type="webinar")
    assert {hit.kind for hit in results.hits} == {"webinar"}
    counts = facet(results, "type")
    assert counts["webinar"] == results.count == 4
    assert counts["event"] >= 1  # what ticking "Arrangement" too would add
    assert facet(results, "theme")["verdensmaal"] == 4


def test_when_filter(demo):
    now = timezone.now()
    past = run(page_size=100, q="webinar", when="past")
    upcoming = run(page_size=100, q="webinar", when="upcoming")
    assert set(slugs(past)) == {"webinar-citizen-science", "webinar-design-thinking", "webinar-psykologiske-faktorer"}
    assert slugs(upcoming) == ["webinar-verdensmaal-i-boernebiblioteket"]
    assert all(hit.page.end <= now for hit in past.hits)


def test_region_filter(demo):
    results = run(page_size=100, q="inspirationsdag", region="midtjylland")
    assert set(slugs(results)) == {"inspirationsdag-herning-2022", "inspirationsdag-verdensmaal-naeste"}
    assert run(q="inspirationsdag", region="hovedstaden").count == 0


def test_filters_without_text_list_everything_newest_first(demo):
    results = run(page_size=100, theme="verdensmaal")
    assert results.count == PageTheme.objects.filter(tag__slug="verdensmaal").count() == 10
    starts = [hit.page.start for hit in results.hits if isinstance(hit.page, OfferingPage)]
    assert starts == sorted(starts, reverse=True)


def test_sort_by_date(demo):
    results = run(page_size=100, q="kurser", sort="date")
    starts = [hit.page.start for hit in results.hits]
    assert starts == sorted(starts, reverse=True)
    assert results.params.sort == "date"
    relevance = run(page_size=100, q="kurser")
    assert relevance.params.sort == "relevance"
    assert set(slugs(relevance)) == set(slugs(results))


def test_pagination(demo, client):
    first = run(page_size=3, q="verdensmål")
    second = run(page_size=3, q="verdensmål", page=2)
    assert first.count == second.count > 3
    assert len(first.hits) == 3
    assert not set(slugs(first)) & set(slugs(second))
    beyond = run(page_size=3, q="verdensmål", page=99)
    assert beyond.page.number == beyond.page.paginator.num_pages
    assert any("findes ikke" in m for m in beyond.messages)


def test_pagination_links_keep_the_filters(demo, client, monkeypatch):
    monkeypatch.setitem(search_pages.__kwdefaults__, "page_size", 2)
    response = client.get("/search/", {"q": "verdensmål", "type": "webinar"})
    text = response.content.decode()
    assert "page=2" in text
    assert "type=webinar" in text


def test_bad_filter_values_are_dropped_with_a_message(demo):
    results = run(q="webinar", theme="findes-ikke", type="podcast", when="i-morgen", region="skaane", page="x")
    messages = " ".join(results.messages)
    for fragment in ("findes-ikke", "podcast", "i-morgen", "skaane", "Sidetallet"):
        assert fragment in messages
    assert results.count == 4


def test_any_word_when_no_page_has_every_word(demo):
    results = run(q="Herning Ballerup")
    assert results.any_word
    assert results.hits
    assert any("mindst ét" in m for m in results.messages)


def test_a_theme_typed_as_text_is_offered_as_a_filter(demo):
    results = run(q="verdensmål")
    assert [theme.slug for theme in results.suggested_themes] == ["verdensmaal"]


def test_search_page_uses_a_fixed_number_of_queries(demo, client, django_assert_max_num_queries):
    client.get("/search/", {"q": "verdensmål"})  # warm the caches (content types, site root paths)
    with django_assert_max_num_queries(30):
        response = client.get("/search/", {"q": "verdensmål"})
    assert len(response.context["results"].hits) >= 10


def test_query_count_does_not_grow_with_the_results(demo, django_assert_num_queries):
    run(q="verdensmål", type="webinar")
    with CaptureQueriesContext(connection) as one:
        run(page_size=1, q="verdensmål", type="webinar")
    with CaptureQueriesContext(connection) as four:
        run(page_size=4, q="verdensmål", type="webinar")
    assert len(four.captured_queries) == len(one.captured_queries)


@pytest.mark.parametrize("q", ["verdensm", "verdensmaa", "SDG", "herni"])
def test_autocomplete(demo, client, q):
    response = client.get("/search/autocomplete/", {"q": q})
    assert response.status_code == 200
    results = response.json()["results"]
    assert 1 <= len(results) <= 8
    for item in results:
        assert set(item) == {"title", "url", "kind", "kind_label"}
        assert item["url"].startswith("/")


def test_autocomplete_suggests_the_theme_first(demo, client):
    results = client.get("/search/autocomplete/", {"q": "verdens"}).json()["results"]
    assert results[0] == {
        "title": "Verdensmål",
        "url": "/search/?theme=verdensmaal",
        "kind": "theme",
        "kind_label": "Tema",
    }
    assert any(item["kind"] == "webinar" for item in results)


def test_autocomplete_needs_two_letters(demo, client):
    assert client.get("/search/autocomplete/", {"q": "v"}).json() == {"results": []}
    assert client.get("/search/autocomplete/").json() == {"results": []}


def test_theme_tags_in_results_link_to_the_theme(demo, client):
    theme = Theme.objects.get(slug="verdensmaal")
    text = client.get("/search/", {"q": "verdensmål"}).content.decode()
    assert f'href="/tema/{theme.slug}/"' in text


def test_a_snippet_keeps_angle_brackets_the_text_shows(demo):
    """Rich text is made plain once: `&lt;details&gt;` is the text "<details>", shown, not removed as a tag."""
    page = WebinarPage.objects.get(slug="webinar-design-thinking")
    page.body = [("paragraph", "<p>Prøv elementet &lt;details&gt; til en fjordvandring i teksten.</p>")]
    page.save_revision().publish()
    hit = next(h for h in run(q="fjordvandring").hits if h.page.slug == "webinar-design-thinking")
    assert "&lt;details&gt;" in hit.snippet and "<mark>fjordvandring</mark>" in hit.snippet


def test_a_hit_names_its_organiser(demo, client):
    page = WebinarPage.objects.get(slug="webinar-design-thinking")
    hit = next(h for h in run(q="design thinking").hits if h.page.slug == "webinar-design-thinking")
    assert page.organiser and hit.organiser == page.organiser.title
    html = client.get("/search/", {"q": "design thinking"}).content.decode()
    assert f"<dd>{page.organiser.title}</dd>" in html


@pytest.mark.parametrize("page", ["²", "٣"])
def test_a_page_number_in_other_digits_than_0_to_9_shows_the_first_page_with_a_message(demo, client, page):
    """Neither "²" (a digit to str.isdigit()) nor "٣" (Arabic-Indic three, a number to int()) is a page number."""
    response = client.get("/search/", {"q": "verdensmål", "page": page})
    results = response.context["results"]
    assert not results.failed
    assert results.page.number == 1 and results.hits
    assert results.messages == [f"Sidetallet «{page}» kunne ikke læses. Viser side 1."]
    assert f"<li>Sidetallet «{page}» kunne ikke læses. Viser side 1.</li>" in response.content.decode()


@pytest.mark.parametrize("page", ["0", "00"])
def test_page_zero_shows_the_first_page_with_a_message(demo, client, page):
    response = client.get("/search/", {"q": "verdensmål", "page": page})
    results = response.context["results"]
    assert results.page.number == 1 and results.hits
    assert results.messages == [f"Sidetallet «{page}» kunne ikke læses. Viser side 1."]
