"""Fixtures for the search tests: the demo content, loaded once for the package, on the Danish backend of the
suite's database (SQLite FTS5 or PostgreSQL). Each test runs in a savepoint, so what it changes is undone."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

import pytest

# Figures the tests compute, printed at the end of the run (see pytest_terminal_summary).
FIGURES: dict[str, str] = {}


@pytest.fixture(scope="package")
def search_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo content (`manage.py load_demo`), indexed by the signal handlers as an editor's publishing would."""
    media = tmp_path_factory.mktemp("search-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(search_demo, db):
    """The demo, for one test: what the test changes is rolled back."""
    return None


@pytest.fixture
def vendor() -> str:
    return connection.vendor


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("search quality")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")
