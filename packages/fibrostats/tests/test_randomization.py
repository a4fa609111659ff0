"""Randomization tests: exact null distributions, attainable p-values, designs."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pandas as pd
import pytest

from fibrostats import (
    AnalysisConfig,
    OutcomeSpec,
    analyze,
    min_attainable_p,
    paired_test,
    randomization_test,
    start_test,
)
from fibrostats.randomization import sign_flip_distribution


def _enumerate(d: list[float]) -> list[float]:
    return sorted(
        sum(s * x for s, x in zip(signs, d, strict=True)) / len(d)
        for signs in itertools.product((1, -1), repeat=len(d))
    )


@pytest.mark.parametrize("d", [[1.0, 2.0, 4.0], [0.5, -1.25, 3.0, 2.0, -0.75]])
def test_exact_null_distribution_is_every_sign_flip_with_equal_weight(d: list[float]) -> None:
    k = len(d)
    null = sign_flip_distribution(np.asarray(d))
    assert null.size == 2**k
    np.testing.assert_allclose(np.sort(null), _enumerate(d), atol=1e-12)
    # Symmetric about zero: each allocation and its mirror image.
    np.testing.assert_allclose(np.sort(null), np.sort(-null), atol=1e-12)
    res = paired_test(d)
    assert res.method == "exact" and res.n_allocations == 2**k == res.n_evaluated
    expected = sum(v >= np.mean(d) - 1e-12 for v in _enumerate(d)) / 2**k
    assert res.p_value == pytest.approx(expected)


def test_three_pairs_cannot_go_below_one_eighth() -> None:
    best = paired_test([1.0, 2.0, 4.0])  # every pair favours treatment
    assert best.p_value == pytest.approx(0.125) == pytest.approx(best.min_attainable_p)
    assert paired_test([1.0, 2.0, 4.0], alternative="two-sided").p_value == pytest.approx(0.25)
    # Hand count: sign vectors of (1, -2, 4) with sum >= 3 are +++, +-+, --+.
    assert paired_test([1.0, -2.0, 4.0]).p_value == pytest.approx(3 / 8)


def test_five_pairs_reach_one_in_thirty_two() -> None:
    res = paired_test([1.0, 2.0, 4.0, 8.0, 16.0])
    assert res.p_value == pytest.approx(1 / 32)
    assert res.min_attainable_p == pytest.approx(1 / 32)
    assert res.min_attainable_p < 0.05


@pytest.mark.parametrize("k", [3, 5])
def test_p_value_is_exactly_uniform_under_the_null(k: int) -> None:
    # With distinct subset sums, each of the 2**k equally likely allocations
    # gives a different p-value: P(p <= j / 2**k) = j / 2**k exactly.
    base = np.array([2.0**i for i in range(k)])
    ps = sorted(paired_test(np.asarray(s) * base).p_value for s in itertools.product((1.0, -1.0), repeat=k))
    np.testing.assert_allclose(ps, np.arange(1, 2**k + 1) / 2**k)


def test_ties_are_counted_conservatively() -> None:
    # Flipping a zero difference gives the same statistic: it counts as "at least as extreme".
    assert paired_test([0.0, 1.0, 2.0]).p_value == pytest.approx(2 / 8)


def test_min_attainable_p() -> None:
    assert min_attainable_p("randomized-pairs", n_pairs=3) == pytest.approx(0.125)
    assert min_attainable_p("randomized-pairs", n_pairs=4) == pytest.approx(0.0625)
    assert min_attainable_p("randomized-pairs", n_pairs=5) == pytest.approx(0.03125)
    assert min_attainable_p("randomized-pairs", n_pairs=3, alternative="two-sided") == pytest.approx(0.25)
    assert min_attainable_p("randomized-start", n_start_days=20) == pytest.approx(0.05)
    with pytest.raises(ValueError):
        min_attainable_p("fixed", n_pairs=3)


def test_monte_carlo_for_many_pairs_is_seeded_and_close_to_exact() -> None:
    rng = np.random.default_rng(0)
    d = rng.normal(0.3, 1.0, 18)
    exact = paired_test(d, exact_limit=1 << 18)
    mc = paired_test(d, exact_limit=1 << 16, draws=20_000, seed=5)
    assert exact.method == "exact" and mc.method == "monte-carlo"
    assert mc.p_value == pytest.approx(exact.p_value, abs=0.01)
    assert mc.p_value == paired_test(d, exact_limit=1 << 16, draws=20_000, seed=5).p_value
    assert mc.p_value >= 1 / 20_001


def test_randomized_start_test_by_hand() -> None:
    t = np.arange(30)
    y = np.where(t < 15, 6.0, 4.0) + np.sin(t)  # a drop at day 15
    res = start_test(t, y, observed_start=15, candidates=range(10, 20))
    assert res.n_allocations == 10 and res.min_attainable_p == pytest.approx(0.1)
    assert res.null_distribution is not None
    for i, s in enumerate(range(10, 20)):
        assert res.null_distribution[i] == pytest.approx(y[:s].mean() - y[s:].mean())  # lower is better
    assert res.p_value == pytest.approx(np.mean(res.null_distribution >= res.statistic - 1e-12))
    assert res.p_value == pytest.approx(0.1)
    with pytest.raises(ValueError):
        start_test(t, y, observed_start=25, candidates=range(10, 20))


def _pairs_diary(orders: list[str], period: int = 7, effect: float = 2.0, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    phases = [
        p
        for pair in orders
        for p in (("ldn", "placebo") if pair == "AB" else ("placebo", "ldn"))
        for _ in range(period)
    ]
    y = 6.0 - effect * (np.array(phases) == "ldn") + rng.normal(0, 0.5, len(phases))
    return pd.DataFrame({"date": pd.date_range("2024-01-01", periods=len(phases)), "phase": phases, "pain": y})


def _pairs_config(**kw: object) -> AnalysisConfig:
    return AnalysisConfig(
        outcomes=[OutcomeSpec("pain")],
        reference="placebo",
        treatment="ldn",
        design="randomized-pairs",
        **kw,  # type: ignore[arg-type]
    )


def test_three_randomized_pairs_warn_that_p_below_005_is_impossible() -> None:
    df = _pairs_diary(["AB", "BA", "AB"])
    out = analyze(df, _pairs_config(period_days=7)).outcome("pain")
    r = out.randomization
    assert r is not None and r.available and r.units == 3
    assert r.p_value == pytest.approx(0.125) and r.min_attainable_p == pytest.approx(0.125)
    assert r.can_reach_0_05 is False
    assert any(w.code == "randomization_underpowered" for w in out.warnings)


def test_pairs_are_split_by_period_length_even_when_runs_merge() -> None:
    # AB BA BA AB: runs ldn|placebo placebo|ldn ldn|placebo placebo|ldn merge.
    df = _pairs_diary(["AB", "BA", "BA", "AB", "BA"])
    r = randomization_test(df, _pairs_config(period_days=7))
    assert r.available and r.units == 5 and r.p_value == pytest.approx(1 / 32)
    # Without the period length the merged runs are detected, not silently mis-paired.
    unknown = randomization_test(df, _pairs_config())
    assert not unknown.available and "period" in unknown.message


def test_period_starts_define_the_periods() -> None:
    df = _pairs_diary(["AB", "BA", "AB", "AB", "BA"], period=5)
    starts = [dt.date(2024, 1, 1) + dt.timedelta(days=5 * i) for i in range(10)]
    r = randomization_test(df, _pairs_config(period_starts=starts))
    assert r.available and r.units == 5 and r.p_value == pytest.approx(1 / 32)


def test_randomized_start_design_in_analyze() -> None:
    n = 60
    phases = ["baseline"] * 24 + ["ldn"] * 36
    rng = np.random.default_rng(2)
    y = 6.0 - 2.0 * (np.array(phases) == "ldn") + rng.normal(0, 0.4, n)
    df = pd.DataFrame({"date": pd.date_range("2024-01-01", periods=n), "phase": phases, "pain": y})
    cfg = AnalysisConfig(
        outcomes=[OutcomeSpec("pain")],
        treatment="ldn",
        design="randomized-start",
        start_window=(dt.date(2024, 1, 15), dt.date(2024, 2, 13)),  # 30 possible start days
    )
    r = analyze(df, cfg).outcome("pain").randomization
    assert r is not None and r.available and r.units == 30
    assert r.min_attainable_p == pytest.approx(1 / 30) and r.can_reach_0_05
    assert r.p_value == pytest.approx(1 / 30)
    outside = AnalysisConfig(
        outcomes=[OutcomeSpec("pain")],
        treatment="ldn",
        design="randomized-start",
        start_window=(dt.date(2024, 1, 2), dt.date(2024, 1, 10)),
    )
    r2 = analyze(df, outside).outcome("pain").randomization
    assert r2 is not None and not r2.available and "outside" in r2.message


def test_fixed_design_has_no_randomization_test() -> None:
    df = _pairs_diary(["AB", "BA", "AB"])
    cfg = AnalysisConfig(outcomes=[OutcomeSpec("pain")], reference="placebo", treatment="ldn")
    assert analyze(df, cfg).outcome("pain").randomization is None
    with pytest.raises(ValueError, match="randomized design"):
        randomization_test(df, cfg)
