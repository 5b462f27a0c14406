"""Did you mean ("Mente du …?"): for a query word the site's words do not hold, the closest word they do hold.

The vocabulary is the words of what the search covers (titles and introductions of the live public pages, and the
themes with their synonyms), counted once per content generation and kept in the cache, so it is the same on every
backend and costs nothing until a search finds too little.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache

from network.caching import TTL, cache_key, content_generation
from network.models import InitiativePage, OfferingPage, Theme, WorkingGroupPage

from . import analysis
from .query import SearchParams

MIN_WORD_LENGTH = 4  # shorter words are too close to too many others to be worth suggesting
CUTOFF = 0.8  # difflib's ratio: "bæredygtihed" to "bæredygtighed" is 0.96, "trivsel" to "travel" 0.77
MAX_LENGTH_DIFFERENCE = 2


@dataclass(frozen=True)
class Vocabulary:
    counts: dict[str, int]  # normalised word -> how often the site uses it
    stems: frozenset[str]  # the stems of those words and of their compound parts

    def knows(self, term: analysis.Term) -> bool:
        return term.stem in self.stems or (bool(term.part_stems) and self.stems.issuperset(term.part_stems))

    def closest(self, word: str) -> str | None:
        """The most used of the words closest to `word`, of the same first letter and about its length."""
        candidates = [
            known
            for known in self.counts
            if known[0] == word[0] and abs(len(known) - len(word)) <= MAX_LENGTH_DIFFERENCE and known != word
        ]
        close = difflib.get_close_matches(word, candidates, n=3, cutoff=CUTOFF)
        if not close:
            return None
        return max(close, key=lambda known: (difflib.SequenceMatcher(None, word, known).ratio(), self.counts[known]))


def vocabulary() -> Vocabulary:
    """The site's words, from the cache or counted anew (three queries)."""
    key = cache_key("search-vocabulary", content_generation())
    found = cache.get(key)
    if found is None:
        found = _count_words()
        cache.set(key, found, TTL)
    return found


def _count_words() -> Vocabulary:
    counts: Counter[str] = Counter()
    for model in (OfferingPage, WorkingGroupPage, InitiativePage):
        for title, intro in model.objects.live().public().values_list("title", "intro").iterator():
            counts.update(analysis.words(f"{title} {intro}"))
    for name, synonyms in Theme.objects.values_list("name", "synonyms"):
        counts.update(analysis.words(f"{name} {synonyms}"))
    kept = {
        word: n
        for word, n in counts.items()
        if len(word) >= MIN_WORD_LENGTH and word.isalpha() and word not in analysis.STOP_WORDS
    }
    stems = set()
    for word in kept:
        stems.add(analysis.stem(word))
        stems.update(analysis.stem(part) for part in analysis.compound_parts(word))
    return Vocabulary(kept, frozenset(stems))


def did_you_mean(params: SearchParams) -> str | None:
    """The query with each word the site does not know replaced by its closest known word, or None."""
    if not params.terms:
        return None
    known = vocabulary()
    corrections = {}
    for term in params.terms:
        if len(term.word) < MIN_WORD_LENGTH or not term.word.isalpha() or known.knows(term):
            continue
        if closest := known.closest(term.word):
            corrections[term.word] = closest
    if not corrections:
        return None

    def replace(match: re.Match) -> str:
        typed = match.group(0)
        better = corrections.get(analysis.normalise(typed))
        if better is None:
            return typed
        return better.capitalize() if typed[:1].isupper() else better

    return analysis.WORD_RE.sub(replace, params.q)
