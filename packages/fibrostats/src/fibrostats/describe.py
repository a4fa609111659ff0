"""Per-phase description and the published percent-change definitions.

These are deliberately simple, hand-checkable numbers: what a clinician
would compute with a calculator from the diary.  The model-based estimates
in :mod:`fibrostats.contrasts` add uncertainty on top of them.
"""

from __future__ import annotations

import math

import numpy as np

from .data import FloatArray, IntArray, Series
from .results import PhaseSummary
from .types import OutcomeSpec

#: A reference level closer than this fraction of the scale range to the
#: scale minimum is treated as zero: a percentage of (almost) nothing is not
#: a meaningful number.
FLOOR_TOLERANCE = 1e-9


def improvement(reference: float, treatment: float, *, lower_is_better: bool = True) -> float:
    """Change from reference to treatment, signed so that positive is better."""
    diff = treatment - reference
    return -diff if lower_is_better else diff


def percent_change(
    reference: float,
    treatment: float,
    *,
    lower_is_better: bool = True,
    scale_min: float = 0.0,
    scale_range: float = 10.0,
) -> float | None:
    """Percent improvement, Younger et al. (2013).

    For a lower-is-better outcome on a scale starting at 0 this is
    ``(reference - treatment) / reference * 100``.  In general the levels are
    measured from the scale minimum and the sign is chosen so that
    improvement is positive:
    ``100 * improvement / (reference - scale_min)``.

    Returns ``None`` when the reference level is at the scale minimum (the
    ratio is undefined; never divide by zero).
    """
    base = reference - scale_min
    if not math.isfinite(base) or base <= FLOOR_TOLERANCE * scale_range:
        return None
    return 100.0 * improvement(reference, treatment, lower_is_better=lower_is_better) / base


def percent_of_reference(points: float, reference: float, outcome: OutcomeSpec) -> float | None:
    """Express an improvement in points as a percent of the reference level."""
    base = reference - outcome.scale_min
    if not math.isfinite(base) or base <= FLOOR_TOLERANCE * outcome.scale_range:
        return None
    return 100.0 * points / base


def last_days(t: IntArray, y: FloatArray, k: int = 3) -> tuple[float | None, IntArray]:
    """Mean of the last ``k`` *observed* days and the day numbers used.

    Younger et al. (2013) used the mean of the final 3 days of a condition
    as its endpoint.  Missing days are skipped (the last ``k`` days that have
    a value are used); the caller warns when that reaches back further than
    ``k`` calendar days.
    """
    ok = ~np.isnan(y)
    tt = t[ok][-k:]
    if tt.size == 0:
        return None, tt
    return float(np.mean(y[ok][-k:])), tt


def phase_days_planned(series: Series, phase: str, planned: int | None) -> int:
    """Days the protocol planned for ``phase``.

    Without a protocol length this is the calendar span of each run of the
    phase (first to last dated row, inclusive), summed over runs: days with no
    row inside a run count as missing, days before the first or after the
    last row of a phase cannot be attributed to it and are not counted.
    """
    if planned is not None:
        return planned
    return sum(r.last_day - r.first_day + 1 for r in series.runs if r.phase == phase)


def describe_phase(
    series: Series,
    phase: str,
    outcome: OutcomeSpec,
    *,
    included: bool,
    planned: int | None,
    endpoint_days: int,
) -> PhaseSummary:
    """Per-phase description (issue item 1)."""
    rows = series.phase == phase
    t = series.t[rows]
    y = series.values[outcome.name][rows]
    obs = y[~np.isnan(y)]
    n_obs = int(obs.size)
    days_planned = phase_days_planned(series, phase, planned)
    days_missing = max(days_planned - n_obs, 0)
    last_mean, last_t = last_days(t, y, endpoint_days)
    adherence: float | None = None
    adherence_days = 0
    if series.taken is not None:
        taken = series.taken[rows]
        recorded = taken[~np.isnan(taken)]
        adherence_days = int(recorded.size)
        if adherence_days:
            adherence = float(recorded.mean())
    return PhaseSummary(
        phase=phase,
        included=included,
        first_date=series.date_of(int(t[0])) if t.size else None,
        last_date=series.date_of(int(t[-1])) if t.size else None,
        days_planned=days_planned,
        days_observed=n_obs,
        days_missing=days_missing,
        missing_fraction=(days_missing / days_planned) if days_planned else None,
        mean=float(obs.mean()) if n_obs else None,
        # The sample SD (ddof=1) describes the day-to-day spread; it is
        # undefined for a single day.
        sd=float(obs.std(ddof=1)) if n_obs > 1 else None,
        median=float(np.median(obs)) if n_obs else None,
        last_days_mean=last_mean,
        last_days_dates=[series.date_of(int(d)) for d in last_t],
        adherence=adherence,
        adherence_days=adherence_days,
    )
