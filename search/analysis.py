"""Danish text analysis for search, one pipeline for the index and the query: normalising ("aa" read as "å"), Snowball
stems, compound parts and stop words. Plain Python, so the settings can build the Elasticsearch analysis from it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

# The Snowball list of Danish stop words (PostgreSQL's danish.stop, Elasticsearch's _danish_).
STOP_WORDS = frozenset(
    """
    og i jeg det at en den til er som på de med han af for ikke der var mig sig men et har om vi min havde ham hun
    nu over da fra du ud sin dem os op man hans hvor eller hvad skal selv her alle vil blev kunne ind når være dog
    noget ville jo deres efter ned skulle denne end dette mit også under have dig anden hende mine alt meget sit sine
    vor mod disse hvis din nogle hos blive mange ad bliver hendes været thi jer sådan
    """.split()  # noqa: SIM905 - a word list reads best as text
)

# Search-syntax words people type out of habit. Written in capitals they are read as operators and dropped.
OPERATOR_WORDS = frozenset({"AND", "OR", "NOT", "NEAR"})

# Irregular words mapped to a form that the stemmer joins with the rest of their family.
IRREGULAR = {
    "kursus": "kurser",
    "kursusset": "kurser",
    "børn": "barn",
    "børnene": "barn",
    "børns": "barn",
    "børne": "barn",
    # The seed calls a course's sessions "kursusdage"; the site calls them "kursusgange".
    "kursusdag": "kursusgang",
    "kursusdage": "kursusgang",
    "kursusdagen": "kursusgang",
    "kursusdagene": "kursusgang",
}

# Adjective endings after a noun ("psykologiske" from "psykolog"): the noun is indexed too, so that a search for the
# person or the field finds the adjective. The noun left must be long enough to be one (not "polit-isk").
DERIVED_ENDINGS = ("iske", "iskt", "isk")
MIN_DERIVED_BASE = 6
# One rule for every backend: `derived_base` here, Elasticsearch's pattern_capture filter there.
DERIVED_PATTERN = rf"^(.{{{MIN_DERIVED_BASE},}}?)(?:{'|'.join(DERIVED_ENDINGS)})$"
DERIVED = re.compile(DERIVED_PATTERN)

# Words that, found at the end of a longer word (or at its start), make it a compound worth splitting.
# Base forms; inflected heads ("-samarbejdet", "-reformen") are found too. Keep it to the network's vocabulary, and
# leave out words that end other words without being their head ("arbejde" in "samarbejde").
COMPOUND_WORDS = frozenset(
    """
    adfærd barn bibliotek borger bæredygtighed certificering dag deling design eksperiment erfaring festival folk
    forandring formidling forløb forskning gang gruppe ide idé inspiration interview konference kompetence kort kursus
    landskab leder ledelse medarbejder metode motivation mål møde netværk opgave personale plan proces projekt
    psykologi reform runde samarbejde skabelon skole spor tema trivsel tænkning uddannelse udstilling udvikling
    verden viden videnskab værksted værktøj webinar
    """.split()  # noqa: SIM905 - a word list reads best as text
)
MIN_COMPOUND_LENGTH = 7
MIN_PART_LENGTH = 4  # the first part of a compound
MAX_HEAD_ENDING = 4  # letters of inflection after a head word: "-erne", "-ene", "-et"

WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")

_stemmer = snowballstemmer.stemmer("danish")


# --- Words -----------------------------------------------------------------------------------------------------


def clean(text: str) -> str:
    """The text without control and invisible formatting characters, in Unicode NFC."""
    return CONTROL_RE.sub(" ", unicodedata.normalize("NFC", text or ""))


def normalise(text: str) -> str:
    """Lower case, NFC, no control characters, "aa" read as "å"."""
    return clean(text).casefold().replace("aa", "å")


def words(text: str) -> list[str]:
    """The normalised words of a text: letters and digits only, so no search syntax survives."""
    return WORD_RE.findall(normalise(text))


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The Danish Snowball stem of a normalised word, after the irregular words are mapped."""
    return _stemmer.stemWord(IRREGULAR.get(word, word))


def _head_word(head: str) -> str | None:
    for end in range(len(head), max(len(head) - MAX_HEAD_ENDING, 0) - 1, -1):
        if head[:end] in COMPOUND_WORDS:
            return head[:end]
    return None


def _is_lexicon_word(part: str) -> bool:
    return part in COMPOUND_WORDS or (part[-1:] in ("s", "e") and part[:-1] in COMPOUND_WORDS)


@lru_cache(maxsize=1)
def _lexicon_stems() -> frozenset[str]:
    return frozenset(stem(word) for word in COMPOUND_WORDS)


