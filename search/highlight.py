"""Highlighting: the words of a text whose stem, or a compound part's, is among the query's stems, marked with <mark>,
and a snippet around the first. From the page's own fields: the same on every backend, and no query."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from . import analysis

TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
SNIPPET_WORDS = 32
WORDS_BEFORE = 8
ELLIPSIS = "…"


def word_matches(word: str, stems: frozenset[str]) -> bool:
    return not stems.isdisjoint(word_stems(word))


@lru_cache(maxsize=50_000)
def word_stems(word: str) -> frozenset[str]:
    """The stems a word of a text matches by: its own, its compound parts' and an adjective's noun (once per word)."""
    normalised = analysis.normalise(word)
    parts = analysis.extra_words(normalised)
    return frozenset((analysis.stem(normalised), *(analysis.stem(part) for part in parts)))


def highlight(text: str, stems: frozenset[str]) -> SafeString:
    """The text, escaped, with matching words in <mark>."""
    text = text or ""
    if not stems:
        return mark_safe(escape(text))  # noqa: S308 - escaped
    out, last = [], 0
    for match in TOKEN_RE.finditer(text):
        if word_matches(match.group(), stems):
            out.append(escape(text[last : match.start()]))
            out.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped


def plain_text(value: str) -> str:
    """Text from HTML (rich text): tags removed, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(strip_tags(value or "")).split())


def snippet(
    texts: Iterable[str], stems: frozenset[str], *, words: int = SNIPPET_WORDS, html: bool = True
) -> SafeString | None:
    """About `words` words around the first match in the first text that has one, highlighted; None if no match.
    `html`: the texts are HTML (rich text), made plain first; else they are plain text already (`plain_text`)."""
    if not stems:
        return None
    for text in texts:
        text = plain_text(text) if html else " ".join(text.split())
        if not text:
            continue
        tokens = text.split(" ")
        for i, token in enumerate(tokens):
            if any(word_matches(m.group(), stems) for m in TOKEN_RE.finditer(token)):
                start = max(0, i - WORDS_BEFORE)
                end = min(len(tokens), start + words)
                start = max(0, end - words)
                piece = " ".join(tokens[start:end])
                prefix = ELLIPSIS + " " if start > 0 else ""
                suffix = " " + ELLIPSIS if end < len(tokens) else ""
                return mark_safe(escape(prefix) + highlight(piece, stems) + escape(suffix))  # noqa: S308
    return None


def stream_text(raw_data) -> list[str]:
    """The text in a StreamField's raw data (block values, not types or ids), without rendering it."""
    texts: list[str] = []

    def walk(value):
        if isinstance(value, str):
            if value and not value.startswith(("http://", "https://", "mailto:")):
                texts.append(value)
        elif isinstance(value, dict):
            if "type" in value and "value" in value:
                walk(value["value"])
            else:
                for key, item in value.items():
                    if key not in ("id", "type"):
                        walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(list(raw_data or []))
    return texts
