"""A backup restores: every table of a lived-in database comes back with the same rows.

The data: the demo account (diary, treatments, trials, reports, community posts:
every app's demo builder) plus a second person. Compared: each table's row count
and a checksum of its rows (``fibrotrack backup --fingerprint``), over every table
the database holds and every model's table, many-to-many ones included.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from fibrotrack.lib.demo import build_demo
from fibrotrack.lib.management.commands.backup import fingerprint
from fibrotrack.lib.testing.factories import UserFactory, make_checkin

ROOT = Path(__file__).resolve().parents[3]
CORE_TABLES = ("accounts_user", "diary_checkin", "diary_symptomscore", "community_post", "django_migrations")


def _fibrotrack(var: Path, *args: str, database_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {"DEBUG": "1", "FIBROTRACK_VAR_DIR": str(var), "PATH": "/usr/bin:/bin"}
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "config.manage", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _fingerprint_of(var: Path, database_url: str | None = None) -> dict[str, Any]:
    done = _fibrotrack(var, "backup", "--fingerprint", database_url=database_url)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def _assert_complete(found: dict[str, Any]) -> None:
    """Every model's table is there and the main ones hold rows: the comparison is not of empty tables."""
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed:
            assert found.get(model._meta.db_table, [None])[0] is not None, model._meta.db_table
    for table in CORE_TABLES:
        assert found[table][0] > 0, table


@pytest.mark.slow
def test_a_sqlite_backup_restored_as_a_new_database_holds_every_row(tmp_path):
    assert _fibrotrack(tmp_path, "migrate", "-v0").returncode == 0
    demo = _fibrotrack(tmp_path, "demo", "--password", "a long demo password")
    assert demo.returncode == 0, demo.stderr
    backup = tmp_path / "backups" / "copy.sqlite3"
    made = _fibrotrack(tmp_path, "backup", "--output", str(backup))
    assert made.returncode == 0, made.stderr
    # Restoring a SQLite backup is putting the file where the new database lives.
    restored = tmp_path / "restored" / "fibrotrack.sqlite3"
    restored.parent.mkdir()
    shutil.copyfile(backup, restored)
    url = f"sqlite:///{restored}"
    check = _fibrotrack(tmp_path, "migrate", "--check", database_url=url)
    assert check.returncode == 0, check.stdout + check.stderr  # no migration left to apply
    source, copy = _fingerprint_of(tmp_path), _fingerprint_of(tmp_path, url)
    _assert_complete(source)
    assert copy == source
    # The check can fail: one row fewer in the copy is seen.
    with sqlite3.connect(restored) as db:
        db.execute("DELETE FROM diary_checkin WHERE id = (SELECT max(id) FROM diary_checkin)")
    changed = _fingerprint_of(tmp_path, url)
    assert changed["diary_checkin"][0] == source["diary_checkin"][0] - 1
    assert {t for t in source if changed[t] != source[t]} >= {"diary_checkin"}


def _postgres_ready() -> bool:
    return connection.vendor == "postgresql" and bool(shutil.which("pg_dump")) and bool(shutil.which("pg_restore"))


def _url(settings_dict: dict[str, Any], name: str) -> str:
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_dump_restored_into_a_new_database_holds_every_row(tmp_path):
    if not _postgres_ready():
        pytest.skip("needs DATABASE_URL on PostgreSQL and pg_dump/pg_restore on the machine")
    build_demo("demo-restore@example.org", "a long demo password", days=60)
    other = UserFactory()
    make_checkin(other, other.date_joined.date(), pain=4, note="a second person")
    dump = tmp_path / "fibrotrack.dump"
    call_command("backup", output=str(dump))
    source = fingerprint(connection)
    _assert_complete(source)
    name = f"restore_{secrets.token_hex(6)}"
    settings_dict = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(settings_dict.get("PASSWORD") or "")}
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    try:
        restored = subprocess.run(  # noqa: S603 - pg_restore found on PATH, arguments are ours
            [str(shutil.which("pg_restore")), "--no-owner", "--exit-on-error", f"--dbname={_url(settings_dict, name)}"]
            + [str(dump)],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert restored.returncode == 0, restored.stderr
        url = _url(settings_dict, name)
        check = _fibrotrack(tmp_path, "migrate", "--check", database_url=url)
        assert check.returncode == 0, check.stdout + check.stderr
        assert _fingerprint_of(tmp_path, url) == source
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")


@pytest.mark.django_db
def test_a_postgresql_backup_without_pg_dump_says_what_to_install(tmp_path, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    from fibrotrack.lib.management.commands import backup

    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(CommandError, match="pg_dump is not installed"):
        call_command("backup", output=str(tmp_path / "x.dump"))
    assert not (tmp_path / "x.dump").exists()
