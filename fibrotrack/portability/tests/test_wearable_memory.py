"""A large Apple Health export is streamed: memory follows the number of days, never the file's size.

Each read runs in a child process, so its peak resident memory (``ru_maxrss``,
Python and Django included) is its own. A 200 MB export.xml read whole would
need several times its size; streamed, it needs a few MB more than a 20 MB one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fibrotrack.portability.tests.wearable_helpers import EXPECTED_DAY, generate_apple

ROOT = Path(__file__).resolve().parents[3]
CHILD = """
import datetime as dt, json, resource, sys, zoneinfo
from pathlib import Path
import django
django.setup()
from fibrotrack.portability.wearables import apple
summary = apple.read(Path(sys.argv[1]), zoneinfo.ZoneInfo("Europe/Berlin"))
day = dt.date(2005, 1, 10)
print(json.dumps({
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "days": len(summary.steps),
    "day": [summary.steps[day], summary.sleep[day], summary.resting_hr[day], summary.hrv[day]],
}))
"""


def _read_in_child(path: Path) -> dict[str, Any]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(  # noqa: S603  (our own interpreter and script)
        [sys.executable, "-c", CHILD, str(path)], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


@pytest.mark.slow
def test_a_200_mb_export_needs_no_more_memory_than_a_20_mb_one(tmp_path):
    small, large = tmp_path / "small.xml", tmp_path / "large.xml"
    small_days = generate_apple(small, 20_000_000)
    large_days = generate_apple(large, 200_000_000)
    assert large.stat().st_size >= 200_000_000
    first, second = _read_in_child(small), _read_in_child(large)
    expected = [EXPECTED_DAY["steps"], EXPECTED_DAY["sleep_hours"], EXPECTED_DAY["resting_hr"], EXPECTED_DAY["hrv"]]
    assert first["day"] == pytest.approx(expected) and second["day"] == pytest.approx(expected)
    assert (first["days"], second["days"]) == (small_days, large_days)
    print(f"peak RSS {first['rss_mb']:.0f} MB for 20 MB, {second['rss_mb']:.0f} MB for 200 MB")
    # Reading the 200 MB file whole (or building its tree) would add hundreds of MB.
    assert second["rss_mb"] < first["rss_mb"] + 40
