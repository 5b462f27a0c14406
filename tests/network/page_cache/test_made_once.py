"""Whole pages from the cache (network.pagecache), made once: in a kept page's last seconds one request makes it anew
while the others are served it; with no kept page, one request makes it while the others wait for it; and a kept page
lives to the millisecond, never past its moment, whatever the cache keeps."""

from __future__ import annotations

import datetime as dt
import threading
import time

from django.core.cache import cache
from django.test import RequestFactory

import pytest

from events.registration.models import EligibilityRound
from network import pagecache

from .pages import NOW, event, fetch, publish, state

pytestmark = pytest.mark.django_db


def test_in_its_last_seconds_one_request_makes_a_kept_page_anew_while_the_others_are_served_it(
    client, organisation, frozen
):
    offering = event(organisation, "Inspirationsdag", days=30, registration_enabled=True, capacity=10)
    fetch(client, offering.url)  # kept for 10 seconds: it shows seats
    frozen.shift(dt.timedelta(seconds=9))
    key = pagecache._key(RequestFactory().get(offering.url))
    assert cache.add(pagecache.refresh_lock_key(key), 1)  # another request is making it anew
    kept = fetch(client, offering.url)
    assert kept["X-Cache"] == "hit" and kept["Age"] == "9"
    cache.delete(pagecache.refresh_lock_key(key))
    assert state(client, offering.url) == "miss"  # this one makes it anew...
    assert fetch(client, offering.url)["Age"] == "0"  # ... and the others get the new page


def test_a_page_whose_moment_is_under_a_second_away_is_kept_until_it_and_not_after(client, organisation, frozen):
    offering = event(organisation, "Inspirationsdag", days=30, registration_enabled=True)
    EligibilityRound.objects.create(page=offering, opens_at=NOW + dt.timedelta(milliseconds=600))
    publish(offering)
    assert state(client, offering.url) == "miss"  # kept for 0.6 s: every visitor would make it in the last second
    frozen.shift(dt.timedelta(milliseconds=400))  # before its last quarter, in which one request makes it anew
    assert state(client, offering.url) == "hit"
    frozen.shift(dt.timedelta(milliseconds=300))
    page = fetch(client, offering.url)
    assert page["X-Cache"] == "miss" and "Tilmeld deltagere" in page.content.decode()


def test_a_kept_page_is_not_served_past_its_moment_by_a_cache_that_keeps_it_longer(
    client, organisation, frozen, monkeypatch
):
    monkeypatch.setattr(pagecache, "WAIT_SECONDS", 0.05)
    offering = event(organisation, "Inspirationsdag", days=30, registration_enabled=True, capacity=10)
    fetch(client, offering.url)  # kept for 10 seconds: it shows seats
    key = pagecache._key(RequestFactory().get(offering.url))
    cache.set(key, cache.get(key), 60 * 60)  # as a cache that rounds lifetimes up would keep it
    assert cache.add(pagecache.refresh_lock_key(key), 1, 60)  # another request is making it anew, and takes long
    frozen.shift(dt.timedelta(seconds=10, milliseconds=1))
    assert state(client, offering.url) == "miss"  # not the kept copy, which would show seats 10 s old


def kept_then_forgotten(client, url) -> tuple[str, tuple]:
    """The page's key and the entry that was kept for it, after taking it out of the cache again."""
    fetch(client, url)
    key = pagecache._key(RequestFactory().get(url))
    entry = cache.get(key)
    cache.delete(key)
    return key, entry


def later(seconds: float, action) -> threading.Thread:
    thread = threading.Timer(seconds, action)
    thread.start()
    return thread


def test_without_a_kept_page_a_request_waits_for_the_one_another_is_making(
    client, organisation, django_assert_num_queries
):
    offering = event(organisation, "Inspirationsdag", days=30)
    key, entry = kept_then_forgotten(client, offering.url)
    assert cache.add(pagecache.refresh_lock_key(key), 1)  # another request is making it
    keeper = later(0.05, lambda: cache.set(key, entry, 60))
    with django_assert_num_queries(0):
        response = fetch(client, offering.url)
    keeper.join()
    assert response["X-Cache"] == "hit" and response.content == entry[2]


def test_a_waiting_request_makes_the_page_itself_once_the_other_ends_without_keeping_it(
    client, organisation, monkeypatch
):
    monkeypatch.setattr(pagecache, "WAIT_SECONDS", 30.0)
    offering = event(organisation, "Inspirationsdag", days=30)
    key, _ = kept_then_forgotten(client, offering.url)
    assert cache.add(pagecache.refresh_lock_key(key), 1)
    releaser = later(0.05, lambda: cache.delete(pagecache.refresh_lock_key(key)))  # a 404, say: nothing kept
    started = time.monotonic()
    assert state(client, offering.url) == "miss"
    releaser.join()
    assert time.monotonic() - started < pagecache.WAIT_SECONDS  # it did not wait out the whole wait


def test_a_waiting_request_makes_the_page_itself_after_the_wait_and_leaves_the_others_lock(
    client, organisation, monkeypatch
):
    monkeypatch.setattr(pagecache, "WAIT_SECONDS", 0.05)
    offering = event(organisation, "Inspirationsdag", days=30)
    key, _ = kept_then_forgotten(client, offering.url)
    assert cache.add(pagecache.refresh_lock_key(key), 1)  # held by a request that takes long
    assert state(client, offering.url) == "miss"
    assert cache.get(pagecache.refresh_lock_key(key)) == 1
    assert state(client, offering.url) == "hit"


def test_the_request_that_made_a_page_lets_go_of_its_lock(client, organisation):
    offering = event(organisation, "Inspirationsdag", days=30)
    key, _ = kept_then_forgotten(client, offering.url)
    assert state(client, offering.url) == "miss"
    assert cache.get(pagecache.refresh_lock_key(key)) is None
