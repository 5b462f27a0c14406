"""Production's cache is shared by every worker (Redis, or the database cache made by `migrate`), never per process,
and the start-up log says which; repeated cache failures are logged once a minute, not once a call."""

from __future__ import annotations

import logging
import secrets

from django.core.cache import caches
from django.core.management import call_command
from django.db import connection

import pytest

from network.logfilters import Throttle
from network.settings.base import shared_cache

from .test_settings import run_python

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "network.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "kompetence.example.org",
}
PRINT_CACHE = [
    "-c",
    "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
]


def test_production_uses_redis_at_redis_url_and_says_so_at_start_up():
    result = run_python(PRINT_CACHE, **PRODUCTION, REDIS_URL="redis://:hemmelig@127.0.0.1:6379/3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django_redis.cache.RedisCache"
    assert "Cache: Redis at redis://:***@127.0.0.1:6379/3" in result.stderr
    assert "hemmelig" not in result.stderr


@pytest.mark.parametrize("redis_url", [None, "   "])
def test_production_without_redis_uses_the_database_cache_never_a_per_process_one(redis_url):
    environ = PRODUCTION if redis_url is None else {**PRODUCTION, "REDIS_URL": redis_url}
    result = run_python(PRINT_CACHE, **environ)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.db.DatabaseCache"
    assert "LocMem" not in result.stdout
    assert "Cache: the database table network_cache" in result.stderr


def test_redis_errors_are_ignored_and_logged_so_the_site_stays_up():
    config = shared_cache({"REDIS_URL": "redis://127.0.0.1:6379/3"})["default"]
    assert config["OPTIONS"]["IGNORE_EXCEPTIONS"] is True


def test_migrate_makes_the_database_cache_table(db, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "kn_cache_t"}}
    assert "kn_cache_t" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert "kn_cache_t" in connection.introspection.table_names()
    caches["default"].set("greeting", "hej")
    assert caches["default"].get("greeting") == "hej"


def test_a_failure_that_repeats_is_logged_once_a_minute_with_a_count(caplog):
    logger = logging.getLogger("tests.throttled")
    throttle = Throttle(seconds=60)
    logger.addFilter(throttle)
    try:
        with caplog.at_level(logging.ERROR, logger="tests.throttled"):
            for _ in range(50):
                logger.error("Exception ignored")
            assert len(caplog.records) == 1
            throttle.seconds = 0  # the minute has passed
            logger.error("Exception ignored")
    finally:
        logger.removeFilter(throttle)
    assert len(caplog.records) == 2
    assert "49 times more" in caplog.records[1].getMessage()
