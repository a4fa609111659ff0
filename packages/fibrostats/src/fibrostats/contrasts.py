"""Contrasts between phases with autocorrelation-aware uncertainty (item 2).

One regression is fitted per outcome over all *included* phases: a separate
mean ("level") for each phase, optionally plus a common linear time trend,
with AR(1) errors on calendar days.  Fitting all phases together pools the
information about rho and the day-to-day variance, which short phases could
not estimate on their own.  Every contrast is then a linear combination of
the phase levels.

* primary:   GLS with AR(1) errors, rho by REML, t intervals with the
             Kenward-Roger adjusted variance and Satterthwaite df
             (:func:`fibrostats.models.fit_ar1`);
* sensitivity: Newey-West HAC around OLS, and plain OLS labelled as
             ignoring autocorrelation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy import special

from .data import FloatArray, IntArray, Series
from .describe import last_days, percent_change, percent_of_reference
from .models import LinearFit, ar1_linear_variance, fit_ar1, fit_hac, fit_ols
from .results import CovariateEffect, EffectEstimate, EndpointResult, Interval, ModelInfo, Notice
from .types import OutcomeSpec

#: The smallest residual degrees of freedom for which the AR(1) model is
#: fitted.  Below it neither rho nor the variance can be estimated at all.
MIN_RESIDUAL_DF = 3

EffectMethod = Literal["ar1-gls", "newey-west-hac", "ols"]

LABELS: dict[EffectMethod, str] = {
    "ar1-gls": "Regression with AR(1) errors (GLS, REML rho, Kenward-Roger small-sample correction)",
    "newey-west-hac": "OLS with Newey-West HAC standard errors (sensitivity analysis)",
    "ols": "Plain OLS - ignores autocorrelation, shown for comparison only",
}


def t_quantile(df: float, level: float) -> float:
    return float(special.stdtrit(df, 0.5 + level / 2.0))


def t_two_sided_p(stat: float, df: float) -> float:
    return float(2.0 * special.stdtr(df, -abs(stat)))


@dataclass
class OutcomeModel:
    """Design and fits for one outcome."""

    outcome: OutcomeSpec
    phases: list[str]
    t: IntArray
    y: FloatArray
    x: FloatArray
    row_phase: list[str]
    ar1: LinearFit | None
    hac: LinearFit | None
    ols: LinearFit | None
    trend: bool
    covariates: list[str] = field(default_factory=list)

    def column(self, phase: str) -> int:
        return self.phases.index(phase)

    def covariate_effects(self, level: float = 0.95) -> list[CovariateEffect]:
        """Each covariate's coefficient (the last columns of the design) from the AR(1) fit."""
        out = []
        first = self.x.shape[1] - len(self.covariates)
        for j, name in enumerate(self.covariates):
            fit = self.ar1
            if fit is None or fit.degenerate:
                out.append(CovariateEffect(name, None, None, None))
                continue
            c = np.zeros(self.x.shape[1])
            c[first + j] = 1.0
            est, se = fit.contrast(c)
            half = t_quantile(fit.satterthwaite_df(c), level) * se
            out.append(CovariateEffect(name, est, est - half, est + half))
        return out

    def info(self) -> ModelInfo:
        fit = self.ar1
        return ModelInfo(
            method="ar1-gls-reml",
            n_days=int(self.y.size),
            phases=list(self.phases),
            trend=self.trend,
            rho=None if fit is None else fit.rho,
            rho_at_bound=False if fit is None else fit.rho_at_bound,
            residual_sd=None if fit is None else math.sqrt(fit.sigma2),
            df_residual=int(self.y.size - self.x.shape[1]),
            covariates=self.covariate_effects(),
        )


