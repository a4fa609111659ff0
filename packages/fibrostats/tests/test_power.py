"""Trial-planning power simulations."""

from __future__ import annotations

import json

import pytest

from fibrostats import AnalysisInputError, simulate_power

YOUNGER_2009 = [("baseline", 14), ("placebo", 14), ("ldn", 56), ("washout", 14)]


def test_power_grows_with_effect_and_phase_length_and_is_seeded() -> None:
    small = simulate_power(YOUNGER_2009, sd=1.5, rho=0.4, effect_pct=10, n_sims=150, seed=1)
    large = simulate_power(YOUNGER_2009, sd=1.5, rho=0.4, effect_pct=40, n_sims=150, seed=1)
    assert small.treatment == "ldn" and small.effect_points == pytest.approx(0.6)
    assert small.power < large.power
    short = simulate_power([("baseline", 7), ("ldn", 7)], sd=1.5, rho=0.4, effect_pct=30, n_sims=150, seed=1)
    long = simulate_power([("baseline", 28), ("ldn", 56)], sd=1.5, rho=0.4, effect_pct=30, n_sims=150, seed=1)
    assert short.power < long.power
    assert long.median_ci_half_width < short.median_ci_half_width
    again = simulate_power(YOUNGER_2009, sd=1.5, rho=0.4, effect_pct=40, n_sims=150, seed=1)
    assert again == large
    json.dumps(large.to_dict(), allow_nan=False)


def test_without_an_effect_detection_stays_near_the_one_sided_error_rate() -> None:
    res = simulate_power(YOUNGER_2009, sd=1.5, rho=0.5, effect_pct=0, n_sims=400, seed=3)
    # "Detected" = 95% interval entirely above 0: 2.5% expected.
    assert res.power <= 0.06


def test_short_or_weak_designs_warn() -> None:
    res = simulate_power([("baseline", 5), ("ldn", 10)], sd=2.0, rho=0.5, effect_pct=20, n_sims=100, seed=2)
    assert any("only 5 days" in w for w in res.warnings)
    assert any("detects a 20% improvement only" in w for w in res.warnings)
    pairs = simulate_power(
        [("placebo", 7), ("ldn", 7), ("ldn", 7), ("placebo", 7), ("placebo", 7), ("ldn", 7)],
        reference="placebo",
        treatment="ldn",
        design="randomized-pairs",
        sd=1.0,
        rho=0.3,
        effect_pct=40,
        n_sims=100,
        seed=2,
    )
    assert pairs.min_attainable_p == pytest.approx(0.125)
    assert any("cannot reach p < 0.05" in w for w in pairs.warnings)


def test_invalid_plans() -> None:
    with pytest.raises(AnalysisInputError):
        simulate_power([("baseline", 14)], sd=1.0, rho=0.3)
    with pytest.raises(AnalysisInputError):
        simulate_power(YOUNGER_2009, sd=0.0, rho=0.3)
    with pytest.raises(AnalysisInputError):
        simulate_power(YOUNGER_2009, sd=1.0, rho=0.99)
    with pytest.raises(AnalysisInputError, match="name the treatment"):
        simulate_power([("baseline", 14), ("a", 14), ("b", 14)], sd=1.0, rho=0.3)
