"""``fibrotrack backup``: a consistent copy of the database while the app runs.

SQLite: the online backup API copies a consistent snapshot even while gunicorn
workers write (WAL mode), which a plain ``cp`` of the file does not guarantee.
PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot too), restored
with ``pg_restore`` into a new database (docs/deployment.md).

``--fingerprint`` prints, for every table, its row count and a checksum of its
rows as JSON: run it against the live database and against a restored copy
(``DATABASE_URL=... fibrotrack backup --fingerprint``) and compare.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

_MODULUS = 2**256


def tables(db: BaseDatabaseWrapper) -> list[str]:
    """Every table: what the database holds, and every model's (with the auto-created many-to-many ones)."""
    found = set(db.introspection.table_names())
    models = {m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed}
    return sorted(found | models)


def fingerprint(db: BaseDatabaseWrapper) -> dict[str, list[Any]]:
    """table -> [rows, checksum]. The checksum adds up each row's hash, so it ignores row order (no ORDER BY)."""
    out: dict[str, list[Any]] = {}
    existing = set(db.introspection.table_names())
    with db.cursor() as cursor:
        for table in tables(db):
            if table not in existing:
                out[table] = [None, "missing"]
                continue
            # The name comes from the database's own list of tables, quoted; no input reaches this.
            cursor.execute(f"SELECT * FROM {db.ops.quote_name(table)}")  # noqa: S608
            count, total = 0, 0
            while rows := cursor.fetchmany(2000):
                for row in rows:
                    count += 1
                    total += int.from_bytes(hashlib.sha256(repr(tuple(row)).encode()).digest(), "big")
            out[table] = [count, f"{total % _MODULUS:064x}"]
    return out


def _pg_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq's own variables, so that the password never shows in the process list."""
    env = dict(os.environ)
    for key, name in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if settings_dict.get(name):
            env[key] = str(settings_dict[name])
    env["PGDATABASE"] = str(settings_dict["NAME"])
    return env


class Command(BaseCommand):
    help = "Write a consistent backup of the database (SQLite: a copy; PostgreSQL: a pg_dump custom-format file)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--output", help="file to write (default: var/backups/fibrotrack-<UTC time>.sqlite3 or .dump)"
        )
        parser.add_argument(
            "--fingerprint", action="store_true", help="print every table's row count and checksum as JSON instead"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["fingerprint"]:
            self.stdout.write(json.dumps(fingerprint(connection), indent=1, sort_keys=True))
            return
        if connection.vendor not in {"sqlite", "postgresql"}:
            raise CommandError(f"Backups of {connection.vendor} databases are not supported.")
        suffix = "sqlite3" if connection.vendor == "sqlite" else "dump"
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        output = Path(options["output"] or Path(settings.VAR_DIR) / "backups" / f"fibrotrack-{stamp}.{suffix}")
        if output.exists():
            raise CommandError(f"{output} already exists; choose another --output.")
        output.parent.mkdir(parents=True, exist_ok=True)
        if connection.vendor == "sqlite":
            self._sqlite(output)
        else:
            self._postgresql(output)

    def _sqlite(self, output: Path) -> None:
        source = sqlite3.connect(str(connection.settings_dict["NAME"]))
        target = sqlite3.connect(str(output))
        try:
            with target:
                source.backup(target)
            (result,) = target.execute("PRAGMA integrity_check").fetchone()
        finally:
            target.close()
            source.close()
        if result != "ok":
            raise CommandError(f"The backup failed its integrity check: {result}")
        self.stdout.write(f"Backup written to {output} ({output.stat().st_size:,} bytes, integrity ok)")

    def _postgresql(self, output: Path) -> None:
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise CommandError(
                "pg_dump is not installed on this machine (Debian: apt install postgresql-client, the same major "
                "version as the server or newer). Or run it where it is: "
                'pg_dump --format=custom --file=fibrotrack.dump "$DATABASE_URL" (see docs/deployment.md).'
            )
        done = subprocess.run(  # noqa: S603 - pg_dump found on PATH, arguments are ours
            [pg_dump, "--format=custom", "--no-owner", f"--file={output}"],
            env=_pg_environment(connection.settings_dict),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            output.unlink(missing_ok=True)
            raise CommandError(f"pg_dump failed: {done.stderr.strip()}")
        self.stdout.write(f"Backup written to {output} ({output.stat().st_size:,} bytes, pg_dump custom format)")
