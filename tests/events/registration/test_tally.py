"""The tallies (`ConfirmedTally`, `OfferingTally`): the dashboard's charts and the registrations overview, read from
them, equal a direct count over the participants after every change the services make, and the migration's fill
equals the count."""

from __future__ import annotations

import datetime as dt
import importlib

from django.apps import apps
from django.db.models import Count
from django.utils import timezone

import pytest

from events.registration import selectors, stats
from events.registration.models import ConfirmedTally, OfferingTally, Participant, ParticipantStatus
from events.registration.privacy import person_erase, registrations_anonymise_expired
from events.registration.services import (
    participant_promote,
    participants_cancel,
    registration_confirm,
    registration_holds_expire,
)
from events.registration.tally import tally_change, tally_rebuild
from events.registration.values import Actor
from network.models import OfferingPage, Region, Theme
from tests.events.factories import EventPageFactory
from tests.network.factories import OrganisationPageFactory, ThemeFactory

from .conftest import people, register
from .figures import NOW, build

pytestmark = pytest.mark.django_db

PERIODS = [(months, region) for months in (3, 12, 36) for region in ("", "midtjylland", "hovedstaden")]


def direct(months: int, region: str, now: dt.datetime) -> tuple[list, list, list]:
    """The three charts counted straight from the participants, as the dashboard counted before the tally."""
    participants = stats.confirmed_in_period(months=months, region=region, now=now)
    firsts = stats.months_back(now, months)
    per_month = [
        (
            first,
            participants.filter(
                queued_at__gte=stats.local_midnight(first),
                queued_at__lt=stats.local_midnight(stats.add_months(first, 1)),
            ).count(),
        )
        for first in firsts
    ]
    regions = dict(
        participants.values_list("registration__library__municipality__region").annotate(n=Count("pk")).order_by()
    )
    per_region = [(label, regions.get(value, 0)) for value, label in Region.choices if not region or value == region]
    themes = participants.values_list("offering__theme_links__tag__name").annotate(n=Count("pk", distinct=True))
    per_theme = sorted(themes.order_by(), key=lambda row: (-row[1], row[0] is None, (row[0] or "").casefold()))
    return per_month, per_region, [(name if name is not None else "Uden tema", n) for name, n in per_theme]


