"""Data portability benchmarks: the full JSON export of ten years, and a million-row Flaredown import.

``run()`` returns ``[(name, measured, unit, target), ...]``. Each measurement
runs in its own child process with its own throwaway database (SQLite in a
temporary folder, or a fresh ``bench_fibrotrack_data`` database when
``DATABASE_URL`` points at PostgreSQL), so it never touches real data and the
import's peak memory is that process's alone.

* JSON export: ten years of diary (a check-in on ~90 % of days with six
  scores, sleep and tags; a regimen with dose steps and daily dose logs; a
  side effect with reports; monthly ACR 2016) seeded in bulk; the median of
  5 full exports (``export_json``: build the document and serialise it).
* Import: a generated Flaredown research export of 1,000,000 rows for one
  person (10,000 days × 100 rows: 40 conditions/symptoms, 20 treatments,
  20 tags, 5 foods, 10 weather values and 5 HBI rows a day, with one bad row
  in a thousand), imported with ``flaredown_research.apply`` (the preview
  pass and the write pass). Peak memory is the child's maximum resident set
  size (``resource.getrusage``), Python and Django included.

Run directly: ``python benchmarks/bench_data.py`` (BENCH_IMPORT_ROWS=100000
for a quicker look).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.databases import env_postgres_url, throwaway

ROOT = Path(__file__).resolve().parent.parent
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "1000000"))
ROWS_PER_DAY = 100
HEADER = [
    "user_id",
    "age",
    "sex",
    "country",
    "checkin_date",
    "trackable_id",
    "trackable_type",
    "trackable_name",
    "trackable_value",
]


def generate_flaredown(path: Path, rows: int, end: dt.date, seed: int = 6) -> None:
    """A Flaredown research export for one person, streamed to disk."""
    rng = random.Random(seed)
    symptoms = ["Fatigue", "Brain fog", "Fibromyalgia", "Headache", "Nausea"] + [f"Symptom {i}" for i in range(35)]
    treatments = ["Ibuprofen", "Duloxetine", "Melatonin", "Magnesium"] + [f"Remedy {i}" for i in range(16)]
    tags = ["Stress", "Travel", "Poor sleep"] + [f"Tag {i}" for i in range(17)]
    foods = ["Coffee", "Gluten", "Sugar", "Dairy", "Alcohol"]
    weather = ["icon", "temperature_min", "temperature_max", "precip_intensity", "pressure", "humidity"]
    weather += ["wind", "uv", "visibility", "cloud_cover"]
    days = -(-rows // ROWS_PER_DAY)
    start = end - dt.timedelta(days=days - 1)
    written = 0
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for d in range(days):
            day = (start + dt.timedelta(days=d)).isoformat()
            base = ["QEVuQwEA", "41", "female", "GB", day]
            batch = [
                [*base, str(i), "Symptom" if i % 4 else "Condition", name, str(rng.randint(0, 4))]
                for i, name in enumerate(symptoms)
            ]
            batch += [
                [
                    *base,
                    str(100 + i),
                    "Treatment",
                    name,
                    f"{(10 + i) * (1 + (d // 90) % 3)}.0 mg" if i % 5 else "1 pill",
                ]
                for i, name in enumerate(treatments)
            ]
            batch += [[*base, str(200 + i), "Tag", name, ""] for i, name in enumerate(tags)]
            batch += [[*base, str(300 + i), "Food", name, ""] for i, name in enumerate(foods)]
            batch += [
                [*base, str(400 + i), "Weather", name, f"{rng.uniform(0, 30):.1f}"] for i, name in enumerate(weather)
            ]
            batch += [[*base, str(500 + i), "HBI", f"hbi_{i}", "1"] for i in range(5)]
            for row in batch:
                if written >= rows:
                    return
                written += 1
                if written % 1000 == 0:
                    row = [*row[:6], "Symptom", "Fatigue", "9"]  # a bad row: 9 is not 0-4
                writer.writerow(row)


def _setup() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from fibrotrack.lib.reference import load_all

    call_command("migrate", verbosity=0)
    load_all()


def _measure_export() -> list[tuple[str, float, str, float]]:
    _setup()
    from fibrotrack.lib.dates import diary_day
    from fibrotrack.lib.testing.factories import UserFactory
    from fibrotrack.portability.export_json import export_json
    from fibrotrack.reports.tests.seed import seed_diary

    user = UserFactory(email="bench@example.org")
    end = diary_day(user)
    started = time.perf_counter()
    seed_diary(user, end - dt.timedelta(days=3652), end)
    print(f"  seeded ten years in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    export_json(user)  # warm
    times, size = [], 0
    for _ in range(5):
        started = time.perf_counter()
        size = len(export_json(user))
        times.append(time.perf_counter() - started)
    print(f"  JSON export: {size / 1e6:.1f} MB", file=sys.stderr)
    return [("full JSON export, 10 years (median of 5)", statistics.median(times), "s", 1.0)]


def _measure_import(path: str) -> list[tuple[str, float, str, float]]:
    import resource

    _setup()
    from fibrotrack.diary.models import SymptomScore
    from fibrotrack.lib.testing.factories import UserFactory
    from fibrotrack.portability.imports import reader
    from fibrotrack.portability.imports.base import Options

    user = UserFactory(email="bench@example.org")
    started = time.perf_counter()
    result = reader("flaredown-research").apply(Path(path), user, Options())
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    written = dict(result.written)
    print(
        f"  imported {IMPORT_ROWS:,} rows: {written['New diary days']:,} days, "
        f"{SymptomScore.objects.count():,} scores, {written['Doses']:,} doses, "
        f"{result.problem_count:,} bad rows reported",
        file=sys.stderr,
    )
    return [
        (f"Flaredown import, {IMPORT_ROWS:,} rows", elapsed, "s", 90.0),
        (f"Flaredown import, {IMPORT_ROWS:,} rows: peak memory", peak_mb, "MB", 500.0),
    ]


def _child(args: list[str], database: str) -> list[tuple[str, float, str, float]]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    env["DATABASE_URL"], _ = throwaway(database, env_postgres_url())
    env.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    env["PYTHONPATH"] = str(ROOT)  # the child imports benchmarks.* too
    completed = subprocess.run(
        [sys.executable, __file__, "--child", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    sys.stderr.write(completed.stderr)
    if completed.returncode != 0:
        raise RuntimeError(f"data benchmark failed:\n{completed.stdout}\n{completed.stderr}")
    return [tuple(row) for row in json.loads(completed.stdout.strip().splitlines()[-1])]  # type: ignore[misc]


def run() -> list[tuple[str, float, str, float]]:
    """Run both measurements in child processes; print and return the figures."""
    rows = _child(["export"], "bench_fibrotrack_data")
    with tempfile.TemporaryDirectory(prefix="fibrotrack-flaredown-") as folder:
        path = Path(folder) / "flaredown.csv"
        generate_flaredown(path, IMPORT_ROWS, dt.date.today() - dt.timedelta(days=2))  # noqa: DTZ011
        print(f"  generated {path.stat().st_size / 1e6:.0f} MB of Flaredown rows", file=sys.stderr)
        rows += _child(["import", str(path)], "bench_fibrotrack_data")
    for name, measured, unit, target in rows:
        verdict = "ok" if measured <= target else "MISSED"
        print(f"{name:<60} {measured:8.2f} {unit:<4} (target ≤ {target:g}) {verdict}")
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if "--child" in sys.argv:
        kind = sys.argv[sys.argv.index("--child") + 1]
        if kind == "export":
            print(json.dumps(_measure_export()))
        else:
            print(json.dumps(_measure_import(sys.argv[sys.argv.index("--child") + 2])))
    else:
        run()
