"""The Danish analysis shared by the index and the query (search/analysis.py) and the highlighting."""

from __future__ import annotations

import pytest

from search import analysis
from search.highlight import highlight, snippet, stream_text


@pytest.mark.parametrize(
    "family",
    [
        ["kursus", "kurser", "kurset", "kurserne"],
        ["verdensmål", "verdensmålene", "Verdensmaal", "VERDENSMAALENE"],
        ["webinar", "webinarer", "webinaret", "webinarerne"],
        ["bibliotek", "biblioteker", "biblioteket", "bibliotekerne"],
        ["børn", "børnene"],
    ],
)
def test_inflections_share_a_stem(family):
    assert len({analysis.stem(analysis.normalise(word)) for word in family}) == 1


def test_aa_is_read_as_aring_on_both_sides():
    assert analysis.normalise("Aarhus") == analysis.normalise("Århus") == "århus"
    assert analysis.index_text("Verdensmaal") == analysis.index_text("verdensmål")


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("skolesamarbejdet", ("skole", "samarbejdet")),
        ("verdensmålene", ("verdens", "målene")),
        ("kompetenceudvikling", ("kompetence", "udvikling")),
        ("bibliotekspersonale", ("biblioteks", "personale")),
        ("folkeskolereformen", ("folkeskole", "reformen", "folke", "skole")),
        ("børnebiblioteket", ("børne", "biblioteket")),
        ("samarbejde", ()),  # not "sam" + "arbejde"
        ("formål", ()),  # not "for" + "mål"
        ("bæredygtighed", ()),
        ("bibliotekernes", ()),  # inflected, not "bibliotek" + "ernes"
        ("kompetencernes", ()),
    ],
)
def test_compound_parts(word, parts):
    assert analysis.compound_parts(word) == parts


def test_a_compound_is_indexed_with_its_parts():
    assert analysis.index_terms("Skolesamarbejdet") == ["skolesamarbejd", "skol", "samarbejd"]
    assert analysis.surface_index_text("Skolesamarbejdet") == "skolesamarbejdet skole samarbejdet"


def test_query_terms_drop_syntax_stop_words_and_duplicates():
    terms = analysis.query_terms('"Webinarer" AND om (trivsel) OR -trivslen* NEAR FN\'s 17 mål 😀')
    assert [t.word for t in terms] == ["webinarer", "trivsel", "trivslen", "fn", "17", "mål"]
    assert all(analysis.WORD_RE.fullmatch(t.stem) for t in terms)


def test_query_terms_are_capped():
    assert len(analysis.query_terms(" ".join(f"ord{i}" for i in range(50)))) == 12


def test_control_characters_are_removed():
    assert analysis.clean("web\x00inar\u202e") == "web inar "


def test_highlight_marks_inflections_and_compounds_and_escapes():
    stems = frozenset(t for term in analysis.query_terms("verdensmaal skole") for t in term.stems)
    marked = highlight("<b>Verdensmålene</b> i skolerne & skolesamarbejdet", stems)
    assert marked == (
        "&lt;b&gt;<mark>Verdensmålene</mark>&lt;/b&gt; i <mark>skolerne</mark> &amp; <mark>skolesamarbejdet</mark>"
    )


def test_snippet_is_a_window_around_the_first_match():
    stems = frozenset(analysis.query_terms("kursusgang")[0].stems)
    text = " ".join(["ord"] * 50 + ["kursusgangene"] + ["ord"] * 50)
    found = snippet(["ingen træf her", text], stems)
    assert found.startswith("… ")
    assert "<mark>kursusgangene</mark>" in found
    assert found.endswith(" …")
    assert len(found.split()) < 40
    assert snippet(["ingen træf"], stems) is None


def test_stream_text_reads_values_not_types_or_ids():
    raw = [
        {"type": "paragraph", "value": "<p>Om skolen</p>", "id": "3f1c"},
        {"type": "link", "value": {"url": "https://example.org", "text": "Læs mere"}, "id": "9a"},
    ]
    assert stream_text(raw) == ["<p>Om skolen</p>", "Læs mere"]


def test_elasticsearch_analysis_matches_the_python_pipeline():
    settings = analysis.elasticsearch_analysis()["analysis"]
    assert settings["filter"]["danish_compounds"]["word_list"] == sorted(analysis.COMPOUND_WORDS)
    assert "børn => barn" in settings["filter"]["danish_irregular"]["rules"]
