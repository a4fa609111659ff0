"""Which contrasts are made, their sign conventions and their intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fibrostats import AnalysisConfig, OutcomeSpec, analyze
from fibrostats.contrasts import build_model, fieller_percent
from fibrostats.data import prepare
from fibrostats.simulate import simulate_diary

LDN_TRIAL = [("baseline", 14), ("placebo", 14), ("ldn", 56), ("washout", 14)]
MEANS = {"baseline": 6.0, "placebo": 5.6, "ldn": 4.0, "washout": 5.5}


def _diary(seed: int = 0, **kw: object) -> pd.DataFrame:
    return simulate_diary(LDN_TRIAL, MEANS, sd=1.0, rho=0.3, seed=seed, **kw)  # type: ignore[arg-type]


def test_default_contrasts_are_treatment_vs_reference_and_vs_placebo() -> None:
    res = analyze(_diary(), AnalysisConfig(outcomes=[OutcomeSpec("pain")], treatment="ldn"))
    pairs = [(c.reference, c.treatment, c.role) for c in res.outcome("pain").contrasts]
    assert pairs == [("baseline", "ldn", "primary"), ("placebo", "ldn", "placebo")]
    assert res.placebo == "placebo"


def test_requested_comparisons_are_added_once() -> None:
    cfg = AnalysisConfig(
        outcomes=[OutcomeSpec("pain")],
        treatment="ldn",
        comparisons=[("ldn", "washout"), ("baseline", "ldn")],
    )
    pairs = [(c.reference, c.treatment, c.role) for c in analyze(_diary(), cfg).outcome("pain").contrasts]
    assert pairs == [
        ("baseline", "ldn", "primary"),
        ("placebo", "ldn", "placebo"),
        ("ldn", "washout", "requested"),
    ]


def test_treatment_is_inferred_when_only_one_phase_qualifies() -> None:
    df = _diary()
    df = df[df["phase"].isin(["baseline", "placebo", "ldn"])]
    res = analyze(df, AnalysisConfig(outcomes=[OutcomeSpec("pain")]))
    assert res.treatment == "ldn"
    assert any(w.code == "treatment_inferred" for w in res.warnings)


def test_without_a_treatment_every_phase_is_compared_with_the_reference() -> None:
    res = analyze(_diary(), AnalysisConfig(outcomes=[OutcomeSpec("pain")], placebo=None))
    pairs = [(c.reference, c.treatment, c.role) for c in res.outcome("pain").contrasts]
    assert pairs == [
        (ref, p, "versus-reference")
        for ref, p in [("baseline", "placebo"), ("baseline", "ldn"), ("baseline", "washout")]
    ]
    assert res.outcome("pain").responder is None


def test_improvement_sign_follows_the_outcome_direction() -> None:
    df = _diary(seed=4)
    lower = analyze(df, AnalysisConfig(outcomes=[OutcomeSpec("pain")], treatment="ldn")).outcome("pain")
    higher = analyze(
        df, AnalysisConfig(outcomes=[OutcomeSpec("pain", lower_is_better=False)], treatment="ldn")
    ).outcome("pain")
    a, b = lower.contrasts[0].primary, higher.contrasts[0].primary
    assert a is not None and b is not None
    assert a.difference.estimate == pytest.approx(b.difference.estimate)
    assert a.difference.estimate is not None and a.difference.estimate < 0  # pain went down
    assert a.improvement.estimate == pytest.approx(-a.difference.estimate)
    assert b.improvement.estimate == pytest.approx(a.difference.estimate)
    assert a.improvement.ci_low is not None and a.improvement.ci_high is not None
    assert a.improvement.estimate is not None
    assert a.improvement.ci_low < a.improvement.estimate < a.improvement.ci_high
    pa, pb = lower.contrasts[0].percent_change, higher.contrasts[0].percent_change
    assert pa is not None and pb is not None and pa.estimate is not None and pb.estimate is not None
    assert pa.estimate == pytest.approx(-pb.estimate) and pa.estimate > 0


def test_primary_method_and_labelled_sensitivity_analyses_are_reported() -> None:
    c = analyze(_diary(), AnalysisConfig(outcomes=[OutcomeSpec("pain")], treatment="ldn")).outcome("pain").contrasts[0]
    assert c.primary is not None and c.primary.method == "ar1-gls" and c.primary.rho is not None
    methods = {e.method: e for e in c.sensitivity}
    assert set(methods) == {"newey-west-hac", "ols"}
    assert methods["ols"].accounts_for_autocorrelation is False
    assert "ignores autocorrelation" in methods["ols"].label
    # OLS and HAC share the OLS point estimate: the difference of the phase means.
    assert methods["ols"].difference.estimate == pytest.approx(c.observed_difference)
    assert methods["newey-west-hac"].hac_maxlags is not None
    no_ols = analyze(_diary(), AnalysisConfig(outcomes=[OutcomeSpec("pain")], treatment="ldn", include_ols=False))
    assert [e.method for e in no_ols.outcome("pain").contrasts[0].sensitivity] == ["newey-west-hac"]


def test_fieller_interval_contains_estimate_and_approaches_delta_method_when_precise() -> None:
    df = simulate_diary([("baseline", 200), ("ldn", 200)], {"baseline": 6.0, "ldn": 4.0}, sd=0.5, rho=0.2, seed=3)
    cfg = AnalysisConfig(outcomes=[OutcomeSpec("pain")], treatment="ldn")
    series = prepare(df, cfg)
    model = build_model(series, cfg.outcomes[0], ["baseline", "ldn"], trend=False, hac_maxlags=None, notices=[])
    assert model.ar1 is not None
    pct, interval = fieller_percent(model.ar1, model, "baseline", "ldn", 0.95)
    assert pct is not None and interval is not None
    assert interval.ci_low is not None and interval.ci_high is not None
    assert interval.ci_low < pct < interval.ci_high
    # Delta method for 100 * (b - a) / b with a = ldn level, b = baseline level.
    b, a = model.ar1.params
    cov = model.ar1.cov
    grad = 100 * np.array([a / b**2, -1 / b])
    se = float(np.sqrt(grad @ cov @ grad))
    assert interval.ci_high - interval.ci_low == pytest.approx(2 * 1.97 * se, rel=0.05)


def test_percent_change_undefined_when_reference_is_at_the_scale_floor() -> None:
    df = _diary()
    df.loc[df["phase"] == "baseline", "pain"] = 0.0
    res = analyze(df, AnalysisConfig(outcomes=[OutcomeSpec("pain")], treatment="ldn", placebo=None))
    out = res.outcome("pain")
    c = out.contrasts[0]
    assert c.percent_change_observed is None
    assert c.endpoint is not None and c.endpoint.percent_change is None
    assert c.percent_change is None
    assert any(w.code == "percent_undefined" for w in out.warnings)
    assert c.importance is not None
    assert all(t.probability is None for t in c.importance.thresholds if t.kind == "percent")
    responder = res.outcome("pain").responder
    assert responder is not None and responder.responder is None


def test_constant_values_give_no_interval_and_a_warning() -> None:
    df = _diary()
    df["pain"] = np.where(df["phase"] == "ldn", 3.0, 6.0)
    out = analyze(df, AnalysisConfig(outcomes=[OutcomeSpec("pain")], treatment="ldn")).outcome("pain")
    c = out.contrasts[0]
    assert c.primary is not None
    assert c.primary.difference.estimate == pytest.approx(-3.0)
    assert c.primary.difference.ci_low is None and c.primary.se is None and c.primary.p_value is None
    assert c.importance is None
    assert any(w.code == "no_variation" for w in out.warnings)


def test_excluded_phases_are_described_but_not_modelled() -> None:
    cfg = AnalysisConfig(outcomes=[OutcomeSpec("pain")], treatment="ldn", exclude_phases=["washout"])
    res = analyze(_diary(), cfg)
    assert res.phases_excluded == ["washout"] and "washout" not in res.phases_included
    out = res.outcome("pain")
    assert out.model is not None and "washout" not in out.model.phases
    assert out.model.n_days == 84
    washout = next(p for p in out.phases if p.phase == "washout")
    assert washout.included is False and washout.days_observed == 14
    assert any(w.code == "phase_excluded" and w.phase == "washout" for w in res.warnings)


def test_trend_model_separates_a_level_change_from_a_linear_drift() -> None:
    # ABAB with a steady improvement of 1 point per 100 days and a true effect of -1.5.
    plan = [("off", 30), ("on", 30), ("off", 30), ("on", 30)]
    df = simulate_diary(plan, {"off": 6.0, "on": 4.5}, sd=0.7, rho=0.3, seed=11)
    days = (df["date"] - df["date"].iloc[0]).dt.days.to_numpy()
    df["pain"] = df["pain"] - days / 100.0
    cfg = AnalysisConfig(outcomes=[OutcomeSpec("pain")], reference="off", treatment="on", placebo=None, trend=True)
    e = analyze(df, cfg).outcome("pain").contrasts[0].primary
    assert e is not None and e.difference.ci_low is not None and e.difference.ci_high is not None
    assert e.difference.ci_low < -1.5 < e.difference.ci_high


def test_too_few_days_reports_estimates_without_uncertainty() -> None:
    df = pd.DataFrame(
        {"date": pd.date_range("2024-01-01", periods=3), "phase": ["baseline", "ldn", "ldn"], "pain": [5.0, 3.0, 4.0]}
    )
    out = analyze(df, AnalysisConfig(outcomes=[OutcomeSpec("pain")], treatment="ldn")).outcome("pain")
    c = out.contrasts[0]
    assert c.estimable and c.primary is None and c.observed_difference == pytest.approx(-1.5)
    assert out.model is None
    assert {w.code for w in out.warnings} >= {"too_few_days", "short_phase"}


def test_a_phase_without_values_for_an_outcome_is_not_estimable() -> None:
    df = _diary()
    df["fatigue"] = np.where(df["phase"] == "ldn", np.nan, 5.0)
    cfg = AnalysisConfig(outcomes=[OutcomeSpec("pain"), OutcomeSpec("fatigue")], treatment="ldn")
    res = analyze(df, cfg)
    fat = res.outcome("fatigue")
    assert not fat.contrasts[0].estimable and fat.responder is None
    assert any(w.code == "empty_phase" and w.phase == "ldn" for w in fat.warnings)
    assert res.outcome("pain").contrasts[0].estimable
