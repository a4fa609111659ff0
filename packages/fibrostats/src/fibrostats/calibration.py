"""Calibration of the default intervals on the design where they are weakest.

The LDN pilot design of Younger & Mackey (2009) as FibroTrack runs it:
baseline 14 days, placebo 14, LDN 56, washout 14 (recorded, not counted),
daily pain as a whole number on 0-10, AR(1) day-to-day correlation.  The
14-day placebo phase is the short arm of the comparison that matters
(LDN against placebo).  For each cell (one rho), :func:`run_cell` analyses
seeded synthetic diaries exactly as :func:`fibrostats.analyze` does with the
trials app's configuration (:data:`CONFIG`), and counts how often the 95%
interval covers the true difference (with an effect) and excludes zero
(without one).  Alongside it counts the same for the plug-in interval used
before the Kenward-Roger adjustment (same estimate and degrees of freedom,
unadjusted variance), so that the table shows before and after.

``python -m fibrostats.calibration`` prints the table in
docs/analysis-methods.md section 12 (``--reps`` series a cell and condition;
``--via-analyze`` runs every series through :func:`~fibrostats.analyze`
itself and checks that it gives the same intervals).  The seed is fixed in
:data:`SEED`, chosen before any result was seen.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import special

from .analysis import analyze
from .contrasts import build_model, contrast_vector, effect, t_quantile
from .data import FloatArray, Series, _runs
from .simulate import ar1_noise, phase_labels
from .types import AnalysisConfig, OutcomeSpec

#: The Younger & Mackey (2009) pilot plan; the washout is recorded but, as in
#: the app's LDN pilot template, not counted in the comparisons.
PLAN: tuple[tuple[str, int], ...] = (("baseline", 14), ("placebo", 14), ("ldn", 56), ("washout", 14))
#: True phase means of the latent daily value (0-10 pain, lower is better)
#: and its SD; the recorded score is the latent value rounded and clipped.
EFFECT_MEANS = {"baseline": 6.0, "placebo": 5.4, "ldn": 4.0, "washout": 5.5}
NULL_MEANS = dict.fromkeys(EFFECT_MEANS, 5.4)
SD = 1.5
SCALE = (0, 10)
RHOS = (0.0, 0.3, 0.6)
#: Entropy of the seed sequence; each cell's two generators (with and
#: without an effect) are spawned from it by the cell's index, so the cells
#: are independent and reproducible.
SEED = 1306
REPS = 4000
LEVEL = 0.95
OUTCOME = OutcomeSpec("pain")

#: The app's configuration of the LDN pilot (fibrotrack/trials/result.py):
#: LDN against placebo first, then against baseline, washout not counted.
CONFIG = AnalysisConfig(
    outcomes=[OUTCOME],
    reference="placebo",
    treatment="ldn",
    placebo=None,
    comparisons=[("baseline", "ldn")],
    exclude_phases=("washout",),
    ci_level=LEVEL,
)
INCLUDED = ["baseline", "placebo", "ldn"]
CONTRASTS = (("placebo", "ldn"), ("baseline", "ldn"))
METHODS = ("before", "after")

Intervals = dict[tuple[str, tuple[str, str]], tuple[float, float]]


def expected_score(mean: float, sd: float = SD, scale: tuple[int, int] = SCALE) -> float:
    """E[clip(round(mean + e), scale)] for e ~ N(0, sd^2): the true phase mean on the recorded scale."""
    lo, hi = scale
    ks = np.arange(lo, hi + 1, dtype=np.float64)
    upper = np.append((ks[:-1] + 0.5 - mean) / sd, np.inf)
    lower = np.insert((ks[1:] - 0.5 - mean) / sd, 0, -np.inf)
    probs = special.ndtr(upper) - special.ndtr(lower)
    return float(ks @ probs)


def true_differences(means: dict[str, float]) -> dict[tuple[str, str], float]:
    return {(r, t): expected_score(means[t]) - expected_score(means[r]) for r, t in CONTRASTS}


def integer_diaries(rng: np.random.Generator, reps: int, rho: float, means: dict[str, float]) -> FloatArray:
    """``reps`` diaries (rows) of whole-number scores: round(mean + AR(1) noise), clipped to 0-10."""
    labels = phase_labels(PLAN)
    mu = np.array([means[str(p)] for p in labels], dtype=np.float64)
    latent = mu + ar1_noise(rng, reps, labels.size, SD, rho)
    return np.clip(np.rint(latent), SCALE[0], SCALE[1])


def _labels() -> npt.NDArray[np.object_]:
    return phase_labels(PLAN)


def intervals(y: FloatArray) -> Intervals:
    """The 95% intervals of one diary, after (reported) and before (plug-in variance).

    The same ``build_model``/``effect`` calls that :func:`~fibrostats.analyze`
    makes with :data:`CONFIG`, without the parts that do not touch the
    intervals (:func:`intervals_via_analyze` checks that they agree).
    """
    labels = _labels()
    t = np.arange(labels.size, dtype=np.int64)
    series = Series(
        first_date=dt.date(2024, 1, 1),
        t=t,
        phase=labels,
        values={OUTCOME.name: y},
        taken=None,
        phase_order=[p for p, _ in PLAN],
        runs=_runs(labels, t),
        lines=None,
    )
    model = build_model(series, OUTCOME, INCLUDED, trend=False, hac_maxlags=None, notices=[])
    fit = model.ar1
    if fit is None or fit.cov_plugin is None:
        raise RuntimeError("the AR(1) model could not be fitted")
    out: Intervals = {}
    for ref, trt in CONTRASTS:
        c = contrast_vector(model, ref, trt)
        e = effect(fit, c, OUTCOME, LEVEL, "ar1-gls")
        lo, hi, df = e.difference.ci_low, e.difference.ci_high, e.df
        if lo is None or hi is None or df is None:
            raise RuntimeError(f"no interval for {trt} - {ref}")
        out[("after", (ref, trt))] = (lo, hi)
        half = t_quantile(df, LEVEL) * math.sqrt(float(c @ fit.cov_plugin @ c))
        est = float(c @ fit.params)
        out[("before", (ref, trt))] = (est - half, est + half)
    return out


def intervals_via_analyze(y: FloatArray) -> dict[tuple[str, str], tuple[float, float]]:
    """The reported intervals from :func:`~fibrostats.analyze` itself."""
    labels = _labels()
    dates = pd.date_range(pd.Timestamp(dt.date(2024, 1, 1)), periods=labels.size, freq="D")
    df = pd.DataFrame({"date": dates, "phase": labels.astype(str), OUTCOME.name: y})
    out: dict[tuple[str, str], tuple[float, float]] = {}
    for c in analyze(df, CONFIG).outcome(OUTCOME.name).contrasts:
        lo = None if c.primary is None else c.primary.difference.ci_low
        hi = None if c.primary is None else c.primary.difference.ci_high
        if lo is None or hi is None:
            raise RuntimeError(f"no interval for {c.treatment} - {c.reference}")
        out[(c.reference, c.treatment)] = (lo, hi)
    return out


@dataclass(frozen=True)
class CellResult:
    """One cell: per method and contrast, ``coverage`` with the effect and ``false_positive`` without."""

    rho: float
    reps: int
    coverage: dict[tuple[str, tuple[str, str]], float]
    false_positive: dict[tuple[str, tuple[str, str]], float]
    seconds: float

    def mc_se(self, rate: float) -> float:
        """Monte Carlo standard error of a rate estimated from ``reps`` series."""
        return math.sqrt(rate * (1.0 - rate) / self.reps)


def run_cell(rho: float, *, reps: int = REPS, seed: int = SEED, via_analyze: bool = False) -> CellResult:
    """Coverage and false-positive rate of the 95% intervals at one rho, before and after."""
    effect_seed, null_seed = np.random.SeedSequence(seed, spawn_key=(RHOS.index(rho),)).spawn(2)
    keys = [(m, c) for m in METHODS for c in CONTRASTS]
    covered = dict.fromkeys(keys, 0)
    rejected = dict.fromkeys(keys, 0)
    start = time.perf_counter()
    for means, rng, counts in (
        (EFFECT_MEANS, np.random.default_rng(effect_seed), covered),
        (NULL_MEANS, np.random.default_rng(null_seed), rejected),
    ):
        truth = true_differences(means)
        for y in integer_diaries(rng, reps, rho, means):
            found = intervals(y)
            if via_analyze:
                for pair, reported in intervals_via_analyze(y).items():
                    if not np.allclose(reported, found[("after", pair)], rtol=1e-12, atol=1e-12):
                        raise RuntimeError(f"analyze gives {reported}, the fast path {found[('after', pair)]}")
            for key, (lo, hi) in found.items():
                inside = lo <= truth[key[1]] <= hi
                counts[key] += inside if counts is covered else not inside
    return CellResult(
        rho=rho,
        reps=reps,
        coverage={k: v / reps for k, v in covered.items()},
        false_positive={k: v / reps for k, v in rejected.items()},
        seconds=time.perf_counter() - start,
    )


def table(cells: Sequence[CellResult]) -> str:
    """The markdown table of docs/analysis-methods.md section 12 (MC SE in brackets)."""
    rows = [
        "| ρ | contrast | coverage before → after | false positives before → after |",
        "| --- | --- | --- | --- |",
    ]

    def pct(cell: CellResult, rate: float) -> str:
        return f"{100 * rate:.1f}% ({100 * cell.mc_se(rate):.1f})"

    for cell in cells:
        for ref, trt in CONTRASTS:
            cov = [cell.coverage[(m, (ref, trt))] for m in METHODS]
            fp = [cell.false_positive[(m, (ref, trt))] for m in METHODS]
            rows.append(
                f"| {cell.rho:.1f} | {trt.upper()} − {ref} | {pct(cell, cov[0])} → **{pct(cell, cov[1])}** "
                f"| {pct(cell, fp[0])} → **{pct(cell, fp[1])}** |"
            )
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fibrostats.calibration", description=__doc__)
    parser.add_argument("--reps", type=int, default=REPS, help=f"series a cell and condition (default {REPS})")
    parser.add_argument("--rho", type=float, action="append", choices=RHOS, help="only these cells")
    parser.add_argument("--via-analyze", action="store_true", help="also run every series through analyze()")
    args = parser.parse_args(argv)
    cells = []
    for rho in args.rho or RHOS:
        cell = run_cell(rho, reps=args.reps, via_analyze=args.via_analyze)
        cells.append(cell)
        print(f"rho={rho:.1f}: {cell.seconds:.0f} s for {2 * args.reps} series", file=sys.stderr)
    print(table(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
