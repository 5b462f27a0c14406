"""The database search backend in Danish (`BACKEND: "search.backends.database"`), picked by the database's vendor:
Danish SQLite (FTS5), Danish PostgreSQL, or elsewhere modelsearch's own choice, without Danish analysis."""

from __future__ import annotations

from django.db import connection

from modelsearch.backends import database as modelsearch_database


def SearchBackend(params):  # (the name modelsearch looks up in a backend module)
    if connection.vendor == "postgresql":
        from .postgres_danish import DanishPostgresSearchBackend  # noqa: PLC0415 - needs PostgreSQL's driver

        return DanishPostgresSearchBackend(params)
    if connection.vendor == "sqlite":
        backend = modelsearch_database.SearchBackend(params)
        from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend  # noqa: PLC0415 - SQLite's models only

        if isinstance(backend, SQLiteSearchBackend):  # FTS5 is there: modelsearch checked it
            from .sqlite_danish import DanishSQLiteSearchBackend  # noqa: PLC0415 - SQLite's models only

            return DanishSQLiteSearchBackend(params)
        return backend
    return modelsearch_database.SearchBackend(params)
