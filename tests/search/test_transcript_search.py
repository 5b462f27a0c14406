"""A webinar's transcript is searched on the suite's backend (SQLite FTS5 or PostgreSQL): a word said only in the
recording finds the webinar, and the snippet is that line with its time, linking to that moment of the recording."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import QueryDict

from search.selectors import search_pages
from webinars.models import WebinarPage

SLUG = "webinar-psykologiske-faktorer"
RECORDING = "https://example.org/optagelser/psykologiske-faktorer"


def hit_for(query: str, slug: str = SLUG):
    results = search_pages(QueryDict(urlencode({"q": query})), page_size=100)
    return next((hit for hit in results.hits if hit.page.slug == slug), None)


def test_the_demo_webinar_has_its_transcript_from_its_captions(demo):
    webinar = WebinarPage.objects.get(slug=SLUG)
    assert webinar.captions.startswith("WEBVTT")
    assert 8 <= len(webinar.transcript_cues) <= 15
    assert "klimaangst" in webinar.transcript


def test_a_word_only_in_the_transcript_finds_the_webinar_with_the_line_and_its_time(demo):
    hit = hit_for("klimaangst")
    assert hit is not None
    assert "<mark>klimaangst</mark>" in hit.snippet
    assert "giver op på forhånd" in hit.snippet
    assert hit.moment.label == "3:45"
    assert hit.moment.url == f"{RECORDING}#t=225"


def test_the_search_page_links_the_line_time_to_that_moment_of_the_recording(demo, client):
    text = client.get("/search/", {"q": "meningsfuld"}).content.decode()
    assert "<mark>meningsfuld</mark>" in text
    assert f'<a class="search-hit__moment" href="{RECORDING}#t=760">' in text
    # The link names where it leads, as the page's own recording link does.
    assert '<span class="visually-hidden">Se optagelsen på example.org fra </span>12:40</a>' in text


def test_a_match_in_the_intro_is_shown_before_a_line_of_the_transcript(demo):
    hit = hit_for("trivsel")  # in the intro and in the line at 12:40
    assert hit.moment is None
    assert hit.snippet.startswith("Hvordan <mark>trivsel</mark>")


def test_without_a_recording_the_time_links_to_the_line_on_the_page(demo, client):
    webinar = WebinarPage.objects.get(slug=SLUG)
    webinar.recording_url = ""
    webinar.save_revision().publish()
    hit = hit_for("byttereol")
    assert hit.moment.url == ""
    assert hit.moment.anchor == "udskrift-5"
    text = client.get("/search/", {"q": "byttereol"}).content.decode()
    assert f'href="{webinar.url}#udskrift-5"' in text
    assert 'id="udskrift-5"' in client.get(webinar.url).content.decode()
