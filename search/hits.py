"""The results of a page of the search: each page with what its result shows, its snippet cut from its own fields."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from wagtail.fields import StreamField
from wagtail.models import Page

from events.models import CourseSession
from network.caching import TTL, cache_key, content_generation
from network.models import PageTheme, Theme
from webinars.captions import moment_label, moment_url

from . import analysis
from .highlight import highlight, plain_text, snippet, stream_text, word_matches
from .scope import search_kinds


@dataclass
class Hit:
    page: Page  # the specific page, without its StreamFields or related objects
    organiser: str  # the organiser's name, or ""
    kind: str
    kind_label: str
    title: SafeString
    snippet: SafeString | None
    themes: list[tuple[Theme, bool]]  # (theme, matched the query)
    moment: Moment | None = None  # when the snippet is a line of a transcript: its time


@dataclass
class Moment:
    """The time of a transcript's line that a snippet shows: "12:40", the recording at that moment (or "" when there
    is no recording) and the line's anchor on the page."""

    label: str
    url: str
    anchor: str


@dataclass
class HitPage:
    """What a result shows of a page, whatever was searched for: kept in the cache (see `hit_pages`)."""

    page: Page  # the specific page alone: its StreamFields deferred, no related objects (those it shows are below)
    texts: list[str]  # the plain texts a snippet is cut from, in order
    theme_ids: list[int]
    organiser: str  # the organiser's name, or ""
    # A webinar's transcript lines as (start in seconds, text), tried after the first `cues_after` texts (the intro):
    # a snippet from them shows the line's time. Defaults, so an entry cached before they existed still reads.
    cues: list[tuple[int, str]] = field(default_factory=list)
    cues_after: int = 0


def build_hits(page_ids: list[int], stems: frozenset[str], labels: dict[str, str], themes: list[Theme]) -> list[Hit]:
    """The results for these page ids, in their order, in a fixed number of queries (`themes`: every theme, by name;
    `labels`: kind -> label)."""
    if not page_ids:
        return []
    kind_by_model = {model: kind for kind, model in search_kinds().items()}
    found = hit_pages(page_ids)
    theme_matches = {  # whether the query names the theme: once per theme, not once per hit
        theme.pk: any(_text_matches(text, stems) for text in (theme.name, *theme.synonym_list)) for theme in themes
    }
    result = []
    for hit_page in (found[pk] for pk in page_ids if pk in found):
        page = hit_page.page
        kind = kind_by_model.get(type(page), "")
        matched_themes = [(theme, theme_matches[theme.pk]) for theme in themes if theme.pk in hit_page.theme_ids]
        text, moment = _snippet(hit_page, stems, matched_themes)
        result.append(
            Hit(
                page=page,
                organiser=hit_page.organiser,
                kind=kind,
                kind_label=labels.get(kind, capfirst(str(page._meta.verbose_name))),
                title=highlight(page.title, stems),
                snippet=text,
                themes=matched_themes,
                moment=moment,
            )
        )
    return result


