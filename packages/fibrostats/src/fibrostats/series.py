"""Series of N-of-1 trials: a pooled effect across people (issue item 7).

Default method: **two-stage random-effects model** (Zucker et al. 1997;
Schmid & Duan 2014, in the AHRQ N-of-1 user's guide).

1. For each person i, a regression with AR(1) errors on calendar days,
   ``y_it = a_i + d_i * treated_it + e_it`` gives the person's effect
   ``d_i`` with an autocorrelation-adjusted standard error ``s_i``.  The
   person's own intercept ``a_i`` absorbs their usual symptom level.
2. The effects are combined with a normal random-effects model,
   ``d_i ~ N(mu + b_i, v_i)``, ``v_i = s_i^2 df_i / (df_i - 2)`` (the variance
   of a t-distributed estimate), ``b_i ~ N(0, tau^2)``: ``tau`` is the
   between-person SD of the *treatment effect*.  ``tau^2`` is estimated by
   REML, ``mu`` by inverse-variance weighting, and the interval for ``mu``
   uses the Hartung-Knapp-Sidik-Jonkman (HKSJ) method with ``k - 1`` df and
   the ``max(1, q)`` safeguard (Knapp & Hartung 2003; Roever et al. 2015),
   which keeps coverage near nominal with few people.
3. Shrunken (empirical Bayes, BLUP) per-person effects:
   ``mu + B_i (d_i - mu)`` with ``B_i = tau^2 / (tau^2 + s_i^2)``.

This is the random-intercept, random-treatment-effect model of the issue
with the intercepts treated as person-specific fixed effects, which costs
nothing for the treatment effect (it is estimated within person) and makes
no assumption about how baseline levels are distributed.  Unlike a one-stage
``MixedLM`` fit on daily rows it respects each person's autocorrelation,
which a mixed model with independent daily errors ignores, overstating
precision.  ``method="mixedlm"`` fits that one-stage model with statsmodels
(random intercept and random treatment slope, REML) as a cross-check.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import optimize

from .contrasts import t_quantile, t_two_sided_p
from .data import FloatArray, IntArray
from .models import fit_ar1, fit_ols
from .results import Interval, JSONValue, to_jsonable
from .types import AnalysisInputError

Method = Literal["two-stage", "mixedlm"]

#: A person needs at least this many observed days in each arm.
MIN_DAYS_PER_ARM = 2


@dataclass(frozen=True)
class PersonEstimate:
    participant: str
    n_days: int
    n_treated: int
    n_control: int
    estimate: float
    se: float
    df: float | None
    rho: float | None
    shrunken: float
    shrunken_se: float | None
    shrinkage: float


@dataclass(frozen=True)
class PooledResult:
    method: str
    outcome: str
    lower_is_better: bool
    n_participants: int
    effect: Interval
    improvement: Interval
    se: float
    df: float
    p_value: float | None
    between_person_sd: float
    i_squared: float | None
    prediction_interval: Interval | None
    persons: list[PersonEstimate]
    excluded: dict[str, str]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, JSONValue]:
        out = to_jsonable(self)
        if not isinstance(out, dict):  # pragma: no cover - dataclasses map to dicts
            raise TypeError("unexpected serialisation")
        return out


@dataclass(frozen=True)
class MetaAnalysis:
    mu: float
    se: float
    df: float
    tau2: float
    weights: FloatArray
    i_squared: float | None


def _reml_tau2(d: FloatArray, v: FloatArray) -> float:
    """REML estimate of the between-study variance (Viechtbauer 2005)."""

    def neg2ll(tau: float) -> float:
        w = 1.0 / (v + tau * tau)
        mu = float(np.sum(w * d) / np.sum(w))
        return float(np.sum(np.log(v + tau * tau)) + math.log(float(np.sum(w))) + np.sum(w * (d - mu) ** 2))

    spread = float(np.std(d)) + float(np.sqrt(np.max(v)))
    res = optimize.minimize_scalar(
        neg2ll,
        bounds=(0.0, 10.0 * spread + 1e-12),
        method="bounded",
        options={"xatol": 1e-10},
    )
    tau = float(res.x)
    # The bounded search never evaluates the boundary itself.
    if neg2ll(0.0) <= neg2ll(tau):
        tau = 0.0
    return tau * tau


def random_effects(d: FloatArray, v: FloatArray) -> MetaAnalysis:
    """REML random-effects meta-analysis with the HKSJ interval (``max(1, q)``)."""
    k = d.size
    if k < 2:
        raise ValueError("at least two estimates are needed")
    tau2 = _reml_tau2(d, v)
    w = 1.0 / (v + tau2)
    mu = float(np.sum(w * d) / np.sum(w))
    q = float(np.sum(w * (d - mu) ** 2)) / (k - 1)
    se = math.sqrt(max(q, 1.0) / float(np.sum(w)))
    w0 = 1.0 / v
    mu0 = float(np.sum(w0 * d) / np.sum(w0))
    big_q = float(np.sum(w0 * (d - mu0) ** 2))
    i2 = max(0.0, (big_q - (k - 1)) / big_q) if big_q > 0 else None
    return MetaAnalysis(mu, se, float(k - 1), tau2, w, i2)


def _day_numbers(col: pd.Series) -> IntArray:
    if pd.api.types.is_numeric_dtype(col.dtype):
        return np.asarray(col.to_numpy(dtype=np.int64), dtype=np.int64)
    days = pd.to_datetime(col).to_numpy(dtype="datetime64[D]")
    return np.asarray((days - days.min()).astype(np.int64), dtype=np.int64)


def _indicator(col: pd.Series, treated_value: Hashable | None, control_value: Hashable | None) -> FloatArray:
    """Treatment indicator: 1 treated, 0 control, NaN neither."""
    if treated_value is None:
        x = pd.to_numeric(col, errors="coerce").astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
        unreadable = np.isnan(x) & col.notna().to_numpy()
        if np.any(unreadable) or np.any(~np.isnan(x) & (x != 0.0) & (x != 1.0)):
            raise AnalysisInputError("the treatment column must be 0/1 (or name treated_value and control_value)")
        return np.asarray(x, dtype=np.float64)
    out = np.full(len(col), np.nan)
    out[(col == treated_value).to_numpy()] = 1.0
    if control_value is None:
        out[(col != treated_value).to_numpy()] = 0.0
    else:
        out[(col == control_value).to_numpy()] = 0.0
    return out


def _person_fit(t: IntArray, y: FloatArray, x: FloatArray) -> tuple[float, float, float, float]:
    design = np.column_stack([np.ones_like(x), x])
    fit = fit_ar1(y, design, t)
    c = np.array([0.0, 1.0])
    est, se = fit.contrast(c)
    return (
        est,
        se,
        fit.satterthwaite_df(c),
        float(fit.rho if fit.rho is not None else 0.0),
    )


def pooled_series(
    df_long: pd.DataFrame,
    *,
    participant: str = "participant",
    treatment: str = "treatment",
    outcome: str = "outcome",
    time: str | None = None,
    treated_value: Hashable | None = None,
    control_value: Hashable | None = None,
    lower_is_better: bool = True,
    method: Method = "two-stage",
    ci_level: float = 0.95,
) -> PooledResult:
    """Pool a series of N-of-1 trials.

    ``df_long`` has one row per person-day: ``participant`` (id),
    ``treatment`` (1/0 or bool, or labels with ``treated_value`` /
    ``control_value``), ``outcome`` (NaN = missing) and optionally ``time``
    (dates or integer day numbers; without it rows are taken to be
    consecutive days in the given order).  The effect is treatment minus
    control; ``improvement`` is the same signed so that positive is better.
    People with fewer than two observed days in either arm are excluded and
    listed with the reason.
    """
    cols = [participant, treatment, outcome] + ([time] if time else [])
    missing = [c for c in cols if c not in df_long.columns]
    if missing:
        raise AnalysisInputError(f"missing column(s): {', '.join(missing)}", column=missing[0])
    if method not in ("two-stage", "mixedlm"):
        raise AnalysisInputError("method must be two-stage or mixedlm")
    y_all = np.asarray(
        pd.to_numeric(df_long[outcome], errors="coerce").astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan),
        dtype=np.float64,
    )
    x_all = _indicator(df_long[treatment], treated_value, control_value)
    codes, uniques = pd.factorize(df_long[participant].astype(str))
    labels = np.asarray(uniques, dtype=object)
    if time is not None:
        t_all = _day_numbers(df_long[time])
    else:
        t_all = np.asarray(df_long.groupby(codes, sort=False).cumcount().to_numpy(), dtype=np.int64)
    keep = ~np.isnan(y_all) & ~np.isnan(x_all)
    # Group rows by person once: sort by (person, day).
    order = np.lexsort((t_all, codes))
    order = order[keep[order]]
    ids_s = labels[codes[order]]
    t_s, y_s, x_s = t_all[order], y_all[order], x_all[order]
    if ids_s.size == 0:
        raise AnalysisInputError("no rows with both an outcome value and a treatment label")
    bounds = np.flatnonzero(np.r_[True, ids_s[1:] != ids_s[:-1], True])
    if method == "mixedlm":
        return _mixedlm(ids_s, y_s, x_s, outcome, lower_is_better, ci_level, bounds)

    names: list[str] = []
    est: list[float] = []
    ses: list[float] = []
    dfs: list[float] = []
    rhos: list[float] = []
    counts: list[tuple[int, int, int]] = []
    excluded: dict[str, str] = {}
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        pid = str(ids_s[a])
        t, y, x = t_s[a:b], y_s[a:b], x_s[a:b]
        if np.any(np.diff(t) == 0):
            raise AnalysisInputError(f"participant {pid}: two rows for the same day")
        n1 = int(x.sum())
        n0 = int(x.size - n1)
        if n1 < MIN_DAYS_PER_ARM or n0 < MIN_DAYS_PER_ARM or x.size < 5:
            excluded[pid] = f"too few days ({n1} treated, {n0} control)"
            continue
        e, s, dfi, r = _person_fit(t, y, x)
        if not (s > 0 and math.isfinite(s)):
            excluded[pid] = "no day-to-day variation"
            continue
        names.append(pid)
        est.append(e)
        ses.append(s)
        dfs.append(dfi)
        rhos.append(r)
        counts.append((int(x.size), n1, n0))
    if len(names) < 2:
        raise AnalysisInputError("at least two participants with usable data are needed")
    d = np.asarray(est)
    # Each d_i / s_i is t-distributed with the Satterthwaite df, so its
    # sampling variance is s_i^2 * df / (df - 2), not s_i^2.  Using the plain
    # s_i^2 attributes the excess (about 10% with 60 days) to between-person
    # variation and inflates tau; the df are floored at 3 to bound the factor.
    dfa = np.maximum(np.asarray(dfs), 3.0)
    v = np.asarray(ses) ** 2 * dfa / (dfa - 2.0)
    meta = random_effects(d, v)
    b_i = meta.tau2 / (meta.tau2 + v)
    shrunk = meta.mu + b_i * (d - meta.mu)
    shrunk_se = np.sqrt(b_i * v + (1.0 - b_i) ** 2 * meta.se**2)
    persons = [
        PersonEstimate(
            participant=names[i],
            n_days=counts[i][0],
            n_treated=counts[i][1],
            n_control=counts[i][2],
            estimate=float(d[i]),
            se=float(ses[i]),
            df=float(dfs[i]),
            rho=float(rhos[i]),
            shrunken=float(shrunk[i]),
            shrunken_se=float(shrunk_se[i]),
            shrinkage=float(1.0 - b_i[i]),
        )
        for i in range(len(names))
    ]
    notes = [
        "Two-stage model: per-person regression with AR(1) errors, then REML "
        "random-effects pooling with a Hartung-Knapp-Sidik-Jonkman interval.",
    ]
    if len(names) < 5:
        notes.append("Fewer than 5 participants: the between-person SD is very uncertain.")
    return _assemble(
        "two-stage-ar1-reml",
        outcome,
        lower_is_better,
        ci_level,
        meta.mu,
        meta.se,
        meta.df,
        math.sqrt(meta.tau2),
        meta.i_squared,
        persons,
        excluded,
        notes,
    )


def _assemble(
    method: str,
    outcome: str,
    lower_is_better: bool,
    ci_level: float,
    mu: float,
    se: float,
    df: float,
    tau: float,
    i2: float | None,
    persons: list[PersonEstimate],
    excluded: dict[str, str],
    notes: list[str],
) -> PooledResult:
    q = t_quantile(df, ci_level)
    lo, hi = mu - q * se, mu + q * se
    sign = -1.0 if lower_is_better else 1.0
    k = len(persons)
    pi = None
    if k >= 3:
        # Higgins, Thompson & Spiegelhalter (2009): where a new person's true
        # effect is expected to lie.
        qp = t_quantile(k - 2, ci_level)
        half = qp * math.sqrt(tau * tau + se * se)
        pi = Interval(mu, mu - half, mu + half)
    imp_lo, imp_hi = sorted((sign * lo, sign * hi))
    return PooledResult(
        method=method,
        outcome=outcome,
        lower_is_better=lower_is_better,
        n_participants=k,
        effect=Interval(mu, lo, hi),
        improvement=Interval(sign * mu, imp_lo, imp_hi),
        se=se,
        df=df,
        p_value=t_two_sided_p(mu / se, df) if se > 0 else None,
        between_person_sd=tau,
        i_squared=i2,
        prediction_interval=pi,
        persons=persons,
        excluded=excluded,
        notes=notes,
    )


def _mixedlm(
    ids: npt.NDArray[np.object_],
    y: FloatArray,
    x: FloatArray,
    outcome: str,
    lower_is_better: bool,
    ci_level: float,
    bounds: IntArray,
) -> PooledResult:
    """One-stage linear mixed model (statsmodels MixedLM, REML): random
    intercept and random treatment effect per person, independent daily
    errors.  Imported lazily: statsmodels is slow to import."""
    from statsmodels.regression.mixed_linear_model import MixedLM

    excluded: dict[str, str] = {}
    keep = np.ones(y.size, dtype=bool)
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        n1 = int(x[a:b].sum())
        n0 = int(b - a - n1)
        if n1 < MIN_DAYS_PER_ARM or n0 < MIN_DAYS_PER_ARM:
            excluded[str(ids[a])] = f"too few days ({n1} treated, {n0} control)"
            keep[a:b] = False
    ids, y, x = ids[keep], y[keep], x[keep]
    groups = pd.unique(ids)
    if groups.size < 2:
        raise AnalysisInputError("at least two participants with usable data are needed")
    design = np.column_stack([np.ones_like(x), x])
    notes = [
        "One-stage mixed model (statsmodels MixedLM, REML) with a random intercept and a "
        "random treatment effect; it treats days as independent within a person, which "
        "overstates precision when days are autocorrelated.",
    ]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = MixedLM(y, design, groups=ids, exog_re=design)
        fit = model.fit(reml=True, method=["lbfgs", "powell"])
    for w in caught:
        notes.append(f"statsmodels: {str(w.message).splitlines()[0]}")
    fe = np.asarray(fit.fe_params, dtype=np.float64)
    se = float(np.asarray(fit.bse_fe, dtype=np.float64)[1])
    cov_re = np.asarray(fit.cov_re, dtype=np.float64)
    tau = math.sqrt(max(float(cov_re[1, 1]), 0.0))
    re = fit.random_effects
    persons: list[PersonEstimate] = []
    for g in groups:
        m = ids == g
        xg, yg = x[m], y[m]
        ols = fit_ols(yg, np.column_stack([np.ones_like(xg), xg]))
        e, s = ols.contrast(np.array([0.0, 1.0]))
        b1 = float(np.asarray(re[g], dtype=np.float64)[1])
        persons.append(
            PersonEstimate(
                participant=str(g),
                n_days=int(m.sum()),
                n_treated=int(xg.sum()),
                n_control=int(m.sum() - xg.sum()),
                estimate=e,
                se=s,
                df=float(ols.df),
                rho=None,
                shrunken=float(fe[1]) + b1,
                shrunken_se=None,
                shrinkage=float("nan"),
            )
        )
    return _assemble(
        "mixedlm-reml",
        outcome,
        lower_is_better,
        ci_level,
        float(fe[1]),
        se,
        float(groups.size - 1),
        tau,
        None,
        persons,
        excluded,
        notes,
    )
