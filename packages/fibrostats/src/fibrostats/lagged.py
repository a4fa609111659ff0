"""Lagged associations between daily variables, e.g. sleep and next-day pain (item 8).

For each predictor and each lag L = 0..max_lag (in calendar days), the
outcome on day t is regressed on the predictor on day t - L with AR(1)
errors (the same GLS engine as the phase contrasts), optionally with a
separate level per phase so that a treatment change cannot masquerade as a
trigger.  Each slope gets a t-test with Satterthwaite df, and the
Benjamini-Hochberg procedure controls the false discovery rate across every
predictor x lag tested.  These are **associations, not causes**: a third
factor (a flare, the weather, a busy week) can drive both variables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .contrasts import t_quantile, t_two_sided_p
from .data import FloatArray
from .models import fit_ar1
from .results import JSONValue, to_jsonable
from .types import AnalysisInputError

LABEL = "association, not cause"

#: Fewer paired days than this and a lag is not tested.
MIN_PAIRED_DAYS = 10


@dataclass(frozen=True)
class LaggedAssociation:
    predictor: str
    lag: int
    n_days: int
    slope: float | None
    ci_low: float | None
    ci_high: float | None
    se: float | None
    df: float | None
    rho: float | None
    p_value: float | None
    q_value: float | None
    significant: bool
    note: str | None = None


@dataclass(frozen=True)
class LaggedResult:
    outcome: str
    max_lag: int
    fdr: float
    adjusted_for_phase: bool
    n_tests: int
    label: str
    associations: list[LaggedAssociation]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, JSONValue]:
        out = to_jsonable(self)
        if not isinstance(out, dict):  # pragma: no cover - dataclasses map to dicts
            raise TypeError("unexpected serialisation")
        return out

    def significant(self) -> list[LaggedAssociation]:
        return [a for a in self.associations if a.significant]


def benjamini_hochberg(p_values: Sequence[float] | FloatArray) -> FloatArray:
    """Benjamini-Hochberg adjusted p-values (q-values), in the input order.

    ``q_(i) = min_{j >= i} p_(j) m / j``, capped at 1.  Declaring ``q <= alpha``
    significant controls the false discovery rate at ``alpha`` for
    independent or positively dependent tests (Benjamini & Hochberg 1995;
    Benjamini & Yekutieli 2001).
    """
    p = np.asarray(p_values, dtype=np.float64)
    m = p.size
    if m == 0:
        return p
    if np.any((p < 0) | (p > 1) | np.isnan(p)):
        raise ValueError("p-values must lie in [0, 1]")
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    q_sorted = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(q_sorted, 1.0)
    return q


def lagged_associations(
    df: pd.DataFrame,
    outcome: str,
    predictors: Sequence[str],
    max_lag: int = 3,
    *,
    fdr: float = 0.05,
    adjust_for_phase: bool = True,
    ci_level: float = 0.95,
) -> LaggedResult:
    """Test whether each predictor on day t - L goes with the outcome on day t.

    ``df`` has a ``date`` column, the outcome, the predictors and optionally
    ``phase``.  Lags are calendar days: a lag-1 pair needs both days recorded.
    The slope is the change in the outcome per unit of the predictor.
    """
    if max_lag < 0:
        raise AnalysisInputError("max_lag must be at least 0")
    if not 0 < fdr < 1:
        raise AnalysisInputError("fdr must be between 0 and 1")
    need = ["date", outcome, *predictors]
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise AnalysisInputError(f"missing column(s): {', '.join(missing)}", column=missing[0])
    if not predictors:
        raise AnalysisInputError("at least one predictor is needed")
    dates = pd.to_datetime(df["date"], errors="coerce")
    if dates.isna().any():
        raise AnalysisInputError("cannot read every date", column="date")
    days = dates.to_numpy(dtype="datetime64[D]")
    if np.unique(days).size != days.size:
        raise AnalysisInputError("duplicate dates", column="date")
    day = (days - days.min()).astype(np.int64)
    span = int(day.max()) + 1

    def on_grid(col: str) -> FloatArray:
        v = pd.to_numeric(df[col], errors="coerce").astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
        grid = np.full(span, np.nan)
        grid[day] = v
        return grid

    y = on_grid(outcome)
    phase_grid: np.ndarray | None = None
    use_phase = adjust_for_phase and "phase" in df.columns
    if use_phase:
        phase_grid = np.full(span, None, dtype=object)
        phase_grid[day] = df["phase"].astype(str).to_numpy()
    results: list[LaggedAssociation] = []
    for pred in predictors:
        xg = on_grid(pred)
        for lag in range(max_lag + 1):
            t = np.arange(lag, span, dtype=np.int64)
            yy = y[lag:]
            xx = xg[: span - lag]
            ok = ~np.isnan(yy) & ~np.isnan(xx)
            results.append(
                _one(
                    pred,
                    lag,
                    t[ok],
                    yy[ok],
                    xx[ok],
                    None if phase_grid is None else phase_grid[lag:][ok],
                    ci_level,
                )
            )
    tested = [i for i, r in enumerate(results) if r.p_value is not None]
    q = benjamini_hochberg([results[i].p_value or 0.0 for i in tested])
    final = list(results)
    for qi, i in zip(q, tested, strict=True):
        r = results[i]
        final[i] = LaggedAssociation(**{**r.__dict__, "q_value": float(qi), "significant": bool(qi <= fdr)})
    notes = [
        "These are associations, not causes: something else (a flare, weather, stress) may "
        "drive both. Lags overlap, so a real day-after association often shows at several lags.",
        f"False discovery rate controlled at {fdr:g} across {len(tested)} tests (Benjamini-Hochberg).",
    ]
    return LaggedResult(
        outcome=outcome,
        max_lag=max_lag,
        fdr=fdr,
        adjusted_for_phase=use_phase,
        n_tests=len(tested),
        label=LABEL,
        associations=final,
        notes=notes,
    )


def _one(
    pred: str,
    lag: int,
    t: np.ndarray,
    y: FloatArray,
    x: FloatArray,
    phase: np.ndarray | None,
    ci_level: float,
) -> LaggedAssociation:
    n = int(y.size)

    def skip(note: str) -> LaggedAssociation:
        return LaggedAssociation(pred, lag, n, None, None, None, None, None, None, None, None, False, note)

    if n < MIN_PAIRED_DAYS:
        return skip(f"only {n} paired days (need {MIN_PAIRED_DAYS})")
    if float(np.ptp(x)) == 0.0:
        return skip("the predictor does not vary")
    cols = [np.ones(n)] if phase is None else [(phase == p).astype(np.float64) for p in pd.unique(phase)]
    design = np.column_stack([*cols, x])
    if np.linalg.matrix_rank(design) < design.shape[1] or n - design.shape[1] < 3:
        return skip("the predictor is confounded with the phases or too few days")
    fit = fit_ar1(y, design, t)
    c = np.zeros(design.shape[1])
    c[-1] = 1.0
    est, se = fit.contrast(c)
    if fit.degenerate or se <= 0:
        return skip("the outcome does not vary")
    df = fit.satterthwaite_df(c)
    q = t_quantile(df, ci_level)
    return LaggedAssociation(
        predictor=pred,
        lag=lag,
        n_days=n,
        slope=est,
        ci_low=est - q * se,
        ci_high=est + q * se,
        se=se,
        df=df,
        rho=fit.rho,
        p_value=t_two_sided_p(est / se, df),
        q_value=None,
        significant=False,
    )


#: A month needs this many paired days, with both values of the predictor seen, to give its own estimate.
MIN_MONTH_DAYS = 8


@dataclass(frozen=True)
class MonthlyStability:
    """How often a lagged association pointed the same way month by month.

    ``months_checked`` counts calendar months (of the last ``months``) with
    enough paired days for an estimate; ``months_agreeing`` those whose own
    slope has the sign of the whole-period slope.
    """

    predictor: str
    lag: int
    months_checked: int
    months_agreeing: int


def monthly_stability(
    df: pd.DataFrame,
    outcome: str,
    predictor: str,
    lag: int,
    sign: float,
    *,
    months: int = 12,
    min_days: int = MIN_MONTH_DAYS,
) -> MonthlyStability:
    """Per calendar month, the least-squares slope of the outcome on day t on the predictor on day t - lag.

    A plain per-month slope (no AR(1), no FDR): it answers only "did the link point the
    same way within each month", a check that one stretch of days does not carry the whole
    result. Months are those of the outcome day, the last ``months`` calendar months ending
    with the month of the latest date.
    """
    if lag < 0:
        raise AnalysisInputError("lag must be at least 0")
    missing = [c for c in ("date", outcome, predictor) if c not in df.columns]
    if missing:
        raise AnalysisInputError(f"missing column(s): {', '.join(missing)}", column=missing[0])
    if df.empty or sign == 0:
        return MonthlyStability(predictor, lag, 0, 0)
    dates = pd.to_datetime(df["date"], errors="coerce")
    if dates.isna().any():
        raise AnalysisInputError("cannot read every date", column="date")
    days = dates.to_numpy(dtype="datetime64[D]")
    if np.unique(days).size != days.size:
        raise AnalysisInputError("duplicate dates", column="date")
    first_day = days.min()
    day = (days - first_day).astype(np.int64)
    span = int(day.max()) + 1

    def on_grid(col: str) -> FloatArray:
        v = pd.to_numeric(df[col], errors="coerce").astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
        grid = np.full(span, np.nan)
        grid[day] = v
        return grid

    y = on_grid(outcome)[lag:]
    x = on_grid(predictor)[: max(span - lag, 0)]
    # The calendar month of each outcome day, as a month count (numpy's datetime64[M]).
    month = (first_day + np.arange(lag, span)).astype("datetime64[M]").astype(np.int64)
    ok = ~np.isnan(y) & ~np.isnan(x)
    latest = int(days.max().astype("datetime64[M]").astype(np.int64))
    checked = agreeing = 0
    for m in range(latest - months + 1, latest + 1):
        sel = ok & (month == m)
        if int(sel.sum()) < min_days:
            continue
        xs, ys = x[sel], y[sel]
        spread = float(np.sum((xs - xs.mean()) ** 2))
        if spread == 0.0:
            continue
        slope = float(np.sum((xs - xs.mean()) * (ys - ys.mean())) / spread)
        checked += 1
        agreeing += int(slope * sign > 0)
    return MonthlyStability(predictor, lag, checked, agreeing)