def hit_pages(page_ids: list[int]) -> dict[int, HitPage]:
    """The pages of `page_ids` with what a hit shows, each cached and keyed like an offering card: a page of hits
    shown before costs one query."""
    base = list(Page.objects.filter(pk__in=page_ids).only("content_type_id", "last_published_at", "latest_revision_id"))
    generation = content_generation()
    keys = {
        page.pk: cache_key("search-hit", generation, page.pk, page.content_type_id, page.last_published_at,
                           page.latest_revision_id)
        for page in base
    }  # fmt: skip
    found = cache.get_many(list(keys.values()))
    cached = {pk: found[key] for pk, key in keys.items() if key in found}
    wanted: dict[type[Page], list[int]] = {}
    for page in base:
        if page.pk not in cached:
            wanted.setdefault(page.specific_class or Page, []).append(page.pk)
    if not wanted:
        return cached
    fresh, bodies = [], {}
    for model, ids in wanted.items():
        queryset = model.objects.filter(pk__in=ids)
        if any(field.name == "body" and isinstance(field, StreamField) for field in model._meta.concrete_fields):
            bodies.update(queryset.values_list("pk", "body"))
        fresh.extend(queryset.defer_streamfields())
    theme_ids: dict[int, list[int]] = {page.pk: [] for page in fresh}
    for page_id, theme_id in PageTheme.objects.filter(content_object_id__in=theme_ids).values_list(
        "content_object_id", "tag_id"
    ):
        theme_ids[page_id].append(theme_id)
    organiser_ids = {getattr(page, "organiser_id", None) for page in fresh} - {None}
    organisers = dict(Page.objects.filter(pk__in=organiser_ids).values_list("pk", "title")) if organiser_ids else {}
    sessions = _course_sessions([page for page in fresh if hasattr(page, "sessions")])
    made = {
        page.pk: HitPage(
            page,
            _snippet_texts(page, bodies.get(page.pk), sessions.get(page.pk, [])),
            theme_ids[page.pk],
            organisers.get(getattr(page, "organiser_id", None), ""),
            cues=_cues(page),
            cues_after=1 if plain_text(getattr(page, "intro", "")) else 0,
        )
        for page in fresh
    }
    cache.set_many({keys[pk]: hit_page for pk, hit_page in made.items()}, TTL)
    return cached | made


def _text_matches(text: str, stems: frozenset[str]) -> bool:
    return bool(stems) and any(word_matches(word, stems) for word in analysis.WORD_RE.findall(text))


def _course_sessions(courses: list) -> dict[int, list]:
    """The sessions of the courses by page id, in their order, in one query (not attached to the pages, which are
    cached alone)."""
    if not courses:
        return {}
    sessions: dict[int, list] = {}
    for session in CourseSession.objects.filter(page__in=courses):
        sessions.setdefault(session.page_id, []).append(session)
    return sessions


def _cues(page) -> list[tuple[int, str]]:
    return [(int(cue["start"]), str(cue["text"])) for cue in getattr(page, "transcript_cues", None) or []]


def _snippet_texts(page, body, sessions: list) -> list[str]:
    """The page's texts a snippet may be cut from, as plain text: intro, transcript (unless it has timed lines, see
    `_cues`) or purpose, body, a course's sessions, venue."""
    sources = [getattr(page, "intro", "")]
    if not getattr(page, "transcript_cues", None):
        sources.append(getattr(page, "transcript", "") or "")
    sources.append(getattr(page, "purpose", "") or "")
    if body is not None:
        sources.extend(stream_text(getattr(body, "raw_data", [])))
    for session in sessions:
        sources.extend((session.title, session.goals, session.description, session.venue_name, session.city))
    for name in ("venue_name", "city"):
        sources.append(getattr(page, name, "") or "")
    return [text for text in map(plain_text, sources) if text]


def _snippet(hit_page: HitPage, stems: frozenset[str], matched_themes) -> tuple[SafeString | None, Moment | None]:
    """Around the first match in the page's texts, a transcript's line with its time in its place among them; else
    the intro, the page's own text; else the theme the query named (a page without an intro); else nothing."""
    lead, rest = hit_page.texts[: hit_page.cues_after], hit_page.texts[hit_page.cues_after :]
    found = snippet(lead, stems, html=False)
    if found:
        return found, None
    for number, (start, text) in enumerate(hit_page.cues, start=1):
        found = snippet([text], stems, html=False)
        if found:
            recording = getattr(hit_page.page, "recording_url", "")
            url = moment_url(recording, start) if recording else ""
            return found, Moment(label=moment_label(start), url=url, anchor=f"udskrift-{number}")
    found = snippet(rest, stems, html=False)
    if found:
        return found, None
    intro = plain_text(getattr(hit_page.page, "intro", ""))
    if intro:
        return highlight(intro, stems), None
    for theme, matched in matched_themes:
        if matched:
            names = [name for name in theme.synonym_list if _text_matches(name, stems)]
            label = _("Tema: %(theme)s") % {"theme": theme.name}
            if names:
                label += " (" + _("også kaldt %(names)s") % {"names": ", ".join(names)} + ")"
            return highlight(label, stems), None
    return None, None
