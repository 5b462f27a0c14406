"""Reading a search request: the free text made safe, and the listings' filters under the listings' names.

Nothing here raises on bad input: what cannot be used is dropped, and a short Danish message says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext as _

from network.filters import parse_kinds, parse_page, parse_themes
from network.models import Region, Theme

from . import analysis

MAX_QUERY_LENGTH = 200
MAX_FILTER_VALUES = 10
SORTS = ("relevance", "date")
WHENS = ("all", "upcoming", "past")
FILTER_PARAMS = ("q", "theme", "type", "when", "region", "sort")
# Characters and words that mean something in some search syntax; here they are only noted and ignored.
# A hyphen or apostrophe inside a word ("A-Z-konference", "FN's") is ordinary Danish and not noted.
SYNTAX_RE = re.compile(r"[\"*^:()\[\]{}~|&!<>=\\]|(?:^|\s)[-+']|'(?:\s|$)|\b(?:AND|OR|NOT|NEAR)\b")


@dataclass
class SearchParams:
    q: str = ""
    terms: list[analysis.Term] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    when: str = "all"
    region: str = ""
    sort: str = "relevance"
    page: int = 1
    asked: bool = False  # something was typed, even if nothing of it could be used
    messages: list[str] = field(default_factory=list)

    @property
    def has_filters(self) -> bool:
        return bool(self.themes or self.kinds or self.region or self.when != "all")

    @property
    def active_count(self) -> int:
        """How many filters are chosen (the text is the search, not a filter), for the "Filtrér (N)" button."""
        return len(self.themes) + len(self.kinds) + bool(self.region) + (self.when != "all")

    @property
    def is_empty(self) -> bool:
        """Nothing asked yet: no text and no filter."""
        return not self.asked and not self.has_filters

    @property
    def stems(self) -> frozenset[str]:
        """Every stem a text may contain to count as a match (for highlighting)."""
        return frozenset().union(*(term.stems for term in self.terms)) if self.terms else frozenset()


def clean_query(raw: str, messages: list[str]) -> str:
    """The text as we search it: no control characters, single spaces, at most MAX_QUERY_LENGTH characters."""
    text = " ".join(analysis.clean(raw).split())
    if len(text) > MAX_QUERY_LENGTH:
        messages.append(_("Søgeteksten var for lang og er forkortet til %(n)s tegn.") % {"n": MAX_QUERY_LENGTH})
        text = text[:MAX_QUERY_LENGTH].rstrip()
    return text


def parse_search_params(params: QueryDict, *, kinds: dict[str, str], themes: list[Theme]) -> SearchParams:
    """Read the GET parameters. `kinds` maps each allowed `type` value to its label."""
    result = SearchParams()
    messages = result.messages

    raw_q = params.get("q", "")
    result.asked = bool(raw_q.strip())
    result.q = clean_query(raw_q, messages)
    if result.asked:
        result.terms = analysis.query_terms(result.q)
        if not result.terms:
            messages.append(
                _("Søgningen indeholder ingen ord, der kan søges på. Skriv fx et tema, et sted eller en titel.")
            )
        elif SYNTAX_RE.search(result.q):
            messages.append(
                _("Tegn som anførselstegn, parenteser, * og - og ord som AND og OR bruges ikke. Der søges på ordene.")
            )

    result.themes = parse_themes(params, themes, messages, limit=MAX_FILTER_VALUES)
    unknown = _("Typen «%(kind)s» findes ikke. Den er sprunget over.")
    result.kinds = parse_kinds(params, kinds, messages, unknown=unknown, limit=MAX_FILTER_VALUES)

    when = params.get("when", "").strip() or "all"
    if when in WHENS:
        result.when = when
    else:
        messages.append(_("«%(when)s» er ikke et gyldigt tidspunkt. Viser alle.") % {"when": when[:30]})

    region = params.get("region", "").strip()
    if region in Region.values:
        result.region = region
    elif region:
        messages.append(_("Regionen «%(region)s» findes ikke. Den er sprunget over.") % {"region": region[:30]})

    default_sort = "relevance" if result.terms else "date"
    sort = params.get("sort", "").strip() or default_sort
    if sort not in SORTS:
        messages.append(_("Sorteringen «%(sort)s» findes ikke. Sorterer efter relevans.") % {"sort": sort[:30]})
        sort = default_sort
    # Without words to rank by, relevance means nothing: the newest first.
    result.sort = sort if result.terms else "date"

    result.page = parse_page(params, messages)
    return result


def querystring(params: SearchParams, **changes) -> str:
    """The URL query for these parameters, with `changes` applied (a list value replaces, None removes)."""
    data = {
        "q": params.q,
        "theme": [t.slug for t in params.themes],
        "type": list(params.kinds),
        "when": params.when if params.when != "all" else "",
        "region": params.region,
        "sort": params.sort if params.terms and params.sort != "relevance" else "",
    }
    data.update(changes)
    query = QueryDict(mutable=True)
    for name in FILTER_PARAMS + ("page",):
        value = data.get(name)
        if value is None or value == "" or value == []:
            continue
        query.setlist(name, [str(v) for v in value] if isinstance(value, list) else [str(value)])
    return query.urlencode()
