"""Settings: search backend and database chosen from the environment, production refuses to start unconfigured."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from wagtail.search.backends import get_search_backend

import pytest

from network.settings.base import search_backends

BASE_DIR = Path(__file__).resolve().parents[2]
ENVIRONMENT_KEYS = [
    "DATABASE_URL",
    "ELASTICSEARCH_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DJANGO_SETTINGS_MODULE",
    "REDIS_URL",
    "EMAIL_HOST",
]


def run_python(code: str, **environ: str) -> subprocess.CompletedProcess:
    """Run Python in a fresh process with only the given project variables set, so settings read them anew."""
    env = {key: value for key, value in os.environ.items() if key not in ENVIRONMENT_KEYS}
    env.update(environ)
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, *code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


PRINT_ENGINE = [
    "-c",
    "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
]


# --- Search ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("environ", [{}, {"ELASTICSEARCH_URL": ""}, {"ELASTICSEARCH_URL": "   "}])
def test_search_uses_the_database_backend_in_danish_without_elasticsearch(environ):
    backend = search_backends(environ)["default"]
    assert backend["BACKEND"].endswith("search.backends.database")  # Wagtail's or our subclass of it
    assert backend["SEARCH_CONFIG"] == "danish"
    assert "URLS" not in backend


def test_search_uses_elasticsearch_9_with_the_given_url():
    backend = search_backends({"ELASTICSEARCH_URL": "http://search.example.org:9200"})["default"]
    assert backend["BACKEND"] == "wagtail.search.backends.elasticsearch9"
    assert backend["URLS"] == ["http://search.example.org:9200"]


def test_elasticsearch_backend_keeps_wagtails_analyzers_next_to_the_danish_one():
    params = dict(search_backends({"ELASTICSEARCH_URL": "http://search.example.org:9200"})["default"])
    backend = get_search_backend(params.pop("BACKEND"), **params)
    analyzers = backend.settings["settings"]["analysis"]["analyzer"]
    assert {"default", "ngram_analyzer", "edgengram_analyzer"} <= set(analyzers)
    assert "danish_stemmer" in analyzers["default"]["filter"]


# --- Database --------------------------------------------------------------------------------------------------


def test_database_defaults_to_sqlite_without_database_url():
    result = run_python(PRINT_ENGINE, DJANGO_SETTINGS_MODULE="network.settings.dev")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_database_is_postgresql_when_database_url_says_so():
    result = run_python(
        PRINT_ENGINE,
        DJANGO_SETTINGS_MODULE="network.settings.dev",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/network",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_sqlite_reads_map_the_database_file(tmp_path):
    code = (
        "import django; django.setup(); from django.db import connection; "
        "print(connection.cursor().execute('PRAGMA mmap_size').fetchone()[0])"
    )
    result = run_python(
        ["-c", code], DJANGO_SETTINGS_MODULE="network.settings.dev", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip().splitlines()[-1]) == 256 * 1024 * 1024


# --- Production ------------------------------------------------------------------------------------------------


def test_production_refuses_to_start_without_secret_key():
    result = run_python(["-c", "import network.settings.production"], ALLOWED_HOSTS="kompetence.example.org")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_python(["-c", "import network.settings.production"], SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_passes_the_deployment_checks():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="network.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="kompetence.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
