"""Lagged associations (triggers) with FDR control, always labelled as association."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from fibrostats import AnalysisInputError, benjamini_hochberg, lagged_associations
from fibrostats.simulate import ar1_noise


def _diary(n: int = 180, effect: float = 0.6, seed: int = 0) -> pd.DataFrame:
    """Poor sleep (low score) on day t-1 raises pain on day t; 'coffee' is unrelated."""
    rng = np.random.default_rng(seed)
    sleep = 6.0 + ar1_noise(rng, 1, n, 1.2, 0.4)[0]
    coffee = 2.0 + ar1_noise(rng, 1, n, 1.0, 0.4)[0]
    pain = 5.0 + ar1_noise(rng, 1, n, 1.0, 0.4)[0]
    pain[1:] -= effect * (sleep[:-1] - 6.0)
    return pd.DataFrame(
        {"date": pd.date_range("2024-01-01", periods=n), "pain": pain, "sleep": sleep, "coffee": coffee}
    )


def test_benjamini_hochberg_matches_statsmodels_and_a_hand_example() -> None:
    p = np.array([0.01, 0.04, 0.03, 0.20, 0.001])
    # Hand: sorted 0.001, 0.01, 0.03, 0.04, 0.2 -> x5/1..5 -> 0.005, 0.025, 0.05, 0.05, 0.2
    np.testing.assert_allclose(benjamini_hochberg(p), [0.025, 0.05, 0.05, 0.2, 0.005])
    rng = np.random.default_rng(1)
    q = rng.uniform(size=40) ** 2
    np.testing.assert_allclose(benjamini_hochberg(q), multipletests(q, method="fdr_bh")[1])
    assert benjamini_hochberg([]).size == 0
    with pytest.raises(ValueError):
        benjamini_hochberg([0.5, 1.5])


def test_next_day_sleep_effect_is_found_at_lag_one_and_labelled_as_association() -> None:
    res = lagged_associations(_diary(), "pain", ["sleep", "coffee"], max_lag=3)
    assert res.label == "association, not cause"
    assert any("not causes" in n for n in res.notes)
    assert res.n_tests == 8 and len(res.associations) == 8
    lag1 = next(a for a in res.associations if a.predictor == "sleep" and a.lag == 1)
    assert lag1.significant and lag1.slope is not None and lag1.ci_low is not None and lag1.ci_high is not None
    assert lag1.ci_low < -0.6 < lag1.ci_high
    assert lag1.q_value is not None and lag1.p_value is not None and lag1.q_value >= lag1.p_value
    assert not any(a.significant for a in res.associations if a.predictor == "coffee")
    json.dumps(res.to_dict(), allow_nan=False)


@pytest.mark.slow
def test_false_discovery_rate_under_the_null_with_autocorrelated_series() -> None:
    # Nothing is related to pain; all series are autocorrelated (rho 0.6). A
    # naive regression would flag many lags; the AR(1) errors and BH keep the
    # chance of any false finding near the nominal 5% (= FDR under the full null).
    any_false = 0
    reps = 60
    for s in range(reps):
        df = _diary(n=120, effect=0.0, seed=500 + s)
        rng = np.random.default_rng(900 + s)
        df["pain"] = 5.0 + ar1_noise(rng, 1, 120, 1.0, 0.6)[0]
        res = lagged_associations(df, "pain", ["sleep", "coffee"], max_lag=3)
        any_false += bool(res.significant())
    print(f"\nlagged: family-wise false findings under the null: {any_false}/{reps}")
    assert any_false / reps <= 0.12


def test_calendar_gaps_are_respected_for_lags() -> None:
    df = _diary(n=60)
    gappy = df.drop(index=[10, 11, 30]).reset_index(drop=True)
    res = lagged_associations(gappy, "pain", ["sleep"], max_lag=1)
    lag0, lag1 = res.associations
    # Lag 1 needs both today and yesterday: a missing day removes up to two pairs.
    assert lag0.n_days == 57
    assert lag1.n_days == 59 - 3 - 2


def test_phase_adjustment_and_skips() -> None:
    df = _diary(n=40)
    df["phase"] = np.where(np.arange(40) < 20, "baseline", "ldn")
    df["constant"] = 1.0
    res = lagged_associations(df, "pain", ["constant", "sleep"], max_lag=0)
    assert res.adjusted_for_phase
    const = res.associations[0]
    assert const.p_value is None and not const.significant and const.note is not None
    assert res.n_tests == 1
    short = lagged_associations(df.head(8), "pain", ["sleep"], max_lag=0)
    assert short.associations[0].note is not None and short.n_tests == 0


def test_invalid_input() -> None:
    df = _diary(n=30)
    with pytest.raises(AnalysisInputError, match="missing column"):
        lagged_associations(df, "pain", ["nope"])
    with pytest.raises(AnalysisInputError):
        lagged_associations(df, "pain", ["sleep"], max_lag=-1)
    with pytest.raises(AnalysisInputError, match="duplicate"):
        lagged_associations(pd.concat([df, df.head(1)]), "pain", ["sleep"])


def test_monthly_stability_counts_months_that_point_the_same_way() -> None:
    from fibrostats import monthly_stability

    df = _diary(n=365, effect=1.5, seed=3)
    found = monthly_stability(df, "pain", "sleep", 1, sign=-1.0)
    assert found.months_checked == 12
    assert found.months_agreeing >= 10
    # The same months, asked about the opposite direction, mostly disagree.
    assert monthly_stability(df, "pain", "sleep", 1, sign=1.0).months_agreeing <= 2


def test_monthly_stability_finds_a_link_carried_by_one_stretch_only() -> None:
    from fibrostats import monthly_stability

    rng = np.random.default_rng(7)
    n = 365
    tag = (rng.uniform(size=n) < 0.3).astype(float)
    pain = 5.0 + ar1_noise(rng, 1, n, 1.0, 0.3)[0]
    pain[:45] += 3.0 * tag[:45]  # only the first month and a half
    df = pd.DataFrame({"date": pd.date_range("2024-01-01", periods=n), "pain": pain, "tag": tag})
    result = monthly_stability(df, "pain", "tag", 0, sign=1.0)
    assert result.months_checked == 12
    assert result.months_agreeing <= 9  # chance agreement in the other months, far from all 12


def test_monthly_stability_skips_thin_months_and_checks_its_input() -> None:
    from fibrostats import monthly_stability

    df = _diary(n=60, seed=4).iloc[::5]  # one day in five: no month has 8 paired days
    assert monthly_stability(df, "pain", "sleep", 0, sign=-1.0).months_checked == 0
    with pytest.raises(AnalysisInputError):
        monthly_stability(df, "pain", "nope", 0, sign=1.0)
    with pytest.raises(AnalysisInputError):
        monthly_stability(df, "pain", "sleep", -1, sign=1.0)