@lru_cache(maxsize=50_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """The parts of a compound as normalised words, or () when it is not one: "skolesamarbejdet" -> skole, samarbejdet.
    The longest head that is a lexicon word wins, else a first part that is one, which is split again; an inflected
    lexicon word is not a compound."""
    if len(word) < MIN_COMPOUND_LENGTH or not word.isalpha() or stem(word) in _lexicon_stems():
        return ()
    splits = [(word[:i], word[i:]) for i in range(MIN_PART_LENGTH, len(word) - 2)]
    for modifier, head in splits:
        if _head_word(head):
            return (modifier, head, *compound_parts(modifier))
    for modifier, head in splits:
        if _is_lexicon_word(modifier) and len(head) >= MIN_PART_LENGTH:
            return (modifier, head, *compound_parts(modifier))
    return ()


def derived_base(word: str) -> str | None:
    """The noun an adjective is made from ("psykologiske" -> "psykolog"), or None."""
    match = DERIVED.match(word)
    return match.group(1) if match else None


def extra_words(word: str) -> list[str]:
    """What is indexed with a word besides itself: its compound parts, and the noun an adjective is made from."""
    extra = list(compound_parts(word))
    base = derived_base(word)
    if base:
        extra.append(base)
    return extra


# --- The index side --------------------------------------------------------------------------------------------


def index_terms(text: str) -> list[str]:
    """The stems to index for a text (SQLite): each word's stem, then the stems of its compound parts."""
    terms = []
    for word in words(text):
        terms.append(stem(word))
        terms.extend(stem(part) for part in extra_words(word))
    return terms


def index_text(text: str) -> str:
    """The text as the SQLite index stores it: stems separated by spaces."""
    return " ".join(index_terms(text))


def surface_index_text(text: str) -> str:
    """The text for a backend that stems itself (PostgreSQL `danish`): normalised, irregular words mapped,
    compounds followed by their parts. Stemming it twice would over-stem, so the words stay whole."""
    out = []
    for word in words(text):
        out.append(IRREGULAR.get(word, word))
        out.extend(IRREGULAR.get(part, part) for part in extra_words(word))
    return " ".join(out)


# --- The query side --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One word of a query: its normalised form, its stem, and its compound parts (word and stem)."""

    word: str
    stem: str
    parts: tuple[str, ...] = ()
    part_stems: tuple[str, ...] = field(default=())

    @property
    def surface(self) -> str:
        """The word as a backend that stems itself should get it."""
        return IRREGULAR.get(self.word, self.word)

    @property
    def surface_parts(self) -> tuple[str, ...]:
        return tuple(IRREGULAR.get(part, part) for part in self.parts)

    @property
    def stems(self) -> frozenset[str]:
        """Every stem this term matches in a text: its own, and those of its parts."""
        return frozenset((self.stem, *self.part_stems))


def query_terms(text: str, *, max_terms: int = 12) -> list[Term]:
    """The terms of a query: operators and stop words dropped, duplicates removed, at most `max_terms`.

    Single letters are dropped too ("FN's" is "fn"); numbers are kept ("17 mål").
    """
    raw = [w for w in WORD_RE.findall(clean(text)) if w not in OPERATOR_WORDS]
    terms: dict[str, Term] = {}
    for word in WORD_RE.findall(normalise(" ".join(raw))):
        if word in STOP_WORDS or (len(word) < 2 and not word.isdigit()):
            continue
        key = stem(word)
        if key not in terms:
            # Only the two top-level parts: a query word means the compound or both of its halves.
            parts = compound_parts(word)[:2]
            terms[key] = Term(word, key, parts, tuple(stem(p) for p in parts))
    return list(terms.values())[:max_terms]


def prefix_words(text: str, *, max_terms: int = 8) -> list[str]:
    """The normalised words of an autocomplete query (no stemming: the last one is a prefix)."""
    raw = [w for w in WORD_RE.findall(clean(text)) if w not in OPERATOR_WORDS]
    return WORD_RE.findall(normalise(" ".join(raw)))[:max_terms]


# --- Elasticsearch ---------------------------------------------------------------------------------------------


def elasticsearch_analysis() -> dict:
    """Index settings for Elasticsearch: the same Danish pipeline as an analyzer, made the index's default (its
    decompounder finds lexicon words anywhere in a word, a little more eagerly than `compound_parts`)."""
    irregular_rules = [f"{word} => {stem(word)}" for word in sorted(IRREGULAR)]
    return {
        "analysis": {
            "filter": {
                "danish_stop": {"type": "stop", "stopwords": "_danish_"},
                "danish_stemmer": {"type": "stemmer", "language": "danish"},
                "aa_to_aring": {"type": "pattern_replace", "pattern": "aa", "replacement": "å"},
                "danish_compounds": {
                    "type": "dictionary_decompounder",
                    "word_list": sorted(COMPOUND_WORDS),
                    "min_word_size": MIN_COMPOUND_LENGTH,
                    "min_subword_size": 3,
                    "only_longest_match": True,
                },
                # The noun of an adjective beside the adjective, as `derived_base` gives it.
                "danish_derived": {"type": "pattern_capture", "preserve_original": True, "patterns": [DERIVED_PATTERN]},
                "danish_irregular": {"type": "stemmer_override", "rules": irregular_rules},
            },
            "analyzer": {
                "default": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": [
                        "lowercase",
                        "aa_to_aring",
                        "danish_stop",
                        "danish_compounds",
                        "danish_derived",
                        "danish_irregular",
                        "danish_stemmer",
                    ],
                },
            },
        }
    }
