"""Throwaway databases for the benchmarks: never the caller's own data.

Every benchmark runs its measurements in a child process pointed at a fresh
database made here: a SQLite file in a new temporary folder, or a database
dropped and created afresh on a PostgreSQL server. ``BENCH_DB_PREFIX`` is put
before every database's name, so that runs from several checkouts sharing one
server never drop each other's databases.
"""

from __future__ import annotations

import os
import socket
import tempfile
from urllib.parse import urlsplit, urlunsplit

LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/test"


def env_postgres_url() -> str | None:
    """``DATABASE_URL`` when it names a PostgreSQL server."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def postgres_url() -> str | None:
    """The server to measure on: ``DATABASE_URL`` when it names one, else a local one that answers."""
    if url := env_postgres_url():
        return url
    with socket.socket() as s:
        s.settimeout(1)
        return LOCAL_POSTGRES if s.connect_ex(("127.0.0.1", 5432)) == 0 else None


def throwaway(name: str, server: str | None = None) -> tuple[str, str]:
    """A fresh database called ``name`` on ``server`` (PostgreSQL), or a SQLite file; and a scratch folder."""
    name = os.environ.get("BENCH_DB_PREFIX", "") + name
    if not name.replace("_", "").isalnum():
        raise ValueError(f"{name!r}: a database name here is letters, digits and underscores")
    folder = tempfile.mkdtemp(prefix=f"fibrotrack-{name}-")
    if server is None:
        return f"sqlite:///{folder}/bench.sqlite3", folder
    import psycopg

    parts = urlsplit(server)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return urlunsplit(parts._replace(path=f"/{name}")), folder
