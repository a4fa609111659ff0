"""``fibrotrack backup``: a consistent copy of the SQLite database while the app runs.

SQLite's online backup API copies a consistent snapshot even while gunicorn
workers write (WAL mode), which a plain ``cp`` of the file does not guarantee.
PostgreSQL deployments use ``pg_dump`` instead; this command says so.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone


class Command(BaseCommand):
    help = "Write a consistent backup of the SQLite database (PostgreSQL: use pg_dump)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", help="file to write (default: var/backups/fibrotrack-<UTC time>.sqlite3)")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "sqlite":
            raise CommandError(
                "This database is PostgreSQL: back it up with pg_dump, e.g. "
                'pg_dump --format=custom --file=fibrotrack.dump "$DATABASE_URL" (see docs/deployment.md).'
            )
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        output = Path(options["output"] or Path(settings.VAR_DIR) / "backups" / f"fibrotrack-{stamp}.sqlite3")
        if output.exists():
            raise CommandError(f"{output} already exists; choose another --output.")
        output.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
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
