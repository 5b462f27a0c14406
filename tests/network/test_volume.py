"""The volume generator's registrations: deterministic, on the volume's offerings, one large course past its seats."""

from __future__ import annotations

from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from events.models import CoursePage
from events.registration.models import Participant, ParticipantStatus, Registration, RegistrationLogEntry
from network.demo.volume import ParticipantGenerator, VolumeGenerator
from network.models import InitiativePage, OfferingPage
from tests.network.factories import ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def volume():
    for name in ("Verdensmål", "Ledelse", "Formidling"):
        ThemeFactory(name=name)
    VolumeGenerator(seed=1).generate(40)


def test_participants_are_spread_over_the_volume_with_one_large_course(volume):
    made = ParticipantGenerator(seed=1).generate(2030)

    assert made == Participant.objects.count() == 2030
    section = InitiativePage.objects.get(slug="volumen-1")
    assert OfferingPage.objects.child_of(section).count() == 10  # every fourth offering
    large = CoursePage.objects.child_of(section).order_by("path").first()
    assert large.participants.count() == 2000
    assert large.capacity == 1800 and large.registration_enabled
    assert large.participants.filter(status=ParticipantStatus.WAITING).count() == 200
    assert Participant.objects.exclude(offering=large).count() == 30
    assert not Participant.objects.exclude(email__endswith="@example.org").exists()
    assert RegistrationLogEntry.objects.count() == Registration.objects.count()


def test_the_same_seed_makes_the_same_people(volume):
    first = ParticipantGenerator(seed=3)
    people = [first._participant(first._registration(1, first.now), "confirmed") for _ in range(3)]
    again = ParticipantGenerator(seed=3)
    same = [again._participant(again._registration(1, again.now), "confirmed") for _ in range(3)]
    assert [(p.name, p.email, p.registration.public_id) for p in people] == [
        (p.name, p.email, p.registration.public_id) for p in same
    ]


def test_participants_without_a_volume_is_a_clear_error():
    with pytest.raises(CommandError, match="generate_volume --offerings"):
        call_command("generate_volume", "--participants", "10", stdout=StringIO())
