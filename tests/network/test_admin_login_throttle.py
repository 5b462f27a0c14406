"""The admin login (Wagtail's login view) is throttled by django-axes per username and client address, in Danish."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

import pytest
import time_machine

pytestmark = pytest.mark.django_db

PASSWORD = "rigtig-adgangskode"
LIMIT = 3


@pytest.fixture(autouse=True)
def _throttle(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=15)


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("redaktoer", "redaktoer@example.org", PASSWORD)


@pytest.fixture
def other_editor(db):
    return get_user_model().objects.create_superuser("redaktoer2", "redaktoer2@example.org", PASSWORD)


def login(address: str, username: str, password: str, **headers):
    client = Client(REMOTE_ADDR=address, **headers)
    return client, client.post(reverse("wagtailadmin_login"), {"username": username, "password": password})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(address: str, username: str, times: int = LIMIT, **headers):
    return [login(address, username, "forkert", **headers)[1] for _ in range(times)]


def test_failures_up_to_the_limit_lock_that_user_from_that_address_in_danish(editor):
    responses = fail("10.0.0.1", "redaktoer")
    assert [r.status_code for r in responses] == [200] * (LIMIT - 1) + [429]
    client, response = login("10.0.0.1", "redaktoer", PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "For mange forkerte forsøg på at logge ind. Prøv igen om 15 minutter." in html
    assert not logged_in(client)


def test_fewer_failures_than_the_limit_do_not_lock(editor):
    fail("10.0.0.1", "redaktoer", LIMIT - 1)
    client, response = login("10.0.0.1", "redaktoer", PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_the_same_user_from_another_address_is_not_locked(editor):
    fail("10.0.0.1", "redaktoer")
    client, response = login("10.0.0.2", "redaktoer", PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_another_user_from_the_same_address_is_not_locked(editor, other_editor):
    fail("10.0.0.1", "redaktoer")
    client, response = login("10.0.0.1", "redaktoer2", PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_the_right_password_is_refused_until_the_cool_off_has_passed(editor):
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        fail("10.0.0.1", "redaktoer")
        clock.shift(dt.timedelta(minutes=14))
        assert login("10.0.0.1", "redaktoer", PASSWORD)[1].status_code == 429
        # That refused attempt started the cool-off again: 14 more minutes are not enough, 16 are.
        clock.shift(dt.timedelta(minutes=14))
        assert login("10.0.0.1", "redaktoer", PASSWORD)[1].status_code == 429
        clock.shift(dt.timedelta(minutes=16))
        client, response = login("10.0.0.1", "redaktoer", PASSWORD)
        assert response.status_code == 302 and logged_in(client)


def test_behind_the_trusted_proxy_the_forwarded_client_is_locked_not_the_proxy(editor, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    fail("127.0.0.1", "redaktoer", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert login("127.0.0.1", "redaktoer", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")[1].status_code == 429
    client, response = login("127.0.0.1", "redaktoer", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert response.status_code == 302 and logged_in(client)
