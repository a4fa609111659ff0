"""Randomization tests for randomized N-of-1 designs (issue item 5).

A randomization test is valid whatever the autocorrelation, because its
reference distribution is the one the experimenter created: the statistic is
recomputed under every allocation the randomization scheme could have
produced.  It is therefore only offered when the order really was randomized,
and the p-value can never be smaller than one over the number of possible
allocations (Edgington & Onghena 2007).

Designs
-------
``randomized-pairs``
    The trial is a sequence of pairs of periods; within each pair the order
    of the two conditions was randomized (e.g. by a coin toss).  Statistic:
    the mean over pairs of ``d_k``, the improvement (treatment period mean
    vs the other period's mean, positive = better).  Under the null
    hypothesis of no effect, swapping the labels within a pair flips the sign
    of ``d_k``, so the reference set is all ``2**k`` sign vectors.
``randomized-start``
    An AB design whose treatment start day was drawn at random from a window
    of ``K`` eligible days.  Statistic: the improvement of the mean after the
    start over the mean before; reference set: the statistic for each
    eligible start day.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .data import FloatArray, IntArray, Series, prepare
from .results import RandomizationResult
from .types import Alternative, AnalysisConfig, AnalysisInputError, Design, OutcomeSpec

# Two allocations whose statistics differ by less than this (relative) are
# treated as tied, so floating-point rounding cannot move the p-value.
_TIE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class TestOutcome:
    """The result of one randomization test."""

    statistic: float
    p_value: float
    method: str  # "exact" or "monte-carlo"
    n_allocations: int
    n_evaluated: int
    min_attainable_p: float
    null_distribution: FloatArray | None


def min_attainable_p(
    design: Design,
    *,
    n_pairs: int | None = None,
    n_start_days: int | None = None,
    alternative: Alternative = "greater",
) -> float:
    """Smallest p-value a randomized design can produce.

    ``randomized-pairs`` with ``k`` pairs: ``1 / 2**k`` one-sided
    (``2 / 2**k`` two-sided); 3 pairs cannot go below 0.125.
    ``randomized-start`` with ``K`` eligible start days: ``1 / K``.
    """
    if design == "randomized-pairs":
        if n_pairs is None or n_pairs < 1:
            raise ValueError("n_pairs must be at least 1")
        p = 2.0**-n_pairs
        return min(1.0, 2.0 * p) if alternative == "two-sided" else p
    if design == "randomized-start":
        if n_start_days is None or n_start_days < 1:
            raise ValueError("n_start_days must be at least 1")
        return 1.0 / n_start_days
    raise ValueError(f"design '{design}' is not randomized")


def _count_at_least(null: FloatArray, observed: float, alternative: Alternative) -> int:
    tol = _TIE_TOLERANCE * max(1.0, float(np.max(np.abs(null))), abs(observed))
    if alternative == "two-sided":
        return int(np.count_nonzero(np.abs(null) >= abs(observed) - tol))
    return int(np.count_nonzero(null >= observed - tol))


def sign_flip_distribution(differences: FloatArray) -> FloatArray:
    """All ``2**k`` values of ``mean(s * d)`` for sign vectors ``s``."""
    k = differences.size
    codes = np.arange(1 << k, dtype=np.int64)[:, None]
    bits = (codes >> np.arange(k, dtype=np.int64)) & 1
    signs = 1.0 - 2.0 * bits  # code 0 = the observed allocation
    return np.asarray((signs @ differences) / k, dtype=np.float64)


def paired_test(
    differences: Sequence[float] | FloatArray,
    *,
    alternative: Alternative = "greater",
    exact_limit: int = 1 << 16,
    draws: int = 10_000,
    seed: int = 0,
) -> TestOutcome:
    """Randomization test for ``k`` pairs with randomized order within pairs.

    ``differences[k]`` is the improvement in pair ``k`` (treatment minus
    control, signed so that positive is better).  Exact enumeration when
    ``2**k <= exact_limit``, otherwise Monte Carlo with ``draws`` random
    allocations and the conservative estimate ``(1 + hits) / (1 + draws)``
    (Phipson & Smyth 2010).
    """
    d = np.asarray(differences, dtype=np.float64)
    if d.ndim != 1 or d.size == 0 or not np.all(np.isfinite(d)):
        raise ValueError("differences must be a non-empty sequence of finite numbers")
    k = d.size
    observed = float(d.mean())
    total = 1 << k if k < 62 else math.inf
    pmin = min_attainable_p("randomized-pairs", n_pairs=k, alternative=alternative)
    if total <= exact_limit:
        null = sign_flip_distribution(d)
        hits = _count_at_least(null, observed, alternative)
        return TestOutcome(observed, hits / null.size, "exact", null.size, null.size, pmin, null)
    rng = np.random.default_rng(seed)
    signs = rng.choice(np.array([-1.0, 1.0]), size=(draws, k))
    null = (signs @ d) / k
    hits = _count_at_least(null, observed, alternative)
    return TestOutcome(
        observed,
        (1 + hits) / (1 + draws),
        "monte-carlo",
        int(total) if math.isfinite(total) else -1,
        draws,
        pmin,
        null,
    )


def start_test(
    t: IntArray | Sequence[int],
    y: FloatArray | Sequence[float],
    *,
    observed_start: int,
    candidates: Sequence[int] | IntArray,
    lower_is_better: bool = True,
    alternative: Alternative = "greater",
) -> TestOutcome:
    """Randomization test for an AB design with a randomized start day.

    ``t`` are day numbers (increasing) with observed values ``y`` (NaN =
    missing); ``candidates`` are the day numbers on which the treatment could
    have started, ``observed_start`` the one that was drawn.  Every candidate
    must leave at least one observed day on each side.
    """
    tt = np.asarray(t, dtype=np.int64)
    yy = np.asarray(y, dtype=np.float64)
    ok = ~np.isnan(yy)
    tt, yy = tt[ok], yy[ok]
    cand = np.asarray(candidates, dtype=np.int64)
    if observed_start not in set(cand.tolist()):
        raise ValueError("the observed start day is not one of the candidates")
    # Prefix sums give every split's before/after means in O(n + K).
    csum = np.concatenate([[0.0], np.cumsum(yy)])
    n_before = np.searchsorted(tt, cand, side="left")
    if np.any(n_before < 1) or np.any(n_before > tt.size - 1):
        raise ValueError("every candidate start must leave observed days on both sides")
    before = csum[n_before] / n_before
    after = (csum[-1] - csum[n_before]) / (tt.size - n_before)
    sign = -1.0 if lower_is_better else 1.0
    null = np.asarray(sign * (after - before), dtype=np.float64)
    observed = float(null[int(np.flatnonzero(cand == observed_start)[0])])
    hits = _count_at_least(null, observed, alternative)
    k = int(cand.size)
    pmin = min_attainable_p("randomized-start", n_start_days=k)
    return TestOutcome(observed, hits / k, "exact", k, k, pmin, null)


@dataclass(frozen=True)
class PairedUnits:
    differences: FloatArray
    periods: list[tuple[str, dt.date, dt.date]]
    dropped: int


def pair_differences(series: Series, outcome: OutcomeSpec, ref: str, trt: str, config: AnalysisConfig) -> PairedUnits:
    """Form the pairs of periods of a randomized-pairs design.

    Periods are runs of consecutive rows with one of the two phases, split
    every ``period_days`` days from the start of a run or at each date in
    ``period_starts``; consecutive periods form the pairs.  A pair whose
    periods do not hold one of each phase is a design error.  A pair in
    which a period has no observed value is dropped (and counted).
    """
    rows = np.flatnonzero(np.isin(series.phase, [ref, trt]))
    if rows.size == 0:
        raise AnalysisInputError("no days in the compared phases")
    t = series.t[rows]
    ph = series.phase[rows]
    period_id = np.zeros(rows.size, dtype=np.int64)
    if config.period_starts:
        starts = sorted((d - series.first_date).days for d in config.period_starts)
        period_id = np.searchsorted(np.asarray(starts), t, side="right")
        # A period must not mix phases; a change of phase also starts a period.
    current = 0
    run_start_t = int(t[0])
    ids = np.empty(rows.size, dtype=np.int64)
    for i in range(rows.size):
        if i > 0:
            new_run = ph[i] != ph[i - 1] or period_id[i] != period_id[i - 1]
            if new_run:
                run_start_t = int(t[i])
            elif config.period_days and (int(t[i]) - run_start_t) % config.period_days == 0:
                new_run = True
            if new_run:
                current += 1
        ids[i] = current
    n_periods = current + 1
    if not config.period_days and not config.period_starts:
        # The people who read this are those of the command line (the app
        # always passes period_starts), so the hint names its flag; from
        # Python it is AnalysisConfig.period_days.
        # Without the schedule, periods are runs of one phase.  Two adjacent
        # periods with the same treatment (e.g. AB|BA) merge into one run of
        # double length, so unequal runs mean the pairs cannot be recovered.
        lengths = {int(t[ids == k][-1] - t[ids == k][0]) + 1 for k in range(n_periods)}
        if len(lengths) > 1:
            raise AnalysisInputError(
                "randomized-pairs design: the runs of "
                f"'{ref}' and '{trt}' differ in length ({', '.join(map(str, sorted(lengths)))} "
                "days); give the length of each period with --period-days N"
            )
    if n_periods % 2:
        raise AnalysisInputError(
            f"randomized-pairs design: found {n_periods} periods of '{ref}' and '{trt}', "
            "which cannot be split into pairs; give the period length"
        )
    y = series.values[outcome.name][rows]
    sign = outcome.direction
    diffs: list[float] = []
    periods: list[tuple[str, dt.date, dt.date]] = []
    dropped = 0
    for k in range(0, n_periods, 2):
        means: dict[str, float] = {}
        labels: list[str] = []
        for pid in (k, k + 1):
            m = ids == pid
            label = str(ph[m][0])
            labels.append(label)
            periods.append((label, series.date_of(int(t[m][0])), series.date_of(int(t[m][-1]))))
            vals = y[m]
            vals = vals[~np.isnan(vals)]
            if vals.size:
                means[label] = float(vals.mean())
        if sorted(labels) != sorted([ref, trt]):
            raise AnalysisInputError(
                f"randomized-pairs design: pair {k // 2 + 1} holds {labels[0]!r} and "
                f"{labels[1]!r}, not one period of each of '{ref}' and '{trt}'"
            )
        if len(means) < 2:
            dropped += 1
            continue
        diffs.append(sign * (means[trt] - means[ref]))
    return PairedUnits(np.asarray(diffs, dtype=np.float64), periods, dropped)


def start_candidates(series: Series, config: AnalysisConfig) -> IntArray:
    if config.start_window is None:
        raise AnalysisInputError("randomized-start design needs the start window")
    lo = (config.start_window[0] - series.first_date).days
    hi = (config.start_window[1] - series.first_date).days
    return np.arange(lo, hi + 1, dtype=np.int64)


def run_for_outcome(
    series: Series, outcome: OutcomeSpec, ref: str, trt: str, config: AnalysisConfig
) -> RandomizationResult:
    """Run the design's randomization test for one outcome (never raises on
    design problems: they are reported in the result's ``message``)."""

    def unavailable(message: str, pmin: float | None = None, units: int | None = None) -> RandomizationResult:
        return RandomizationResult(
            design=config.design,
            available=False,
            reference=ref,
            treatment=trt,
            alternative=config.randomization_alternative,
            statistic=None,
            p_value=None,
            method=None,
            n_allocations=None,
            n_evaluated=None,
            min_attainable_p=pmin,
            can_reach_0_05=None if pmin is None else pmin < 0.05,
            units=units,
            message=message,
        )

    alt = config.randomization_alternative
    try:
        if config.design == "randomized-pairs":
            units = pair_differences(series, outcome, ref, trt, config)
            k = int(units.differences.size)
            if k == 0:
                return unavailable("no pair has observed values in both periods")
            res = paired_test(
                units.differences,
                alternative=alt,
                exact_limit=config.exact_limit,
                draws=config.monte_carlo_draws,
                seed=config.seed,
            )
            what = f"{k} pairs" + (f" ({units.dropped} dropped: no values)" if units.dropped else "")
        elif config.design == "randomized-start":
            cand = start_candidates(series, config)
            rows = np.isin(series.phase, [ref, trt])
            t = series.t[rows]
            ph = series.phase[rows]
            t_trt = t[ph == trt]
            t_ref = t[ph == ref]
            if t_ref.size == 0 or t_trt.size == 0 or t_ref.max() > t_trt.min():
                return unavailable(f"randomized-start design needs all '{ref}' days before all '{trt}' days")
            start = int(t_trt.min())
            if start not in set(cand.tolist()):
                return unavailable(
                    f"the treatment started on {series.date_of(start)}, outside the randomization window"
                )
            res = start_test(
                t,
                series.values[outcome.name][rows],
                observed_start=start,
                candidates=cand,
                lower_is_better=outcome.lower_is_better,
                alternative=alt,
            )
            k = int(cand.size)
            what = f"{k} possible start days"
        else:
            return unavailable("the design is not randomized")
    except (AnalysisInputError, ValueError) as exc:
        return unavailable(str(exc))
    sided = "one-sided in the direction of improvement" if alt == "greater" else "two-sided"
    return RandomizationResult(
        design=config.design,
        available=True,
        reference=ref,
        treatment=trt,
        alternative=alt,
        statistic=res.statistic,
        p_value=res.p_value,
        method="exact" if res.method == "exact" else "monte-carlo",
        n_allocations=res.n_allocations if res.n_allocations > 0 else None,
        n_evaluated=res.n_evaluated,
        min_attainable_p=res.min_attainable_p,
        can_reach_0_05=res.min_attainable_p < 0.05,
        units=k,
        message=f"{res.method} test over {what}, {sided}",
    )


def randomization_test(df: pd.DataFrame, config: AnalysisConfig, outcome: str | None = None) -> RandomizationResult:
    """Randomization test of ``config.treatment`` vs ``config.reference``.

    Convenience wrapper over :func:`paired_test` / :func:`start_test` for a
    daily table in the same format as :func:`fibrostats.analyze`.
    ``outcome`` defaults to the first outcome in the configuration.
    """
    if config.design == "fixed":
        raise AnalysisInputError("a randomization test needs a randomized design")
    if config.treatment is None:
        raise AnalysisInputError("a randomization test needs the treatment phase")
    series = prepare(df, config)
    specs = {o.name: o for o in config.outcomes}
    name = outcome if outcome is not None else config.outcomes[0].name
    if name not in specs:
        raise AnalysisInputError(f"unknown outcome '{name}'")
    return run_for_outcome(series, specs[name], config.reference, config.treatment, config)
