"""Suggestions for the search box: matching themes first, then pages by the start of their title, then by the search."""

from __future__ import annotations

import logging

from django.db import DatabaseError
from django.urls import reverse
from django.utils.translation import gettext as _

from network.models import Theme

from . import analysis
from .query import SearchParams, querystring
from .ranking import guarded
from .scope import content_types, kind_labels, searchable_pages

logger = logging.getLogger(__name__)

AUTOCOMPLETE_LIMIT = 8


def autocomplete(q: str, *, limit: int = AUTOCOMPLETE_LIMIT) -> list[dict]:
    """Suggestions for what was typed: at most two themes, then pages whose title starts with it, then pages the full
    search finds. Title, URL and kind; at most `limit`."""
    text = " ".join(analysis.clean(q or "").split())[:100]
    words = analysis.prefix_words(text)
    if not words or len("".join(words)) < 2:
        return []
    labels = kind_labels()
    kind_by_ct = {ct: kind for kind, ct in content_types().items()}
    suggestions: list[dict] = []
    for theme in Theme.objects.order_by("name"):
        names = [" ".join(analysis.words(name)) for name in (theme.name, *theme.synonym_list)]
        if any(_starts_words(name, words) for name in names):
            suggestions.append({
                "title": theme.name,
                "url": f"{reverse('search')}?{querystring(SearchParams(), theme=[theme.slug])}",
                "kind": "theme",
                "kind_label": _("Tema"),
            })  # fmt: skip
        if len(suggestions) >= 2:
            break
    seen: set[int] = set()
    pages = []
    fields = ("id", "title", "url_path", "content_type_id")
    try:
        with guarded():
            pages.extend(searchable_pages().only(*fields).autocomplete(text)[:limit])
            if len(pages) < limit and analysis.query_terms(text):
                pages.extend(searchable_pages().only(*fields).search(text)[:limit])
    except DatabaseError:
        logger.exception("Autocomplete failed for %r", text)
    for page in pages:
        if page.pk in seen or len(suggestions) >= limit:
            continue
        seen.add(page.pk)
        kind = kind_by_ct.get(page.content_type_id, "")
        suggestions.append(
            {"title": page.title, "url": page.get_url(), "kind": kind, "kind_label": labels.get(kind, "")}
        )
    return suggestions[:limit]


def _starts_words(name: str, words: list[str]) -> bool:
    """Every typed word is a word of the name, the last one as a prefix: "verdens" -> "verdensmål"."""
    name_words = name.split()
    *whole, prefix = words
    return all(word in name_words for word in whole) and any(w.startswith(prefix) for w in name_words)
