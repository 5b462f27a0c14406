"""The registration rounds the notify-me tests stand in: the clock still at 2 December 2030, 12.00; certification
libraries from 1 December, every library from 8 December."""

from __future__ import annotations

import pytest
import time_machine

from events.registration.models import EligibilityRound
from tests.network.factories import aware

NOW = aware(2030, 12, 2, 12)
GROUP_FROM = aware(2030, 12, 1, 9)
ALL_FROM = aware(2030, 12, 8, 9)
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "notify-tests"}}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def in_rounds(event, certification_group):
    event.start, event.end = aware(2031, 1, 12, 9, 30), aware(2031, 1, 12, 15, 30)
    event.registration_rounds = [
        EligibilityRound(library_group=certification_group, opens_at=GROUP_FROM),
        EligibilityRound(library_group=None, opens_at=ALL_FROM),
    ]
    event.save_revision().publish()
    return event
