"""The overview's figures from the cache (`events/registration/overview.py`): kept until a registration or a page
changes, never shared between scopes or filters."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from events.registration.models import Registration
from events.registration.services import participants_cancel
from events.registration.values import ParticipantData
from tests.events.factories import EventPageFactory

from ..conftest import register

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("locmem_cache"),
]


@pytest.fixture
def locmem_cache():
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}):
        cache.clear()
        yield
        cache.clear()


def overview(client, **params):
    response = client.get(reverse("registration_admin:overview"), params)
    assert response.status_code == 200
    return response


def test_a_second_visit_reads_the_totals_from_the_cache(coordinator_client, filled):
    overview(coordinator_client)
    with CaptureQueriesContext(connection) as captured:
        response = overview(coordinator_client)
    assert response.context["total"] == 3
    assert not [q for q in captured.captured_queries if "events_offeringtally" in q["sql"]]


def test_a_new_registration_shows_in_the_totals_at_once(coordinator_client, filled, section_course, library):
    assert overview(coordinator_client).context["total"] == 3
    register(section_course, library, [ParticipantData("Ny", "ny@example.org")], contact_email="ny@example.org")
    assert overview(coordinator_client).context["total"] == 4


def test_a_cancellation_shows_in_the_totals_at_once(coordinator_client, filled):
    """Ballerup's registration: one confirmed, two waiting; cancelled, the event keeps Herning's two."""
    assert overview(coordinator_client).context["total"] == 3
    participants_cancel(registration=Registration.objects.filter(offering=filled).order_by("-pk").first())
    response = overview(coordinator_client)
    assert response.context["total"] == 2
    assert [row["confirmed"] for row in response.context["per_library"]] == [2]


def test_a_published_offering_shows_in_the_list_at_once(coordinator_client, organisation, filled):
    assert len(overview(coordinator_client).context["per_offering"]) == 1
    EventPageFactory(
        parent=organisation,
        title="Ny temadag",
        start=timezone.now() + dt.timedelta(days=90),
        end=timezone.now() + dt.timedelta(days=91),
        registration_enabled=True,
    ).save_revision().publish()
    titles = [o.title for o in overview(coordinator_client).context["per_offering"]]
    assert titles == ["Ny temadag", filled.title]


def test_another_scope_never_gets_the_cached_figures(coordinator_client, stranger_client, officer_client, filled):
    assert overview(coordinator_client).context["total"] == 3
    other = overview(stranger_client)
    assert other.context["total"] == 0 and other.context["per_offering"] == []
    assert overview(officer_client).context["total"] == 3


def test_a_filter_gets_figures_of_its_own(coordinator_client, filled):
    assert overview(coordinator_client).context["total"] == 3
    later = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    response = overview(coordinator_client, start_from=later)
    assert response.context["total"] == 0 and response.context["per_offering"] == []
    assert overview(coordinator_client).context["total"] == 3
