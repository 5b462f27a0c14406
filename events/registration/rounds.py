"""Who may register for an offering at one moment, from its registration rounds: the one read behind the rule
(`rules.check_open`), the words on the offering page and the form, the marks in the form's library list and the
"tell me when it opens" requests, so what is said and what is enforced never disagree."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.utils import dateformat
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from network.dates import format_range, local
from network.models import Library, LibraryGroup, OfferingPage

from .models import EligibilityRound
from .selectors import offering_closes_at, offering_first_opening


def short_day(when: dt.datetime) -> str:
    """ "8. december" (English: "8 December"): the mark of a library in the form's list."""
    english = (get_language() or "da").startswith("en")
    return dateformat.format(local(when), "j F" if english else "j. F")


@dataclasses.dataclass(frozen=True)
class RoundsState:
    """Where the rounds stand at `now` (before the deadline: after it nobody may register, whatever the rounds)."""

    now: dt.datetime
    rounds: list[EligibilityRound]
    opens_at: dt.datetime | None  # the first opening (None: open from the start)
    open_to_all: bool  # every library may register now
    groups_now: list[LibraryGroup]  # the groups that may register now, when not every library may
    all_from: dt.datetime | None  # when every library may register, when that is later
    closes_at: dt.datetime

    @property
    def has_rounds(self) -> bool:
        return bool(self.rounds)

    @property
    def is_open(self) -> bool:
        return (self.opens_at is None or self.now >= self.opens_at) and self.now < self.closes_at

    @property
    def restricted(self) -> bool:
        """Open, but only to some libraries."""
        return self.is_open and not self.open_to_all

    @property
    def phase(self) -> int:
        """How many rounds have opened: part of the cache keys of what the form shows."""
        return sum(r.opens_at <= self.now for r in self.rounds)

    @property
    def group_ids_now(self) -> set[int]:
        return {group.pk for group in self.groups_now}

    def opens_for(self, group_ids: set[int]) -> dt.datetime | None:
        """When a library in `group_ids` may register: now or earlier, a round ahead, or None (never)."""
        if not self.rounds:
            return self.opens_at or self.now
        times = [r.opens_at for r in self.rounds if r.library_group_id is None or r.library_group_id in group_ids]
        return min(times) if times else None

    def upcoming_groups(self) -> list[LibraryGroup]:
        """The groups whose round opens first, when nobody may register yet."""
        if not self.rounds or self.opens_at is None:
            return []
        return [r.library_group for r in self.rounds if r.opens_at == self.opens_at and r.library_group is not None]

    def summary(self) -> str:
        """One sentence on who may register now and when the next round opens; empty when it is open to all or shut:
        "Lige nu: kun Certificeringsbiblioteker; alle biblioteker fra 8. december 2026 kl. 9.00"."""
        if self.now >= self.closes_at or (self.open_to_all and self.is_open):
            return ""
        later = (
            _("alle biblioteker fra %(when)s") % {"when": format_range(self.all_from)}
            if self.all_from and self.all_from > self.now
            else ""
        )
        if not self.is_open:
            names = ", ".join(group.name for group in self.upcoming_groups())
            if not names:
                return ""  # open to every library at once: the page's "Tilmeldingen åbner ..." says it
            when = format_range(self.opens_at)
            text = _("Tilmeldingen åbner %(when)s for %(groups)s") % {"when": when, "groups": names}
        else:
            names = ", ".join(group.name for group in self.groups_now)
            text = _("Lige nu: kun %(groups)s") % {"groups": names}
        return f"{text}; {later}" if later else text


def offering_rounds_state(
    *, offering: OfferingPage, now: dt.datetime, rounds: list[EligibilityRound] | None = None
) -> RoundsState:
    """The rounds' state; reads the rounds (with their groups) once, unless the caller has prefetched them."""
    if rounds is None:
        prefetched = "registration_rounds" in getattr(offering, "_prefetched_objects_cache", {})
        rounds = offering.registration_rounds.all()
        rounds = list(rounds if prefetched else rounds.select_related("library_group"))
    opens = offering_first_opening(offering=offering, rounds=rounds)
    open_rounds = [r for r in rounds if r.opens_at <= now]
    open_to_all = not rounds or any(r.library_group_id is None for r in open_rounds)
    groups_now = [] if open_to_all else [r.library_group for r in open_rounds]
    later_all = sorted(r.opens_at for r in rounds if r.opens_at > now and r.library_group_id is None)
    return RoundsState(
        now=now,
        rounds=rounds,
        opens_at=opens,
        open_to_all=open_to_all,
        groups_now=groups_now,
        all_from=later_all[0] if later_all and not open_to_all else None,
        closes_at=offering_closes_at(offering=offering),
    )


def library_may_register(*, state: RoundsState, library: Library) -> bool:
    """Whether the rounds let `library` register now (the rule's part about rounds; one query when restricted)."""
    if state.open_to_all:
        return True
    return library.groups.filter(pk__in=state.group_ids_now).exists()


def library_openings(*, state: RoundsState) -> dict[int, dt.datetime | None]:
    """library pk → when it may register (None: no round lets it), for the form's list while registration is
    restricted to some groups; empty when every library may. One query."""
    if state.open_to_all and state.is_open:
        return {}
    memberships: dict[int, set[int]] = {}
    for library_id, group_id in Library.objects.values_list("pk", "groups"):
        memberships.setdefault(library_id, set()).update({group_id} if group_id else set())
    return {pk: state.opens_for(groups) for pk, groups in memberships.items()}
