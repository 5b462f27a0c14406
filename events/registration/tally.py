"""The tallies of confirmed participants the dashboard (`ConfirmedTally`) and the registrations overview
(`OfferingTally`) read: kept in step with the participants.

Every change that makes a participant confirmed or takes the status away calls `tally_change` in its own
transaction, with +1 or -1 per participant; the counts are changed in place (`n = n + delta`), so two changes at once
both count. What moves a participant to another cell without changing them (their offering's themes, on publish) is
counted again for the cells it touches (`tally_offering_recount`); `tally_rebuild` makes the whole tally anew.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from network.models import PageTheme

from .models import ConfirmedTally, OfferingTally, Participant, ParticipantStatus, Registration, TallyKind
from .stats import add_months, local_midnight

# (month, library pk, kind, theme pk or None)
Key = tuple[dt.date, int, str, int | None]
BATCH = 2_000
UPDATE_KEYS = 200  # keys per UPDATE: see _add


def tally_month(moment: dt.datetime) -> dt.date:
    """The first day of the Copenhagen month of `moment`: the dashboard's months run between local midnights."""
    return timezone.localtime(moment).date().replace(day=1)


def _themes(offering_ids: Iterable[int] | None) -> dict[int, set[int]]:
    """Offering pk → its themes' pks, for the given offerings (None: every page with a theme)."""
    themes: dict[int, set[int]] = defaultdict(set)
    links = (
        PageTheme.objects.all()
        if offering_ids is None
        else PageTheme.objects.filter(content_object_id__in=set(offering_ids))
    )
    rows = links.values_list("content_object_id", "tag_id").order_by()
    for offering_id, theme_id in rows:
        themes[offering_id].add(theme_id)
    return themes


def _count(rows: Iterable[tuple[dt.datetime, int, int]], themes: dict[int, set[int]]) -> Counter[Key]:
    """(queued_at, library pk, offering pk) per confirmed participant → the tally's rows and their counts."""
    counts: Counter[Key] = Counter()
    for queued_at, library_id, offering_id in rows:
        month = tally_month(queued_at)
        counts[(month, library_id, TallyKind.ALL, None)] += 1
        for theme_id in themes.get(offering_id) or (None,):
            kind = TallyKind.NO_THEME if theme_id is None else TallyKind.THEME
            counts[(month, library_id, kind, theme_id)] += 1
    return counts


def _add(model, counts: Counter, delta: int, fields: tuple[str, ...]) -> None:
    """Add `delta` times each count to the row of its key, making missing rows first: one INSERT, one UPDATE per
    distinct change (most often one) and per `UPDATE_KEYS` keys."""
    rows = [model(n=0, **dict(zip(fields, key, strict=True))) for key in counts]
    model.objects.bulk_create(rows, ignore_conflicts=True)
    by_change: dict[int, list[Key]] = defaultdict(list)
    for key, n in counts.items():
        by_change[n * delta].append(key)
    for change, keys in by_change.items():
        # SQLite parses a chain of ORs as a tree as deep as the chain, and refuses one deeper than 1,000.
        for start in range(0, len(keys), UPDATE_KEYS):
            where = Q()
            for key in keys[start : start + UPDATE_KEYS]:
                where |= Q(**dict(zip(fields, key, strict=True)))
            model.objects.filter(where).update(n=F("n") + change)


def tally_change(*, participants: list[Participant], delta: int, per_offering: bool = True) -> None:
    """Count `participants` in (delta 1) or out (delta -1) of the tallies; call in the transaction that confirms them
    or takes their seat away. A fixed number of queries, whatever the number of participants. `per_offering`: False
    when the offering goes, and its `OfferingTally` rows with it."""
    if not participants:
        return
    libraries = {
        p.registration_id: p.registration.library_id for p in participants if Participant.registration.is_cached(p)
    }
    missing = {p.registration_id for p in participants} - set(libraries)
    if missing:
        libraries.update(Registration.objects.filter(pk__in=missing).values_list("pk", "library_id"))
    counts = _count(
        ((p.queued_at, libraries[p.registration_id], p.offering_id) for p in participants),
        _themes(p.offering_id for p in participants),
    )
    with transaction.atomic():
        _add(ConfirmedTally, counts, delta, ("month", "library_id", "kind", "theme_id"))
        if per_offering:
            offerings = Counter((p.offering_id, libraries[p.registration_id]) for p in participants)
            _add(OfferingTally, offerings, delta, ("offering_id", "library_id"))


def _confirmed_rows(participants) -> Iterable[tuple[dt.datetime, int, int]]:
    return (
        participants.filter(status=ParticipantStatus.CONFIRMED)
        .values_list("queued_at", "registration__library_id", "offering_id")
        .order_by()
        .iterator(chunk_size=BATCH)
    )


def tally_offering_recount(*, offering_id: int) -> None:
    """Count again the cells (month, library) the offering's confirmed participants are in: after its themes change
    (a publish), they count under others. The cells' rows are locked first, so changes at the same time wait."""
    cells = {(tally_month(queued_at), library_id) for queued_at, library_id, _o in
             _confirmed_rows(Participant.objects.filter(offering_id=offering_id))}  # fmt: skip
    if not cells:
        return
    with transaction.atomic():
        where = Q()
        for month, library_id in cells:
            where |= Q(month=month, library_id=library_id)
        existing = {
            (row.month, row.library_id, row.kind, row.theme_id): row
            for row in ConfirmedTally.objects.filter(where).select_for_update()
        }
        months = sorted({month for month, _library in cells})
        candidates = Participant.objects.filter(
            registration__library_id__in={library_id for _month, library_id in cells},
            queued_at__gte=local_midnight(months[0]),
            queued_at__lt=local_midnight(add_months(months[-1], 1)),
        )
        rows = [row for row in _confirmed_rows(candidates) if (tally_month(row[0]), row[1]) in cells]
        counts = _count(rows, _themes(offering for _q, _l, offering in rows))
        changed = []
        for key, row in existing.items():
            if row.n != counts.get(key, 0):
                row.n = counts.get(key, 0)
                changed.append(row)
        ConfirmedTally.objects.bulk_update(changed, ["n"], batch_size=BATCH)
        new = {key: n for key, n in counts.items() if key not in existing}
        ConfirmedTally.objects.bulk_create(
            [ConfirmedTally(month=m, library_id=lib, kind=kind, theme_id=theme, n=n) for (m, lib, kind, theme), n
             in new.items()],
            batch_size=BATCH,
        )  # fmt: skip


def tally_rebuild() -> int:
    """Make the whole tally anew from the confirmed participants (after bulk loads, or a theme deleted); the number
    of rows written."""
    with transaction.atomic():
        rows = list(_confirmed_rows(Participant.objects.all()))
        counts = _count(rows, _themes(None))
        ConfirmedTally.objects.all().delete()
        ConfirmedTally.objects.bulk_create(
            [ConfirmedTally(month=m, library_id=lib, kind=kind, theme_id=theme, n=n) for (m, lib, kind, theme), n
             in counts.items()],
            batch_size=BATCH,
        )  # fmt: skip
        OfferingTally.objects.all().delete()
        offerings = Counter((offering_id, library_id) for _queued_at, library_id, offering_id in rows)
        OfferingTally.objects.bulk_create(
            [OfferingTally(offering_id=o, library_id=lib, n=n) for (o, lib), n in offerings.items()], batch_size=BATCH
        )
    return len(counts) + len(offerings)
