"""Posterior probabilities of clinically important improvement (sceptical prior)."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from fibrostats import AnalysisConfig, OutcomeSpec, analyze
from fibrostats.bayes import PosteriorGrid, assess_importance, normal_posterior, threshold_points
from fibrostats.simulate import simulate_diary
from fibrostats.types import IMMPACT_THRESHOLDS, ImportanceThreshold


@pytest.mark.parametrize(("est", "se", "tau"), [(1.8, 0.4, 1.5), (-0.5, 1.0, 1.5), (3.0, 0.05, 1.5), (0.2, 5.0, 1.0)])
def test_grid_posterior_equals_conjugate_normal_when_df_is_large(est: float, se: float, tau: float) -> None:
    grid = PosteriorGrid(est, se, 1e7, tau)
    m, s = normal_posterior(est, se, tau)
    gm, gs = grid.mean_sd()
    assert gm == pytest.approx(m, abs=1e-4 * max(1.0, abs(m)))
    assert gs == pytest.approx(s, rel=1e-3)
    for thr in (-1.0, 0.0, 0.5, 1.8, 3.0):
        exact = 1.0 - stats.norm.cdf(thr, loc=m, scale=s)
        assert grid.prob_at_least(thr) == pytest.approx(exact, abs=1e-4)
    assert grid.quantile(0.025) == pytest.approx(stats.norm.ppf(0.025, m, s), abs=1e-3 * max(s, 0.1))


def test_t_likelihood_is_more_cautious_than_normal_with_few_degrees_of_freedom() -> None:
    few = PosteriorGrid(2.0, 0.6, 4.0, 1.5)
    many = PosteriorGrid(2.0, 0.6, 1e6, 1.5)
    assert few.mean_sd()[1] > many.mean_sd()[1]
    assert few.prob_at_least(0.0) < many.prob_at_least(0.0)


def test_sceptical_prior_pulls_the_estimate_towards_no_effect() -> None:
    grid = PosteriorGrid(2.5, 0.8, 30.0, 1.5)
    m, _ = grid.mean_sd()
    assert 0.0 < m < 2.5


def test_threshold_conversion_to_points() -> None:
    out = OutcomeSpec("pain")
    th30 = ImportanceThreshold("m", "30%", "percent", 30.0)
    th2 = ImportanceThreshold("p", "2 points", "points", 2.0)
    assert threshold_points(th30, out, 6.0) == pytest.approx(1.8)
    assert threshold_points(th30, out, None) is None
    assert threshold_points(th30, out, 0.0) is None
    assert threshold_points(th2, out, 6.0) == pytest.approx(2.0)
    # "2 points on a 0-10 scale" is 20 points on a 0-100 scale.
    wide = OutcomeSpec("pain", scale_max=100.0)
    assert threshold_points(th2, wide, 60.0) == pytest.approx(20.0)
    assert threshold_points(th30, OutcomeSpec("x", scale_min=1.0), 6.0) == pytest.approx(1.5)


def test_probabilities_fall_as_thresholds_rise_and_prior_is_written_out() -> None:
    res, _grid = assess_importance(
        estimate=1.8,
        se=0.5,
        df=20.0,
        outcome=OutcomeSpec("pain"),
        prior_sd=1.5,
        prior_sd_0_10=1.5,
        reference_level=6.0,
        thresholds=IMMPACT_THRESHOLDS,
        ci_level=0.95,
    )
    probs = {t.key: t.probability for t in res.thresholds}
    assert probs["minimal_10pct"] > probs["minimal_20pct"] > probs["moderate_30pct"] > probs["substantial_50pct"]  # type: ignore[operator]
    assert all(p is not None and 0.0 <= p <= 1.0 for p in probs.values())
    # 30% of 6 = 1.8 points = the estimate; the sceptical prior puts the chance below 50%.
    assert probs["moderate_30pct"] is not None and probs["moderate_30pct"] < 0.5
    assert res.prior.distribution == "normal" and res.prior.mean == 0.0 and res.prior.sd == 1.5
    assert "pct/100 x 6" in res.percent_conversion
    assert res.highest_threshold_met == "moderate_30pct"
    assert res.posterior.ci_low < res.posterior.mean < res.posterior.ci_high


def test_analysis_reports_prior_in_outcome_units_and_matches_direct_computation() -> None:
    df = simulate_diary([("baseline", 21), ("ldn", 42)], {"baseline": 60.0, "ldn": 42.0}, sd=12.0, rho=0.3, seed=8)
    cfg = AnalysisConfig(outcomes=[OutcomeSpec("pain", scale_max=100.0)], treatment="ldn", prior_sd=2.0)
    c = analyze(df, cfg).outcome("pain").contrasts[0]
    assert c.importance is not None and c.primary is not None
    assert c.importance.prior.sd == pytest.approx(20.0)  # 2 points on 0-10 -> 20 on 0-100
    assert c.importance.prior.sd_on_0_10_scale == pytest.approx(2.0)
    assert c.primary.se is not None and c.primary.df is not None and c.primary.improvement.estimate is not None
    grid = PosteriorGrid(c.primary.improvement.estimate, c.primary.se, c.primary.df, 20.0)
    moderate = next(t for t in c.importance.thresholds if t.key == "moderate_30pct")
    assert c.reference_level is not None
    assert moderate.threshold_points == pytest.approx(0.3 * c.reference_level)
    assert moderate.probability == pytest.approx(grid.prob_at_least(0.3 * c.reference_level))
    assert math.isfinite(c.importance.posterior.sd)


def test_invalid_inputs_are_rejected() -> None:
    with pytest.raises(ValueError):
        PosteriorGrid(1.0, 0.0, 10.0, 1.5)
    with pytest.raises(ValueError):
        PosteriorGrid(1.0, 1.0, 10.0, -1.0)
