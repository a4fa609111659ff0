"""Which full-text search path a database offers: PostgreSQL's, SQLite's FTS5, or a plain fallback.

Shared by the community's post search and the knowledge app's article search,
each with its own FTS5 table (made by its migration when this SQLite has FTS5).
"""

from __future__ import annotations

from functools import lru_cache

from django.db import connection


@lru_cache(maxsize=8)
def _sqlite_has_table(alias: str, table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
        return cursor.fetchone() is not None


def backend(fts_table: str) -> str:
    """ "postgresql", "fts5" (``fts_table`` exists) or "fallback"."""
    if connection.vendor == "postgresql":
        return "postgresql"
    if connection.vendor == "sqlite" and _sqlite_has_table(connection.alias, fts_table):
        return "fts5"
    return "fallback"
