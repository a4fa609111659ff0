"""Watch exports: a 2 GB Apple Health export.xml imported, against 3 minutes and 300 MB.

The export is generated here, streamed to disk (``generate_apple``: about
5,000 days of an Apple Watch and an iPhone, 700 heart-rate samples a day with
their metadata, step counts from both, a night of sleep stages, resting heart
rate and HRV, in the real format with its DTD header). It is then imported
in a child process with its own throwaway database, the way the background
worker does it (``reader("apple-health").apply``: streamed parse, then the
daily measures and hours slept written in one transaction). Peak memory is the
child's maximum resident set size, Python and Django included.

``BENCH_WEARABLE_BYTES=200000000 python benchmarks/bench_wearables.py`` for a
quicker look (the figures are then for that size, not 2 GB).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.databases import env_postgres_url, throwaway

ROOT = Path(__file__).resolve().parent.parent
SIZE = int(os.environ.get("BENCH_WEARABLE_BYTES", str(2 * 1024**3)))  # 2 GiB
TARGET_SECONDS, TARGET_MB = 180.0, 300.0


def _measure(path: str) -> list[tuple[str, float, str, float]]:
    import resource

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from fibrotrack.diary.models import CheckIn, DailyMeasure
    from fibrotrack.lib.testing.factories import UserFactory
    from fibrotrack.portability.imports import reader
    from fibrotrack.portability.imports.base import Options

    user = UserFactory(email="bench@example.org", time_zone="Europe/Berlin")
    started, cpu = time.perf_counter(), time.process_time()
    result = reader("apple-health").apply(Path(path), user, Options())
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        f"  imported {dict(result.written)}: {DailyMeasure.objects.count():,} measures, "
        f"{CheckIn.objects.count():,} diary days",
        file=sys.stderr,
    )
    label = f"Apple Health import, {Path(path).stat().st_size / 1e9:.2f} GB export.xml"
    return [
        (label, elapsed, "s", TARGET_SECONDS),
        # On a shared machine the wall time includes waiting for a core; the CPU time is what it costs.
        (f"{label}: CPU time (the wall time on an idle machine)", cpu, "s", TARGET_SECONDS),
        (f"{label}: peak memory", peak_mb, "MB", TARGET_MB),
    ]


def run() -> list[tuple[str, float, str, float]]:
    sys.path.insert(0, str(ROOT))
    from fibrotrack.portability.tests.wearable_helpers import generate_apple

    with tempfile.TemporaryDirectory(prefix="fibrotrack-apple-") as folder:
        path = Path(folder) / "export.xml"
        started = time.perf_counter()
        days = generate_apple(path, SIZE)
        print(
            f"  generated {path.stat().st_size / 1e9:.2f} GB ({days:,} days) in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
        env = dict(os.environ)
        env["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
        env["DATABASE_URL"], _ = throwaway("bench_fibrotrack_wearables", env_postgres_url())
        env.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
        env["PYTHONPATH"] = str(ROOT)
        completed = subprocess.run(
            [sys.executable, __file__, "--child", str(path)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    sys.stderr.write(completed.stderr)
    if completed.returncode != 0:
        raise RuntimeError(f"wearables benchmark failed:\n{completed.stdout}\n{completed.stderr}")
    rows: list[tuple[str, float, str, float]] = [
        (str(n), float(m), str(u), float(t)) for n, m, u, t in json.loads(completed.stdout.strip().splitlines()[-1])
    ]
    for name, measured, unit, target in rows:
        print(f"{name:<60} {measured:8.2f} {unit:<4} (target ≤ {target:g}): {measured / target:.2f} × target")
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if "--child" in sys.argv:
        print(json.dumps(_measure(sys.argv[sys.argv.index("--child") + 1])))
    else:
        run()
