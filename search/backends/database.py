"""The database search backend in Danish: `BACKEND: "search.backends.database"` in WAGTAILSEARCH_BACKENDS.

Like `modelsearch.backends.database`, it picks the backend by the default database's vendor:

- SQLite with FTS5: `DanishSQLiteSearchBackend` (Snowball stemming at index and query time, in Python);
- PostgreSQL: `DanishPostgresSearchBackend` (PostgreSQL's own `danish` configuration, fed normalised text);
- anything else: modelsearch's own choice, without Danish analysis.
"""

from __future__ import annotations

from django.db import connection

from modelsearch.backends import database as modelsearch_database


def SearchBackend(params):  # noqa: N802 - the name modelsearch looks up in a backend module
    if connection.vendor == "postgresql":
        from .postgres_danish import DanishPostgresSearchBackend

        return DanishPostgresSearchBackend(params)
    if connection.vendor == "sqlite":
        backend = modelsearch_database.SearchBackend(params)
        from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

        if isinstance(backend, SQLiteSearchBackend):  # FTS5 is there: modelsearch checked it
            from .sqlite_danish import DanishSQLiteSearchBackend

            return DanishSQLiteSearchBackend(params)
        return backend
    return modelsearch_database.SearchBackend(params)