def assert_dashboard_equals_the_participants(now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    for months, region in PERIODS:
        per_month, per_region, per_theme = direct(months, region, now)
        assert stats.confirmed_per_month(months=months, region=region, now=now) == per_month, (months, region)
        assert stats.confirmed_by_region(months=months, region=region, now=now) == per_region, (months, region)
        assert stats.confirmed_by_theme(months=months, region=region, now=now) == per_theme, (months, region)
    assert_overview_equals_the_participants()


def assert_overview_equals_the_participants() -> None:
    """The overview's confirmed participants per library, for every offering and for each one alone."""
    for offerings in [
        OfferingPage.objects.all(),
        *(OfferingPage.objects.filter(pk=o.pk) for o in OfferingPage.objects.all()),
    ]:
        confirmed = Participant.objects.filter(offering__in=offerings, status=ParticipantStatus.CONFIRMED)
        expected = dict(confirmed.values_list("registration__library__name").annotate(n=Count("pk")).order_by())
        overview = selectors.registrations_overview(offerings=offerings)
        assert {row["library"]: row["confirmed"] for row in overview["per_library"]} == expected
        assert overview["total"] == sum(expected.values())


def tally_rows() -> dict:
    cells = {(t.month, t.library_id, t.kind, t.theme_id): t.n for t in ConfirmedTally.objects.all() if t.n}
    return cells | {(t.offering_id, t.library_id): t.n for t in OfferingTally.objects.all() if t.n}


def empty_tallies() -> None:
    ConfirmedTally.objects.all().delete()
    OfferingTally.objects.all().delete()


@pytest.fixture
def themes():
    return {name: ThemeFactory(name=name) for name in ("Verdensmål", "Formidling")}


def test_the_dashboard_equals_a_direct_count_after_each_change_through_the_services(
    organisation, library, other_library, themes, superuser
):
    event = EventPageFactory(
        parent=organisation,
        registration_enabled=True,
        capacity=3,
        waiting_list=True,
        themes=[themes["Verdensmål"], themes["Formidling"]],
    )
    untagged = EventPageFactory(parent=organisation, registration_enabled=True, capacity=None)
    first = register(event, library, people(2))
    second = register(event, other_library, people(3, start=10))  # one seat, two on the waiting list
    register(untagged, other_library, people(2, start=20))
    assert (len(second.confirmed), len(second.waiting)) == (1, 2)
    assert sum(n for _m, n in stats.confirmed_per_month(months=12)) == 5
    assert_dashboard_equals_the_participants()

    participants_cancel(registration=first.registration, participant_ids=[first.confirmed[0].pk])  # one moves up
    assert_dashboard_equals_the_participants()

    event.capacity = 5
    event.save_revision().publish()  # the last on the waiting list gets the new seat
    assert not Participant.objects.filter(offering=event, status=ParticipantStatus.WAITING).exists()
    assert_dashboard_equals_the_participants()

    held = register(event, library, people(1, start=30), contact_confirmed=False)  # a seat held, unconfirmed
    assert_dashboard_equals_the_participants()
    registration_confirm(registration=held.registration)
    expiring = register(untagged, library, people(2, start=40), contact_confirmed=False)
    assert_dashboard_equals_the_participants()
    registration_holds_expire(now=expiring.registration.hold_until + dt.timedelta(minutes=1))
    assert Participant.objects.filter(registration=expiring.registration, status=ParticipantStatus.CANCELLED).count()
    assert_dashboard_equals_the_participants()

    person_erase(email="deltager10@example.org", actor=Actor.coordinator(superuser))  # seat freed and anonymised
    assert_dashboard_equals_the_participants()
    registrations_anonymise_expired(now=event.end + dt.timedelta(days=3 * 365))
    assert Participant.objects.filter(anonymised_at__isnull=False).count() > 1
    assert_dashboard_equals_the_participants()


def test_a_coordinators_promotion_counts_in_the_tally(event, library, superuser):
    event.capacity = 1
    event.save_revision().publish()
    result = register(event, library, people(2))
    event.capacity = 2
    event.registration_enabled = False  # no seats given by themselves: the coordinator picks
    event.save_revision().publish()
    before = sum(n for _m, n in stats.confirmed_per_month(months=12))
    participant_promote(participant=result.waiting[0], actor=Actor.coordinator(superuser))
    assert sum(n for _m, n in stats.confirmed_per_month(months=12)) == before + 1
    assert_dashboard_equals_the_participants()


def test_a_bulk_count_over_more_keys_than_sqlite_chains_in_one_query_is_counted(event, library):
    """generate_volume counts 200,000 participants at once: more keys of one change than SQLite's expression depth."""
    result = register(event, library, people(1))
    empty_tallies()
    participant = result.confirmed[0]
    months = [dt.datetime(1900 + i // 12, i % 12 + 1, 15, 12, tzinfo=dt.UTC) for i in range(1_200)]
    in_bulk = [Participant(registration=participant.registration, offering=event, queued_at=month) for month in months]
    tally_change(participants=in_bulk, delta=1)
    assert ConfirmedTally.objects.filter(kind="all", n=1).count() == 1_200
    assert OfferingTally.objects.get(offering=event, library=library).n == 1_200


def test_new_themes_published_on_an_offering_move_its_participants(organisation, library, themes):
    event = EventPageFactory(parent=organisation, registration_enabled=True, themes=[themes["Verdensmål"]])
    register(event, library, people(3))
    assert stats.confirmed_by_theme(months=12) == [("Verdensmål", 3)]

    event.themes.set([themes["Formidling"]])
    event.save_revision().publish()
    assert stats.confirmed_by_theme(months=12) == [("Formidling", 3)]
    event.themes.set([])
    event.save_revision().publish()
    assert stats.confirmed_by_theme(months=12) == [("Uden tema", 3)]
    assert_dashboard_equals_the_participants()


def test_a_deleted_offering_and_a_deleted_theme_leave_the_tally(organisation, library, themes):
    kept = EventPageFactory(parent=organisation, registration_enabled=True, themes=list(themes.values()))
    gone = EventPageFactory(parent=organisation, registration_enabled=True, themes=[themes["Formidling"]])
    register(kept, library, people(2))
    register(gone, library, people(3, start=10))
    assert sum(n for _m, n in stats.confirmed_per_month(months=12)) == 5

    gone.delete()
    assert sum(n for _m, n in stats.confirmed_per_month(months=12)) == 2
    assert_dashboard_equals_the_participants()
    Theme.objects.filter(name="Verdensmål").delete()
    themes["Formidling"].delete()
    assert stats.confirmed_by_theme(months=12) == [("Uden tema", 2)]
    assert_dashboard_equals_the_participants()


def test_the_migrations_fill_equals_the_count_over_the_participants(organisation, organisation_index):
    other_section = OrganisationPageFactory(parent=organisation_index, title="Kultur og Information", short_name="KI")
    build(organisation, other_section)  # the dashboard tests' figures, tallied as the services tally
    kept = tally_rows()
    assert kept
    assert_dashboard_equals_the_participants(NOW)

    empty_tallies()
    importlib.import_module("events.migrations.0017_registration_tally").fill(apps, None)
    assert tally_rows() == kept
    assert_dashboard_equals_the_participants(NOW)

    empty_tallies()
    tally_rebuild()
    assert tally_rows() == kept
