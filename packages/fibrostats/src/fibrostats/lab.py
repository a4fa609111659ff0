"""Lab measures by phase: pain thresholds and the cold-pressor time (censored at the cap).

Input: one row per lab value, columns ``participant``, ``condition`` (the
phase the visit fell in), ``measure`` and ``value``.  Each participant's
visits within a phase are averaged first, so that every participant counts
once per phase whatever the number of visits.

A cold-pressor test stops at a cap (e.g. 180 s): a value at the cap means
"at least the cap", not the cap.  For such a measure nothing pretends those
values are exact:

* each value is taken as ``min(value, cap)``; the mean of these is the
  *restricted mean* (the area under the Kaplan-Meier curve up to the cap,
  exactly, since every censored time is at the cap);
* the median is the Kaplan-Meier median: the smallest observed time at which
  at most half the participants are still going.  When half or more reached
  the cap it is unknown (``null``, ``median_above_cap``);
* the plain mean and SD are not reported when any value is at the cap;
* the treatment contrast is the paired difference of restricted values, an
  estimate of the difference in restricted means, and the number of pairs
  in which a value is at the cap is reported beside it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .contrasts import t_quantile, t_two_sided_p
from .results import Interval
from .types import AnalysisInputError


@dataclass(frozen=True)
class LabMeasureSpec:
    """A lab measure: ``name`` as in the ``measure`` column, its direction, unit and cap.

    Pressure pain threshold (kPa) and heat pain threshold (degC): higher is
    better (less sensitive).  Cold pain threshold (degC): lower is better.
    Cold-pressor time (s): higher is better, ``cap`` = the time the test stops.
    """

    name: str
    higher_is_better: bool = True
    unit: str = ""
    cap: float | None = None
    label: str | None = None


@dataclass(frozen=True)
class LabPhaseSummary:
    condition: str
    n_participants: int
    n_values: int
    n_at_cap: int
    mean: float | None
    sd: float | None
    median: float | None
    median_above_cap: bool
    q1: float | None
    q3: float | None
    restricted_mean: float | None


@dataclass(frozen=True)
class LabContrast:
    reference: str
    treatment: str
    n_pairs: int
    n_pairs_at_cap: int
    method: str
    difference: Interval
    improvement: Interval
    p_value: float | None


@dataclass(frozen=True)
class LabMeasureResult:
    measure: str
    label: str | None
    unit: str
    higher_is_better: bool
    cap: float | None
    phases: list[LabPhaseSummary]
    contrasts: list[LabContrast]
    notes: list[str]


def km_median(values: np.ndarray, censored: np.ndarray) -> float | None:
    """Kaplan-Meier median of times, censored ones counting as "still going" at their time.

    With censoring only at the largest time (the cap) this is the smallest
    observed (uncensored) time ``t`` with ``S(t) <= 0.5``; ``None`` when the
    survival curve never gets that low.
    """
    order = np.argsort(values, kind="stable")
    v, c = values[order], censored[order]
    n = v.size
    surv = 1.0
    at_risk = n
    i = 0
    while i < n:
        t = v[i]
        j = i
        while j < n and v[j] == t:
            j += 1
        events = int(np.sum(~c[i:j]))
        if events:
            surv *= 1.0 - events / at_risk
            if surv <= 0.5 + 1e-12:
                return float(t)
        at_risk -= j - i
        i = j
    return None


def _phase_summary(
    cond: str, values: np.ndarray, at_cap: np.ndarray, n_values: int, cap: float | None
) -> LabPhaseSummary:
    n = values.size
    if n == 0:
        return LabPhaseSummary(cond, 0, n_values, 0, None, None, None, False, None, None, None)
    k = int(at_cap.sum())
    if cap is None:
        q1, med, q3 = (float(x) for x in np.quantile(values, [0.25, 0.5, 0.75]))
        sd = float(values.std(ddof=1)) if n > 1 else None
        return LabPhaseSummary(cond, n, n_values, 0, float(values.mean()), sd, med, False, q1, q3, None)
    median = km_median(values, at_cap)
    plain_mean = float(values.mean()) if k == 0 else None
    plain_sd = float(values.std(ddof=1)) if k == 0 and n > 1 else None
    return LabPhaseSummary(
        cond, n, n_values, k, plain_mean, plain_sd, median, median is None, None, None, float(values.mean())
    )


def lab_by_phase(
    lab: pd.DataFrame,
    measures: Sequence[LabMeasureSpec],
    *,
    treatment: str,
    references: Sequence[str] = ("placebo", "baseline"),
    participant: str = "participant",
    condition: str = "condition",
    measure: str = "measure",
    value: str = "value",
    ci_level: float = 0.95,
) -> list[LabMeasureResult]:
    """Per-phase summaries of each lab measure and its paired treatment contrasts."""
    missing = [c for c in (participant, condition, measure, value) if c not in lab.columns]
    if missing:
        raise AnalysisInputError(f"missing column(s): {', '.join(missing)}", column=missing[0])
    df = lab[[participant, condition, measure, value]].copy()
    df[value] = pd.to_numeric(df[value], errors="coerce")
    df = df.dropna(subset=[value])
    df[participant] = df[participant].astype(str)
    phases = [str(c) for c in pd.unique(df[condition])]
    out = []
    for spec in measures:
        rows = df[df[measure] == spec.name]
        notes: list[str] = []
        if spec.cap is not None:
            if (rows[value] > spec.cap + 1e-9).any():
                raise AnalysisInputError(f"{spec.name}: a value is above the cap {spec.cap:g}", column=value)
            notes.append(
                f"Values at the cap ({spec.cap:g} {spec.unit}) are censored: the time is at least the cap. "
                "Medians are Kaplan-Meier medians and means are restricted to the cap."
            )
            rows = rows.assign(_cap=rows[value] >= spec.cap - 1e-9)
        else:
            rows = rows.assign(_cap=False)
        # One value per participant and phase: the mean of the visits (censored only if all were at the cap).
        per = rows.groupby([participant, condition]).agg(v=(value, "mean"), n=(value, "size"), cap=("_cap", "all"))
        summaries = []
        for cond in phases:
            if cond in per.index.get_level_values(1):
                sub = per.xs(cond, level=1)
                summaries.append(
                    _phase_summary(
                        cond,
                        sub["v"].to_numpy(dtype=np.float64),
                        sub["cap"].to_numpy(dtype=bool),
                        int(sub["n"].sum()),
                        spec.cap,
                    )
                )
        contrasts = []
        wide_v = per["v"].unstack(condition)
        wide_c = per["cap"].unstack(condition)
        for ref in references:
            if treatment not in wide_v.columns or ref not in wide_v.columns:
                continue
            pair = wide_v[[treatment, ref]].dropna()
            d = (pair[treatment] - pair[ref]).to_numpy(dtype=np.float64)
            n_cap = int((wide_c.loc[pair.index, [treatment, ref]].astype(bool)).any(axis=1).sum())
            sign = 1.0 if spec.higher_is_better else -1.0
            method = "paired-t-restricted-mean" if spec.cap is not None else "paired-t"
            if d.size >= 2 and float(d.std(ddof=1)) > 0:
                m, s = float(d.mean()), float(d.std(ddof=1)) / math.sqrt(d.size)
                half = t_quantile(d.size - 1, ci_level) * s
                diff = Interval(m, m - half, m + half)
                p: float | None = t_two_sided_p(m / s, d.size - 1)
            else:
                m_only = float(d.mean()) if d.size else None
                diff, p = Interval(m_only, None, None), None
            imp = _signed(diff, sign)
            contrasts.append(LabContrast(ref, treatment, int(d.size), n_cap, method, diff, imp, p))
        out.append(
            LabMeasureResult(
                spec.name, spec.label, spec.unit, spec.higher_is_better, spec.cap, summaries, contrasts, notes
            )
        )
    return out


def _signed(iv: Interval, sign: float) -> Interval:
    if iv.estimate is None:
        return iv
    if iv.ci_low is None or iv.ci_high is None:
        return Interval(sign * iv.estimate, None, None)
    lo, hi = sorted((sign * iv.ci_low, sign * iv.ci_high))
    return Interval(sign * iv.estimate, lo, hi)
