"""A webinar's captions (WebVTT): parsed and checked when the coordinator saves them, then kept as cues (start in
seconds, text) for the transcript on the page and the search snippet, and as plain text for the search index."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

# A two-hour webinar's captions are some 150 kB: ten times that is no caption file.
MAX_BYTES = 1_000_000
MAX_SIZE_LABEL = "1 MB"

# webvtt-py skips a cue whose timing it cannot read; a timing line must therefore match this before it parses.
TIMESTAMP = r"(?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3}"
TIMING_RE = re.compile(rf"^({TIMESTAMP})[ \t]+-->[ \t]+({TIMESTAMP})(?:[ \t].*)?$")


@dataclass(frozen=True)
class Cue:
    start: int  # whole seconds from the start of the recording
    text: str

    def as_json(self) -> dict:
        return {"start": self.start, "text": self.text}


def invalid(reason) -> ValidationError:
    return ValidationError(
        _("Filen er ikke en gyldig WebVTT-undertekstfil: %(reason)s"), code="invalid_webvtt", params={"reason": reason}
    )


def parse_captions(text: str) -> list[Cue]:
    """The cues of a WebVTT text, in order, without empty ones; ValidationError with a Danish message when the text
    is not WebVTT, has a timing that is not one, or has no text with a time."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise invalid(_("den er større end %(size)s.") % {"size": MAX_SIZE_LABEL})
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise invalid(_("den er tom."))
    if not text.startswith("WEBVTT"):
        raise invalid(_("den skal begynde med WEBVTT."))
    timings = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if "-->" not in line:
            continue
        match = TIMING_RE.match(line.strip())
        if not match:
            reason = _("linje %(line)s har en ugyldig tidsangivelse: %(text)s")
            raise invalid(reason % {"line": number, "text": line.strip()[:80]})
        if _seconds(match.group(2)) < _seconds(match.group(1)):
            raise invalid(_("i linje %(line)s slutter teksten, før den begynder.") % {"line": number})
        timings += 1
    try:
        captions = webvtt.from_string(text).captions
    except (MalformedFileError, MalformedCaptionError) as error:
        raise invalid(_("den kan ikke læses (%(error)s).") % {"error": error}) from error
    if len(captions) != timings:  # a cue the library read differently from the lines checked above
        raise invalid(_("nogle tidsangivelser kan ikke læses."))
    cues = [Cue(start=int(caption.start_in_seconds), text=" ".join(caption.text.split())) for caption in captions]
    cues = [cue for cue in cues if cue.text]
    if not cues:
        raise invalid(_("den indeholder ingen tekst med tidsangivelse."))
    return cues


def _seconds(timestamp: str) -> float:
    parts = [float(part) for part in timestamp.split(":")]
    return sum(part * 60**power for power, part in enumerate(reversed(parts)))


def moment_label(seconds: int) -> str:
    """12:40, or 1:02:05 past the first hour."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def moment_url(recording_url: str, seconds: int) -> str:
    """The recording at that moment: YouTube's t=760s, Vimeo's #t=760s, else the media fragment #t=760 that a browser
    playing a video file understands."""
    parts = urlsplit(recording_url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    seconds = int(seconds)
    if host in ("youtube.com", "youtu.be"):
        query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != "t"]
        query.append(("t", f"{seconds}s"))
        return urlunsplit(parts._replace(query=urlencode(query), fragment=""))
    if host in ("vimeo.com", "player.vimeo.com"):
        return urlunsplit(parts._replace(fragment=f"t={seconds}s"))
    return urlunsplit(parts._replace(fragment=f"t={seconds}"))