def build_model(
    series: Series,
    outcome: OutcomeSpec,
    included: list[str],
    *,
    trend: bool,
    hac_maxlags: int | None,
    notices: list[Notice],
    covariates: Sequence[str] = (),
) -> OutcomeModel:
    y_all = series.values[outcome.name]
    keep = ~np.isnan(y_all) & np.isin(series.phase, included)
    usable: list[str] = []
    for name in covariates:
        z_all = series.covariates[name]
        known = keep & ~np.isnan(z_all)
        if np.ptp(z_all[known]) if known.any() else 0.0:
            dropped = int(np.sum(keep & ~known))
            keep = known
            usable.append(name)
            if dropped:
                notices.append(
                    Notice(
                        "covariate_missing",
                        "info",
                        f"{dropped} day{'s' if dropped != 1 else ''} without '{name}' left out of the model.",
                        outcome.name,
                    )
                )
        else:
            notices.append(
                Notice(
                    "covariate_constant",
                    "info",
                    f"'{name}' did not vary on the analysed days, so it was left out of the model."
                    if known.any()
                    else f"No analysed day has a value of '{name}', so it was left out of the model.",
                    outcome.name,
                )
            )
    phases = [p for p in included if bool(np.any(keep & (series.phase == p)))]
    t = series.t[keep]
    y = y_all[keep]
    phase = series.phase[keep]
    row_phase = [str(p) for p in phase]
    x = np.zeros((y.size, len(phases)))
    for j, p in enumerate(phases):
        x[:, j] = phase == p
    if trend and y.size:
        # Centred and scaled to years so the phase levels are levels at the
        # average day and the design stays well conditioned.
        x = np.column_stack([x, (t - t.mean()) / 365.25])
    for name in usable:
        # Centred, so that each phase level is the level at the covariate's average on these days.
        z = series.covariates[name][keep]
        x = np.column_stack([x, z - z.mean()])
    n, k = x.shape
    ar1 = hac = ols = None
    if n - k >= MIN_RESIDUAL_DF and _full_rank(x):
        ar1 = fit_ar1(y, x, t)
        hac = fit_hac(y, x, t, hac_maxlags)
        ols = fit_ols(y, x)
        if ar1.degenerate:
            notices.append(
                Notice(
                    "no_variation",
                    "warning",
                    "The values do not vary from day to day within phases, so the "
                    "uncertainty of the differences cannot be estimated.",
                    outcome.name,
                )
            )
        elif ar1.rho_at_bound or (ar1.rho is not None and ar1.rho > 0.9):
            notices.append(
                Notice(
                    "strong_autocorrelation",
                    "warning",
                    f"Day-to-day values are extremely correlated (rho = {ar1.rho:.2f}); the "
                    "series may be drifting. Consider analysing with a time trend.",
                    outcome.name,
                )
            )
    elif n:
        notices.append(
            Notice(
                "too_few_days",
                "warning",
                f"Only {n} observed days for {len(phases)} phase levels"
                f"{' and a trend' if trend else ''}: too few to estimate the uncertainty.",
                outcome.name,
            )
        )
    return OutcomeModel(outcome, phases, t, y, x, row_phase, ar1, hac, ols, trend, usable)


def _full_rank(x: FloatArray) -> bool:
    return bool(np.linalg.matrix_rank(x) == x.shape[1])


def effect(
    fit: LinearFit,
    c: FloatArray,
    outcome: OutcomeSpec,
    level: float,
    method: EffectMethod,
) -> EffectEstimate:
    """Turn a fitted linear contrast into an :class:`EffectEstimate`."""
    est, se = fit.contrast(c)
    sign = outcome.direction
    df: float | None = fit.satterthwaite_df(c) if method == "ar1-gls" else float(fit.df)
    if fit.degenerate or se <= 0.0 or df is None:
        diff = Interval(est, None, None)
        imp = Interval(sign * est, None, None)
        return EffectEstimate(
            method=method,
            label=LABELS[method],
            accounts_for_autocorrelation=method != "ols",
            difference=diff,
            improvement=imp,
            se=None,
            df=None,
            p_value=None,
            rho=fit.rho,
            hac_maxlags=fit.hac_maxlags,
        )
    q = t_quantile(df, level)
    lo, hi = est - q * se, est + q * se
    imp_lo, imp_hi = sorted((sign * lo, sign * hi))
    return EffectEstimate(
        method=method,
        label=LABELS[method],
        accounts_for_autocorrelation=method != "ols",
        difference=Interval(est, lo, hi),
        improvement=Interval(sign * est, imp_lo, imp_hi),
        se=se,
        df=df,
        p_value=t_two_sided_p(est / se, df),
        rho=fit.rho,
        hac_maxlags=fit.hac_maxlags,
    )


