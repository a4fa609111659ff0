"""Reports benchmarks: the dashboard over ten years of diary and the doctor's PDF for one year.

``run()`` returns ``[(name, measured, unit, target), ...]``. The work happens in
a child process with its own throwaway database (SQLite in a temporary folder,
or a ``bench_fibrotrack_reports`` database when ``DATABASE_URL`` is PostgreSQL),
so it never touches anyone's data.

* "My progress" at a glance (``reports:dashboard``: this week against the
  usual, what is running, the insights over the last year) and the details
  page (``reports:details``, the full dashboard): median of 25 requests
  through ``django.test.Client`` (middleware, view, templates; no network)
  for a person with ten years of daily entries, a treatment with dose steps
  and logged doses, a side effect and monthly ACR 2016 questionnaires. The
  details page is measured for the default period (3 months) and the longest
  preset (1 year). The query counts are compared with a person who has one
  year of the same data: the difference must be 0.
* PDF: median of 7 renders of the default report for the last year (summary,
  charts and the daily appendix) with WeasyPrint.

Run directly: ``python benchmarks/bench_reports.py``.
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
from benchmarks.measure import median_ms, query_count

ROOT = Path(__file__).resolve().parent.parent
PDF_RUNS = 7
DB_NAME = "bench_fibrotrack_reports"


def _measure() -> list[tuple[str, float, str, float]]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from fibrotrack.lib.dates import diary_day
    from fibrotrack.lib.reference import load_all
    from fibrotrack.lib.testing.factories import UserFactory
    from fibrotrack.reports.pdf import render_report_pdf
    from fibrotrack.reports.tests.seed import seed_diary

    call_command("migrate", verbosity=0)
    load_all()
    started = time.perf_counter()
    big = UserFactory(email="ten-years@example.org")
    small = UserFactory(email="one-year@example.org")
    today = diary_day(big)
    seed_diary(big, today - dt.timedelta(days=3652), today, seed=10)
    seed_diary(small, today - dt.timedelta(days=365), today, seed=11)
    print(f"  seeded 10 + 1 years of diary in {time.perf_counter() - started:.0f} s", file=sys.stderr)

    big_client, small_client = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    big_client.force_login(big)
    small_client.force_login(small)
    glance = reverse("reports:dashboard")
    url = reverse("reports:details")
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        big_client.get(url + "?period=365")
        profile = cProfile.Profile()
        profile.enable()
        big_client.get(url + "?period=365")
        profile.disable()
        pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
    results: list[tuple[str, float, str, float]] = [
        ("My progress at a glance, 10 years of data", median_ms(big_client, glance), "ms", 150.0),
        ("reports dashboard, 10 years of data, default period (3 months)", median_ms(big_client, url), "ms", 150.0),
        (
            "reports dashboard, 10 years of data, 1-year period",
            median_ms(big_client, url + "?period=365"),
            "ms",
            150.0,
        ),
    ]
    q_big, q_small = query_count(big_client, url + "?period=365"), query_count(small_client, url + "?period=365")
    results.append(("dashboard queries: |10 years minus 1 year of data|", float(abs(q_big - q_small)), "queries", 0.0))
    q_big, q_small = query_count(big_client, glance), query_count(small_client, glance)
    results.append(
        ("My progress queries: |10 years minus 1 year of data|", float(abs(q_big - q_small)), "queries", 0.0)
    )

    start = today - dt.timedelta(days=364)
    render_report_pdf(big, start, today)  # warm up fonts and templates
    times = []
    for _ in range(PDF_RUNS):
        t0 = time.perf_counter()
        pdf = render_report_pdf(big, start, today)
        times.append(time.perf_counter() - t0)
        assert pdf.startswith(b"%PDF")
    results.append(
        ("doctor's report PDF, 1 year (default sections, with appendix)", statistics.median(times), "s", 2.0)
    )
    return results


def run() -> list[tuple[str, float, str, float]]:
    """Run the benchmark in a child process with a throwaway database; print and return the figures."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    env["DATABASE_URL"], _ = throwaway(DB_NAME, env_postgres_url())
    env.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    env["PYTHONPATH"] = str(ROOT)  # the child imports benchmarks.* too
    completed = subprocess.run(
        [sys.executable, __file__, "--child"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    sys.stderr.write(completed.stderr)
    if completed.returncode != 0:
        raise RuntimeError(f"reports benchmark failed:\n{completed.stdout}\n{completed.stderr}")
    rows = [tuple(row) for row in json.loads(completed.stdout.strip().splitlines()[-1])]
    for name, measured, unit, target in rows:
        verdict = "ok" if measured <= target else "MISSED"
        print(f"{name:<75} {measured:8.2f} {unit:<8} (target ≤ {target:g}) {verdict}")
    return rows  # type: ignore[return-value]


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if "--child" in sys.argv:
        print(json.dumps(_measure()))
    else:
        run()
