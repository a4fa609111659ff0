"""Weather benchmarks: one request serves every person in a cell, and the job's time for N cells.

``run()`` returns ``[(name, measured, unit, target), ...]``. The work happens in
a child process with a throwaway database, against the local fake Open-Meteo
of the tests (``fibrotrack/weather/tests/fakeopenmeteo.py``; no internet), so
the times are FibroTrack's own (HTTP on loopback, parsing, storing), not the
provider's.

* Requests per person: 400 people in 20 cells (20 each) opt in and the job
  back-fills a year: two requests a cell (archive + forecast) whatever the
  number of people, so 0.1 requests per person is the target.
* Back-fill time: the first run for 50 cells x 365 days (two requests and
  366 stored days a cell).
* Daily time: the next day's run for the same 50 cells (one forecast request
  a cell for the last 3 days).

Run directly: ``python benchmarks/bench_weather.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.databases import env_postgres_url, throwaway

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "bench_fibrotrack_weather"
PEOPLE, CELLS = 400, 20
JOB_CELLS = 50


def _measure() -> list[tuple[str, float, str, float]]:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from fibrotrack.accounts.models import User
    from fibrotrack.weather import actions
    from fibrotrack.weather.models import WeatherCell, WeatherDay, WeatherLocation
    from fibrotrack.weather.tests.fakeopenmeteo import FakeOpenMeteo

    call_command("migrate", verbosity=0)
    settings.WEATHER_BACKFILL_DAYS = 365
    now = dt.datetime(2025, 6, 15, 12, tzinfo=dt.UTC)
    results: list[tuple[str, float, str, float]] = []
    with FakeOpenMeteo().running() as fake:
        settings.WEATHER_API_URL = f"{fake.base}/v1/forecast"
        settings.WEATHER_ARCHIVE_URL = f"{fake.base}/v1/archive"
        people = User.objects.bulk_create(
            User(email=f"weather{i}@example.org", display_name=f"Weather{i}") for i in range(PEOPLE)
        )
        for i, person in enumerate(people):
            cell = i % CELLS
            # Spread inside the cell (±0.04°): still one 0.1° square.
            actions.do_set_location(person, 50.0 + cell * 0.1 + (i % 9 - 4) / 100, -1.0 + (i % 7 - 3) / 100)
        assert WeatherCell.objects.count() == CELLS  # noqa: S101 - a benchmark's sanity check
        report = actions.do_fetch_all(now=now)
        assert report.failed == 0  # noqa: S101
        requests = len(fake.weather_requests())
        results.append(
            (f"weather requests per person ({PEOPLE} people in {CELLS} cells, 1-year back-fill)",
             requests / PEOPLE, "req/pers", 2 * CELLS / PEOPLE)
        )  # fmt: skip

        WeatherLocation.objects.all().delete()
        WeatherDay.objects.all().delete()
        WeatherCell.objects.all().delete()
        for c in range(JOB_CELLS):
            actions.do_set_location(people[c], 40.0 + c * 0.3, 10.0)
        fake.requests.clear()
        t0 = time.perf_counter()
        report = actions.do_fetch_all(now=now)
        backfill = time.perf_counter() - t0
        assert report.failed == 0 and report.days == JOB_CELLS * 366  # noqa: S101
        results.append((f"weather job, first run: {JOB_CELLS} cells x 1 year back-fill", backfill, "s", 30.0))
        t0 = time.perf_counter()
        report = actions.do_fetch_all(now=now + dt.timedelta(days=1))
        daily = time.perf_counter() - t0
        assert report.requests == JOB_CELLS  # noqa: S101
        results.append((f"weather job, daily run: {JOB_CELLS} cells", daily, "s", 5.0))
    return results


def run() -> list[tuple[str, float, str, float]]:
    """Run the benchmark in a child process with a throwaway database; print and return the figures."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    env["DATABASE_URL"], _ = throwaway(DB_NAME, env_postgres_url())
    env.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    env["PYTHONPATH"] = str(ROOT)
    completed = subprocess.run(
        [sys.executable, __file__, "--child"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    sys.stderr.write(completed.stderr)
    if completed.returncode != 0:
        raise RuntimeError(f"weather benchmark failed:\n{completed.stdout}\n{completed.stderr}")
    rows = [tuple(row) for row in json.loads(completed.stdout.strip().splitlines()[-1])]
    for name, measured, unit, target in rows:
        verdict = "ok" if measured <= target else "MISSED"
        print(f"{name:<75} {measured:8.3f} {unit:<8} (target ≤ {target:g}) {verdict}")
    return rows  # type: ignore[return-value]


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if "--child" in sys.argv:
        print(json.dumps(_measure()))
    else:
        run()