def fieller_percent(
    fit: LinearFit,
    model: OutcomeModel,
    ref: str,
    trt: str,
    level: float,
) -> tuple[float | None, Interval | None]:
    """Model-based percent improvement and its Fieller interval.

    percent = 100 * a / b with ``a = direction * (level_trt - level_ref)`` (the
    improvement) and ``b = level_ref - scale_min``.  Fieller's theorem gives
    the set of ratios ``r`` for which ``a - r b = 0`` is not rejected, which
    accounts for the uncertainty of the denominator too.  When the reference
    level itself is not clearly above the scale minimum the set is unbounded
    and no interval is reported.
    """
    outcome = model.outcome
    p = fit.params.size
    cref = np.zeros(p)
    cref[model.column(ref)] = 1.0
    cdiff = np.zeros(p)
    cdiff[model.column(trt)] = 1.0
    cdiff[model.column(ref)] = -1.0
    ca = outcome.direction * cdiff
    a = float(ca @ fit.params)
    b = float(cref @ fit.params) - outcome.scale_min
    pct = percent_of_reference(a, b + outcome.scale_min, outcome)
    if pct is None:
        return None, None
    if fit.degenerate:
        return pct, Interval(pct, None, None)
    vaa = float(ca @ fit.cov @ ca)
    vbb = float(cref @ fit.cov @ cref)
    vab = float(ca @ fit.cov @ cref)
    q = t_quantile(fit.satterthwaite_df(cdiff), level)
    q2 = q * q
    # (a - r b)^2 <= q^2 (vaa - 2 r vab + r^2 vbb)  <=>  A r^2 + B r + C <= 0
    qa = b * b - q2 * vbb
    qb = -2.0 * (a * b - q2 * vab)
    qc = a * a - q2 * vaa
    disc = qb * qb - 4.0 * qa * qc
    if qa <= 0.0 or disc < 0.0:
        return pct, Interval(pct, None, None)
    root = math.sqrt(disc)
    lo, hi = (-qb - root) / (2.0 * qa), (-qb + root) / (2.0 * qa)
    return pct, Interval(pct, 100.0 * lo, 100.0 * hi)


def endpoint_contrast(
    model: OutcomeModel,
    series: Series,
    ref: str,
    trt: str,
    *,
    days: int,
    level: float,
    notices: list[Notice],
) -> EndpointResult:
    """Younger et al. (2013): final ``days`` days of ``trt`` vs the mean of ``ref``.

    The uncertainty treats the statistic as a linear combination of daily
    values, ``c'y``, with variance ``c' Sigma c`` under the fitted AR(1)
    covariance, and Satterthwaite degrees of freedom.  Its expectation is
    the difference of phase levels when the treatment effect is stable by
    the end of the phase, which is the point of using the endpoint.
    """
    outcome = model.outcome
    is_trt = np.array([p == trt for p in model.row_phase], dtype=bool)
    is_ref = np.array([p == ref for p in model.row_phase], dtype=bool)
    end_mean, end_t = last_days(model.t[is_trt], model.y[is_trt], days)
    ref_mean = float(model.y[is_ref].mean()) if is_ref.any() else None
    dates = [series.date_of(int(d)) for d in end_t]
    if end_mean is None or ref_mean is None:
        return EndpointResult(
            days,
            dates,
            end_mean,
            ref_mean,
            Interval(None, None, None),
            None,
            None,
            None,
        )
    if end_t.size and (end_t.size < days or int(end_t[0]) < _phase_end(series, trt) - days + 1):
        notices.append(
            Notice(
                "endpoint_gap",
                "warning",
                f"The last {days} days of '{trt}' are not all recorded; the endpoint uses "
                f"the last {end_t.size} recorded days ({dates[0]} to {dates[-1]}).",
                outcome.name,
                trt,
            )
        )
    imp = outcome.direction * (end_mean - ref_mean)
    pct = percent_change(
        ref_mean,
        end_mean,
        lower_is_better=outcome.lower_is_better,
        scale_min=outcome.scale_min,
        scale_range=outcome.scale_range,
    )
    fit = model.ar1
    se = df = None
    interval = Interval(imp, None, None)
    if fit is not None and not fit.degenerate and fit.rho is not None:
        c = np.zeros(model.y.size)
        end_rows = np.flatnonzero(is_trt)[-end_t.size :]
        c[end_rows] = 1.0 / end_t.size
        c[is_ref] = -1.0 / int(is_ref.sum())
        v, dv = ar1_linear_variance(c, model.t, fit.sigma2, fit.rho)
        if v > 0.0:
            se = math.sqrt(v)
            df = fit.linear_df(v, dv)
            q = t_quantile(df, level)
            interval = Interval(imp, imp - q * se, imp + q * se)
    return EndpointResult(days, dates, end_mean, ref_mean, interval, se, df, pct)


def _phase_end(series: Series, phase: str) -> int:
    """Last calendar day of ``phase``: the day before the next phase starts,
    or its last dated row when nothing follows."""
    runs = series.runs
    last = max(i for i, r in enumerate(runs) if r.phase == phase)
    if last + 1 < len(runs):
        return runs[last + 1].first_day - 1
    return runs[last].last_day


def contrast_vector(model: OutcomeModel, ref: str, trt: str) -> FloatArray:
    c = np.zeros(model.x.shape[1])
    c[model.column(trt)] = 1.0
    c[model.column(ref)] = -1.0
    return c


def reference_level(model: OutcomeModel, ref: str) -> float | None:
    if model.ar1 is None:
        return None
    return float(model.ar1.params[model.column(ref)])
