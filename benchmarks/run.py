"""``make bench``: every benchmark, printed against its target.

Each ``benchmarks/bench_<area>.py`` exposes ``run() -> [(name, measured, unit,
target), ...]`` where lower is better, prints its own figures as it goes, and
works on a throwaway database of its own. This runner calls them in turn,
prints one summary with measured ÷ target for every figure (≤ 1.00 meets the
target), the machine it ran on, and exits 1 if any figure missed.

Benchmarks are never part of the test suite: timings depend on the machine.
``python benchmarks/run.py diary stats`` runs just those areas.
"""

from __future__ import annotations

import importlib
import math
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AREAS = (
    "diary",
    "stats",
    "community",
    "reports",
    "data",
    "trials",
    "api",
    "weather",
    "outcomes",
    "offline",
    "wearables",
    "reminders",
    "knowledge",
    "i18n",
    "studies",
    "studies_dashboard",
    "studies_results",
    "busyhour",
)


def machine() -> str:
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        model = platform.processor() or "unknown CPU"
    return f"{os.cpu_count()} × {model}, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    wanted = argv or [a for a in AREAS if (ROOT / "benchmarks" / f"bench_{a}.py").exists()]
    summary: list[tuple[str, str, float, str, float]] = []
    for area in wanted:
        print(f"\n== {area} ==", flush=True)
        started = time.perf_counter()
        module = importlib.import_module(f"benchmarks.bench_{area}")
        for name, measured, unit, target in module.run():
            summary.append((area, name, measured, unit, target))
        print(f"   ({time.perf_counter() - started:.0f} s)", flush=True)

    print(f"\n== summary ({machine()}) ==")
    missed = 0
    for _area, name, measured, unit, target in summary:
        if math.isinf(target):
            print(f"{name:<95} {measured:10.2f} {unit:<8}  reported only")
            continue
        ratio = measured / target if target else (0.0 if measured <= 0 else math.inf)
        verdict = "ok" if measured <= target else "MISSED"
        missed += verdict == "MISSED"
        print(f"{name:<95} {measured:10.2f} {unit:<8} target {target:g}: {ratio:5.2f} × target  {verdict}")
    print(f"\n{len(summary) - missed} of {len(summary)} figures met their targets.")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
