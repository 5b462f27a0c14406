"""Redis stops, the site stays up: pages, search and registration answer uncached, the failure is logged once (not
per cache call), and the cache is used again once Redis is back. A redis-server of the test's own, a live server."""

from __future__ import annotations

import logging
import urllib.request

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.cache import cache
from django.test.testcases import LiveServerThread

import pytest

from events.registration.models import Registration
from network import caching
from network.logfilters import Throttle
from network.models import Library
from network.settings.base import shared_cache
from tests.events.registration.test_concurrency import MANAGE, Browser, registration_data


@pytest.fixture
def redis_cache(redis_server, settings):
    """The production cache settings, pointed at the test's own Redis; the once-a-minute log starts afresh."""
    settings.CACHES = shared_cache({"REDIS_URL": redis_server.url})
    settings.PAGE_CACHE_SECONDS = 600  # whole pages from the cache too, as in production
    for log_filter in logging.getLogger("django_redis.cache").filters:
        if isinstance(log_filter, Throttle):
            log_filter.forget()
    return redis_server


@pytest.fixture
def offering(transactional_event):
    return transactional_event


@pytest.fixture
def live_url(transactional_db):
    thread = LiveServerThread("127.0.0.1", StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


def status(url: str) -> int:
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - the live server on loopback
        response.read()
        return response.status


def test_with_redis_stopped_pages_search_and_registration_answer_and_the_failure_is_logged_once(
    offering, redis_cache, live_url, caplog
):
    pages = ["/", "/arrangementer/", "/search/?q=verdensm%C3%A5l", offering.url]
    library = Library.objects.order_by("pk").first()
    redis = redis_cache.client()

    def visit_and_register(n: int) -> None:
        assert [status(live_url + path) for path in pages] == [200] * len(pages)
        browser, form = Browser(live_url), f"/tilmelding/{offering.pk}/"
        outcome = browser.post(form, registration_data(browser.token(form), library, n, "redis"))
        assert outcome.status == 302 and MANAGE.match(outcome.location), (outcome.status, outcome.body[:500])

    visit_and_register(1)
    assert redis.dbsize() > 0  # the pages were cached in Redis

    redis_cache.stop()
    with caplog.at_level(logging.ERROR, logger="django_redis.cache"):
        visit_and_register(2)
        visit_and_register(3)
    logged = [record for record in caplog.records if record.name == "django_redis.cache"]
    assert len(logged) == 1, "the failure is logged, once a minute, not once per cache call"
    assert "ConnectionInterrupted" in caplog.text
    assert Registration.objects.filter(offering=offering).count() == 3

    redis_cache.start()  # empty: it saved nothing
    redis = redis_cache.client()
    visit_and_register(4)
    hits = redis.info("stats")["keyspace_hits"]
    assert status(live_url + "/arrangementer/") == 200
    assert redis.dbsize() > 0
    assert redis.info("stats")["keyspace_hits"] > hits  # the second visit read from the cache


def test_a_publish_while_redis_is_down_is_not_forgotten_when_redis_comes_back(redis_cache):
    before = caching.content_generation()
    redis_cache.stop(save=True)  # Redis comes back with what it held, the old generation among it
    caching.new_generation()
    redis_cache.start()
    assert redis_cache.client().exists(cache.make_key(caching.GENERATION_KEY))  # the old token is back
    assert caching.content_generation() != before
