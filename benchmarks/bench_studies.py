"""Benchmarks for research studies (``make bench``), printed against the issue's targets.

1. The pooled study analysis of 1,000 participants x 120 days in <= 10 s:
   ``fibrostats.analyze_study`` on a simulated counterbalanced crossover
   (14 baseline days, 70 on LDN, 36 on placebo; ~10% of days missing), one
   outcome: both pooled contrasts (vs placebo and vs baseline) with every
   participant's own estimate, responders, percent changes and the crossover
   check, plus the blinding index.

Run: ``python benchmarks/bench_studies.py`` (exit code 1 if a target is missed).
The figure is the median of repeated runs after a warm-up, on this machine.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fibrostats import OutcomeSpec, analyze_study, simulate_study  # noqa: E402

TARGET_S = 10.0


def bench_pooled_study(repeat: int = 3) -> float:
    study = simulate_study(
        1000, baseline_days=14, treatment_days=70, placebo_days=36, missing_fraction=0.1, rho=0.4, seed=18
    )

    def run() -> None:
        analyze_study(study.diary, [OutcomeSpec("pain")], treatment="ldn", guesses=study.guesses)

    run()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run() -> list[tuple[str, float, str, float]]:
    """The figures in the shape ``benchmarks/run.py`` collects: (name, measured, unit, target)."""
    seconds = bench_pooled_study()
    name = "analyze_study: 1,000 participants x 120 days, pooled + responders + crossover"
    verdict = "ok" if seconds <= TARGET_S else "MISSED"
    print(f"{name:<75} {seconds * 1000:8.1f} ms       (target ≤ {TARGET_S * 1000:g}) {verdict}", flush=True)
    return [(name, seconds * 1000, "ms", TARGET_S * 1000)]


def main() -> int:
    rows = run()
    return 0 if all(measured <= target for _name, measured, _unit, target in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
