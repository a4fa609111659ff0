"""API benchmark: the list of a year of check-ins, through the whole stack.

``run()`` returns ``[(name, measured, unit, target), ...]``. The measurement
runs in a child process with its own throwaway database (SQLite in a
temporary folder, or a fresh ``bench_fibrotrack_api`` database when
``DATABASE_URL`` points at PostgreSQL). A year of diary (a check-in on ~90 %
of days with six scores, sleep and tags) is seeded in bulk; then
``GET /api/v1/checkins`` (the default period: the last 365 days) is sent with
a bearer token through Django's test client (middleware, token lookup, rate
limit, serialisation into JSON), warmed once, and timed 20 times: the median.
The query count is asserted in fibrotrack/api/tests/test_tokens.py.

Run directly: ``python benchmarks/bench_api.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.databases import env_postgres_url, throwaway

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 100.0


def _measure() -> list[tuple[str, float, str, float]]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from fibrotrack.api.actions import do_create_token
    from fibrotrack.lib.dates import diary_day
    from fibrotrack.lib.reference import load_all
    from fibrotrack.lib.testing.factories import UserFactory
    from fibrotrack.reports.tests.seed import seed_diary

    call_command("migrate", verbosity=0)
    load_all()
    user = UserFactory(email="bench@example.org")
    end = diary_day(user)
    seed_diary(user, end - dt.timedelta(days=364), end)
    _, secret = do_create_token(user, name="bench", scope="read", days=30)
    client = Client()
    headers = {"Authorization": f"Bearer {secret}"}
    with override_settings(FIBROTRACK_API_REQUESTS_PER_MINUTE=10_000, ALLOWED_HOSTS=["testserver"]):
        first = client.get("/api/v1/checkins", headers=headers)
        assert first.status_code == 200, first.content[:300]
        days = len(first.json())
        times = []
        for _ in range(20):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get("/api/v1/checkins", headers=headers)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200
    print(f"  {days} check-ins, {len(response.content) / 1e3:.0f} kB, {len(queries)} queries", file=sys.stderr)
    return [("API: GET /api/v1/checkins, a year (median of 20)", statistics.median(times) * 1000, "ms", TARGET_MS)]


def _child(database: str) -> list[tuple[str, float, str, float]]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    env["DATABASE_URL"], _ = throwaway(database, env_postgres_url())
    env.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    env["PYTHONPATH"] = str(ROOT)  # the child imports benchmarks.* too
    completed = subprocess.run(
        [sys.executable, __file__, "--child"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    sys.stderr.write(completed.stderr)
    if completed.returncode != 0:
        raise RuntimeError(f"api benchmark failed:\n{completed.stdout}\n{completed.stderr}")
    return [tuple(row) for row in json.loads(completed.stdout.strip().splitlines()[-1])]  # type: ignore[misc]


def run() -> list[tuple[str, float, str, float]]:
    rows = _child("bench_fibrotrack_api")
    for name, measured, unit, target in rows:
        verdict = "ok" if measured <= target else "MISSED"
        print(f"{name:<60} {measured:8.2f} {unit:<4} (target ≤ {target:g}) {verdict}")
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if "--child" in sys.argv:
        print(json.dumps(_measure()))
    else:
        run()
