"""Run a benchmark's measurements in a child process on a throwaway database, and print its rows.

A benchmark module calls ``run_vendors(__file__, "name", targets_on="postgres")`` from its ``run()``,
and ``child_main(measure)`` under ``if __name__ == "__main__"``; ``measure()`` runs in the child
(Django set up, the database migrated) and returns ``[(name, measured, unit, target), ...]``.
Figures measured on the other database are reported only (target ∞).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from benchmarks.databases import postgres_url, throwaway

ROOT = Path(__file__).resolve().parent.parent
Row = tuple[str, float, str, float]


def run_child(script: str, db_name: str, vendor: str) -> list[Row]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    env["DATABASE_URL"], _ = throwaway(db_name, postgres_url() if vendor == "postgres" else None)
    env.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    env.pop("REDIS_URL", None)
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"  # Django's test client in the child
    env["PYTHONPATH"] = str(ROOT)
    completed = subprocess.run(
        [sys.executable, script, "--child"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    sys.stderr.write(completed.stderr)
    if completed.returncode != 0:
        raise RuntimeError(f"{Path(script).name} failed on {vendor}:\n{completed.stdout}\n{completed.stderr}")
    return [tuple(row) for row in json.loads(completed.stdout.strip().splitlines()[-1])]  # type: ignore[misc]


def run_vendors(script: str, db_name: str, *, targets_on: str | None = "postgres") -> list[Row]:
    """SQLite, and PostgreSQL when a server answers; only ``targets_on``'s figures keep their targets (None: both)."""
    rows: list[Row] = []
    for vendor in ["sqlite"] + (["postgres"] if postgres_url() else []):
        for name, measured, unit, target in run_child(script, db_name, vendor):
            target = target if targets_on in (None, vendor) else math.inf
            label = f"[{vendor}] {name}"
            print(f"{label:<86} {measured:8.2f} {unit:<8} (target ≤ {target:g})", flush=True)
            rows.append((label, measured, unit, target))
    return rows


def child_main(measure: Callable[[], list[Row]]) -> None:
    sys.path.insert(0, str(ROOT))
    if "--child" not in sys.argv:
        raise SystemExit("run through benchmarks/run.py, or with --child inside a prepared environment")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(json.dumps(measure()))
