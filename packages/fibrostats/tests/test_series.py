"""Series of N-of-1 trials: pooled effect, between-person SD, shrunken estimates."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from fibrostats import AnalysisInputError, pooled_series
from fibrostats.series import _reml_tau2, random_effects
from fibrostats.simulate import ar1_noise


def _series(
    k: int, n: int, *, mu: float = -1.0, tau: float = 0.5, rho: float = 0.3, sd: float = 1.0, seed: int = 0
) -> tuple[pd.DataFrame, np.ndarray]:
    """k people, n days each, ABAB blocks, a person-specific effect ~ N(mu, tau^2)."""
    rng = np.random.default_rng(seed)
    effects = mu + tau * rng.normal(size=k)
    x = np.tile((np.arange(n) // (n // 4)) % 2, k)
    baseline = np.repeat(5.0 + rng.normal(size=k), n)
    y = baseline + np.repeat(effects, n) * x + ar1_noise(rng, k, n, sd, rho).ravel()
    df = pd.DataFrame(
        {
            "participant": np.repeat([f"p{i:03d}" for i in range(k)], n),
            "treatment": x,
            "outcome": y,
            "day": np.tile(np.arange(n), k),
        }
    )
    return df, effects


def test_pooled_effect_and_between_person_sd_are_recovered() -> None:
    df, _ = _series(60, 60, seed=1)
    r = pooled_series(df, time="day")
    assert r.method == "two-stage-ar1-reml" and r.n_participants == 60
    assert r.effect.ci_low is not None and r.effect.ci_high is not None
    assert r.effect.ci_low < -1.0 < r.effect.ci_high
    assert 0.3 < r.between_person_sd < 0.7
    # Lower is better: a negative difference is an improvement.
    assert r.improvement.estimate == pytest.approx(-r.effect.estimate)  # type: ignore[operator]
    assert r.prediction_interval is not None
    assert r.prediction_interval.ci_low is not None and r.prediction_interval.ci_low < r.effect.ci_low
    json.dumps(r.to_dict(), allow_nan=False)


def test_shrunken_estimates_lie_between_own_estimate_and_pooled_mean() -> None:
    df, _ = _series(25, 40, seed=2)
    r = pooled_series(df, time="day")
    mu = r.effect.estimate
    assert mu is not None
    for p in r.persons:
        lo, hi = sorted((p.estimate, mu))
        assert lo - 1e-12 <= p.shrunken <= hi + 1e-12
        assert 0.0 <= p.shrinkage <= 1.0
    # Less precise people are pulled further towards the mean.
    se = np.array([p.se for p in r.persons])
    shrink = np.array([p.shrinkage for p in r.persons])
    assert np.corrcoef(se, shrink)[0, 1] > 0.9


def test_no_between_person_variation_gives_near_complete_pooling() -> None:
    fits = [pooled_series(_series(30, 60, tau=0.0, seed=s)[0], time="day") for s in range(12)]
    taus = np.array([r.between_person_sd for r in fits])
    # Small compared with a person's own standard error (about 0.35 here).
    assert np.median(taus) < 0.2
    assert np.median([np.mean([p.shrinkage for p in r.persons]) for r in fits]) > 0.6
    # The person-level variances used for pooling, s^2 df / (df - 2), are
    # calibrated: with no true heterogeneity Cochran's Q / (k - 1) averages 1.
    ratios = []
    for r in fits:
        d = np.array([p.estimate for p in r.persons])
        v = np.array([p.se**2 * p.df / (p.df - 2) for p in r.persons if p.df is not None])
        mu = np.sum(d / v) / np.sum(1 / v)
        ratios.append(np.sum((d - mu) ** 2 / v) / (d.size - 1))
    assert 0.85 < np.mean(ratios) < 1.15


def test_two_stage_agrees_with_statsmodels_mixedlm_without_autocorrelation() -> None:
    df, _ = _series(40, 60, rho=0.0, seed=4)
    two = pooled_series(df, time="day")
    one = pooled_series(df, time="day", method="mixedlm")
    assert one.method == "mixedlm-reml"
    assert two.effect.estimate == pytest.approx(one.effect.estimate, abs=0.03)
    assert two.between_person_sd == pytest.approx(one.between_person_sd, abs=0.06)
    corr = np.corrcoef([p.shrunken for p in two.persons], [p.shrunken for p in one.persons])[0, 1]
    assert corr > 0.98
    assert any("independent" in n for n in one.notes)


def test_reml_between_study_variance_solves_its_estimating_equation() -> None:
    rng = np.random.default_rng(5)
    v = rng.uniform(0.05, 0.4, 30)
    d = rng.normal(1.0, 0.6, 30) + rng.normal(0, np.sqrt(v))
    tau2 = _reml_tau2(d, v)
    assert tau2 > 0
    w = 1 / (v + tau2)
    mu = np.sum(w * d) / np.sum(w)
    # Viechtbauer (2005), REML fixed point.
    fixed = np.sum(w**2 * ((d - mu) ** 2 - v)) / np.sum(w**2) + 1 / np.sum(w)
    assert tau2 == pytest.approx(fixed, rel=1e-4)
    meta = random_effects(d, v)
    assert meta.mu == pytest.approx(mu) and meta.tau2 == pytest.approx(tau2)
    # HKSJ with the max(1, q) safeguard is never narrower than the standard error.
    assert meta.se >= np.sqrt(1 / np.sum(w)) - 1e-12
    # Homogeneous estimates: tau^2 is 0.
    assert _reml_tau2(np.full(10, 1.0), np.full(10, 0.1)) == 0.0


def test_people_with_too_few_days_are_excluded_and_listed() -> None:
    df, _ = _series(6, 40, seed=6)
    df = df[~((df["participant"] == "p000") & (df["treatment"] == 1))]
    r = pooled_series(df, time="day")
    assert r.n_participants == 5 and "p000" in r.excluded
    with pytest.raises(AnalysisInputError, match="at least two participants"):
        pooled_series(df[df["participant"].isin(["p000", "p001"])], time="day")


def test_labelled_treatment_column_and_missing_columns() -> None:
    df, _ = _series(8, 40, seed=7)
    labelled = df.assign(treatment=np.where(df["treatment"] == 1, "ldn", "placebo"))
    a = pooled_series(df, time="day")
    b = pooled_series(labelled, time="day", treated_value="ldn", control_value="placebo")
    assert a.effect == b.effect
    with pytest.raises(AnalysisInputError, match="0/1"):
        pooled_series(labelled, time="day")
    with pytest.raises(AnalysisInputError, match="missing column"):
        pooled_series(df.drop(columns=["outcome"]))


@pytest.mark.slow
def test_pooled_interval_coverage_with_few_autocorrelated_people() -> None:
    hits = 0
    reps = 200
    for s in range(reps):
        df, _ = _series(8, 56, mu=-1.0, tau=0.5, rho=0.5, seed=1000 + s)
        r = pooled_series(df, time="day")
        assert r.effect.ci_low is not None and r.effect.ci_high is not None
        hits += r.effect.ci_low <= -1.0 <= r.effect.ci_high
    print(f"\npooled two-stage HKSJ coverage (8 people, rho=0.5): {hits / reps:.3f}")
    assert 0.90 <= hits / reps <= 0.99
