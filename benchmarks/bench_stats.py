"""Benchmarks for fibrostats (``make bench``), printed against the issue's targets.

1. One outcome over 2 years of daily data analysed in <= 50 ms (median).
2. A series of 1,000 participants x 120 days pooled in <= 10 s.
3. ``python -m fibrostats analyze`` on a 1-year file, start to finish, <= 1.5 s.

Run: ``python benchmarks/bench_stats.py`` (exit code 1 if a target is missed).
The data are synthetic with AR(1) noise and ~10% missing days; each figure is
a median over repeated runs after a warm-up, measured on this machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fibrostats import AnalysisConfig, OutcomeSpec, analyze, ar1_noise, pooled_series, simulate_diary  # noqa: E402


def _timed(fn: Callable[[], object], repeat: int) -> list[float]:
    fn()  # warm-up: imports, caches
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def bench_two_years(repeat: int) -> float:
    plan = [("baseline", 60), ("placebo", 60), ("ldn", 550), ("washout", 60)]  # 730 days
    df = simulate_diary(
        plan,
        {"baseline": 6.0, "placebo": 5.6, "ldn": 4.2, "washout": 5.5},
        sd=1.5,
        rho=0.5,
        seed=1,
        missing_fraction=0.1,
        clip=(0.0, 10.0),
        adherence=0.9,
    )
    cfg = AnalysisConfig(outcomes=[OutcomeSpec("pain")], treatment="ldn")
    return statistics.median(_timed(lambda: analyze(df, cfg), repeat))


def bench_pooled(repeat: int) -> float:
    rng = np.random.default_rng(2)
    k, n = 1000, 120
    effects = -1.0 + 0.5 * rng.normal(size=k)
    x = np.tile((np.arange(n) // 30) % 2, k)  # ABAB, 30-day periods
    y = np.repeat(5.0 + rng.normal(size=k), n) + np.repeat(effects, n) * x + ar1_noise(rng, k, n, 1.2, 0.4).ravel()
    df = pd.DataFrame(
        {"participant": np.repeat(np.arange(k), n), "treatment": x, "outcome": y, "day": np.tile(np.arange(n), k)}
    )
    df = df.sample(frac=0.9, random_state=3).sort_index()  # ~10% missing days
    return statistics.median(_timed(lambda: pooled_series(df, time="day"), repeat))


def bench_cli(repeat: int) -> float:
    plan = [("baseline", 28), ("placebo", 28), ("ldn", 281), ("washout", 28)]  # 365 days
    df = simulate_diary(
        plan,
        {"baseline": 6.0, "placebo": 5.6, "ldn": 4.2, "washout": 5.5},
        seed=4,
        missing_fraction=0.1,
        clip=(0.0, 10.0),
    )
    df["sleep"] = np.clip(10 - df["pain"], 0, 10)
    df["date"] = df["date"].dt.strftime("%Y-%m-%d")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "year.csv"
        df.round(1).to_csv(path, index=False)
        argv = [sys.executable, "-m", "fibrostats", "analyze", str(path), "--treatment", "ldn", "--format", "json"]

        def run() -> None:
            subprocess.run(argv, check=True, capture_output=True, cwd=ROOT)  # noqa: S603

        return statistics.median(_timed(run, repeat))


def measure(quick: bool = False) -> list[tuple[str, float, float]]:
    r = 3 if quick else 1
    return [
        ("analyze: 1 outcome x 2 years (median)", bench_two_years(30 // r), 0.050),
        ("pooled_series: 1,000 people x 120 days", bench_pooled(3 // r), 10.0),
        ("python -m fibrostats analyze, 1-year file", bench_cli(5 // r + 1), 1.5),
    ]


def run() -> list[tuple[str, float, str, float]]:
    """The figures in the shape ``benchmarks/run.py`` collects: (name, measured, unit, target)."""
    rows = [(name, seconds * 1000, "ms", target * 1000) for name, seconds, target in measure()]
    for name, measured, unit, target in rows:
        print(f"{name:<75} {measured:8.1f} {unit:<8} (target ≤ {target:g}) {'ok' if measured <= target else 'MISSED'}")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    failed = False
    print(f"{'benchmark':45s} {'measured':>10s} {'target':>10s}  result")
    for name, seconds, target in measure(args.quick):
        ok = seconds <= target
        failed |= not ok
        print(f"{name:45s} {seconds * 1000:8.1f}ms {target * 1000:8.0f}ms  {'ok' if ok else 'MISSED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
