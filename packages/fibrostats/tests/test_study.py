"""Study-level analysis: pooled contrast with a forest plot, responders, the pilot's
percent change, the crossover check, and the whole result as strict JSON."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from fibrostats import (
    AnalysisInputError,
    LabMeasureSpec,
    OutcomeSpec,
    analyze_study,
    crossover_check,
    participant_changes,
    percent_change_summary,
    pooled_contrast,
    pooled_series,
    responders,
    simulate_study,
    wilson_interval,
)

PAIN = OutcomeSpec("pain")
PROFILE = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _small(seed: int = 0, k: int = 8, **kw: object) -> pd.DataFrame:
    opts: dict[str, object] = {"baseline_days": 7, "treatment_days": 21, "placebo_days": 14, "seed": seed}
    opts.update(kw)
    return simulate_study(k, **opts).diary  # type: ignore[arg-type]


def test_the_pooled_contrast_is_pooled_series_on_the_two_conditions_with_a_forest_row_per_person() -> None:
    diary = _small(1, k=10)
    c = pooled_contrast(diary, PAIN, treatment="ldn", reference="placebo")
    rows = diary[diary["condition"].isin(["ldn", "placebo"])]
    ref = pooled_series(
        rows, treatment="condition", outcome="pain", time="date", treated_value="ldn", control_value="placebo"
    )
    assert c.effect == ref.effect and c.tau == ref.between_person_sd
    assert c.n_participants == 10 and len(c.forest) == 10
    for row, person in zip(c.forest, ref.persons, strict=True):
        assert row.participant == person.participant and row.estimate == person.estimate
        assert row.n_days == row.n_treatment + row.n_reference
        assert row.ci_low is not None and row.ci_high is not None
        assert row.ci_low < row.estimate < row.ci_high
        # The interval is the person's t interval with their Satterthwaite df.
        assert person.df is not None
        assert row.ci_high - row.estimate == pytest.approx(person.se * float(stats.t.ppf(0.975, person.df)))
    # Lower is better: a negative difference is an improvement.
    assert c.improvement.estimate == pytest.approx(-c.effect.estimate)  # type: ignore[operator]


def test_the_mixedlm_cross_check_agrees_roughly_with_the_two_stage_model() -> None:
    diary = _small(8, k=12, rho=0.0)
    a = pooled_contrast(diary, PAIN, treatment="ldn", reference="placebo")
    b = pooled_contrast(diary, PAIN, treatment="ldn", reference="placebo", method="mixedlm")
    assert b.method == "mixedlm-reml" and len(b.forest) == 12
    assert b.effect.estimate == pytest.approx(a.effect.estimate, abs=0.2)


def test_the_95_percent_interval_covers_the_true_effect_in_a_30_person_crossover() -> None:
    study = simulate_study(30, effect=-1.2, tau=0.4, rho=0.5, missing_fraction=0.15, seed=2026)
    c = pooled_contrast(study.diary, PAIN, treatment="ldn", reference="placebo")
    assert c.effect.ci_low is not None and c.effect.ci_high is not None
    assert c.effect.ci_low < study.truth.effect < c.effect.ci_high
    assert c.effect.ci_high < 0  # a real effect of this size is found


def test_whole_number_scores_as_the_diary_records_them_still_cover_the_true_effect() -> None:
    study = simulate_study(30, effect=-1.5, integer_scores=True, seed=30)
    assert set(np.unique(study.diary["pain"])) <= set(range(11))
    c = pooled_contrast(study.diary, PAIN, treatment="ldn", reference="placebo")
    assert c.effect.ci_low is not None and c.effect.ci_high is not None
    assert c.effect.ci_low < study.truth.effect < c.effect.ci_high


@pytest.mark.slow
def test_the_interval_covers_the_true_effect_about_95_percent_of_the_time() -> None:
    hits = 0
    reps = 300
    for seed in range(reps):
        study = simulate_study(
            10,
            baseline_days=0,
            treatment_days=28,
            placebo_days=28,
            effect=-1.0,
            tau=0.5,
            rho=0.5,
            missing_fraction=0.1,
            seed=seed,
        )
        c = pooled_contrast(study.diary, PAIN, treatment="ldn", reference="placebo")
        assert c.effect.ci_low is not None and c.effect.ci_high is not None
        hits += c.effect.ci_low <= -1.0 <= c.effect.ci_high
    # Monte Carlo SE of a 95% rate with 300 replications: 1.3 points.
    assert 0.91 <= hits / reps <= 0.985


def test_responders_follow_the_30_percent_rule_on_observed_means() -> None:
    rows = []
    # a: placebo 6, ldn 3 -> 50% better; b: 6 -> 4.5, 25%; c: 5 -> 3.5, exactly 30%; d: worse.
    for pid, plc, ldn in [("a", 6.0, 3.0), ("b", 6.0, 4.5), ("c", 5.0, 3.5), ("d", 4.0, 5.0)]:
        rows += [(pid, d, "placebo", plc) for d in range(5)] + [(pid, 5 + d, "ldn", ldn) for d in range(5)]
    diary = pd.DataFrame(rows, columns=["participant", "date", "condition", "pain"])
    ch = participant_changes(diary, PAIN, treatment="ldn", reference="placebo")
    assert [c.percent_change for c in ch] == pytest.approx([50.0, 25.0, 30.0, -25.0])
    assert [c.responder for c in ch] == [True, False, True, False]
    r = responders(ch, outcome="pain", treatment="ldn", reference="placebo")
    assert (r.n_responders, r.n_classified) == (2, 4)
    assert r.proportion == wilson_interval(2, 4)
    pc = percent_change_summary(ch, PAIN, treatment="ldn", reference="placebo")
    assert pc.mean.estimate == pytest.approx(20.0) and pc.median == pytest.approx(27.5)
    vals = np.array([50.0, 25.0, 30.0, -25.0])
    half = float(stats.t.ppf(0.975, 3)) * vals.std(ddof=1) / 2
    assert pc.mean.ci_low == pytest.approx(20.0 - half)
    # Percent change of the group means: placebo 5.25, ldn 4.0.
    assert pc.percent_of_means == pytest.approx(100 * 1.25 / 5.25)


def test_a_participant_with_too_few_days_or_a_floor_reference_is_not_classified() -> None:
    rows = [("a", d, "placebo", 0.0) for d in range(4)] + [("a", 9 + d, "ldn", 1.0) for d in range(4)]
    rows += [("b", 0, "placebo", 5.0), ("b", 1, "ldn", 2.0), ("b", 2, "ldn", 2.0)]
    diary = pd.DataFrame(rows, columns=["participant", "date", "condition", "pain"])
    ch = participant_changes(diary, PAIN, treatment="ldn", reference="placebo")
    assert [c.responder for c in ch] == [None, None]
    assert ch[0].reason is not None and "floor" in ch[0].reason
    assert ch[1].reason is not None and "too few days" in ch[1].reason
    r = responders(ch, outcome="pain", treatment="ldn", reference="placebo")
    assert r.n_classified == 0 and r.proportion.estimate is None and len(r.not_classified) == 2


def test_higher_is_better_outcomes_count_an_increase_as_improvement() -> None:
    rows = [("a", d, "placebo", 4.0) for d in range(3)] + [("a", 3 + d, "ldn", 6.0) for d in range(3)]
    diary = pd.DataFrame(rows, columns=["participant", "date", "condition", "energy"])
    ch = participant_changes(diary, OutcomeSpec("energy", lower_is_better=False), treatment="ldn", reference="placebo")
    assert ch[0].percent_change == pytest.approx(50.0) and ch[0].responder is True


def test_wilson_interval_matches_statsmodels() -> None:
    from statsmodels.stats.proportion import proportion_confint

    for k, n in [(0, 10), (3, 10), (10, 10), (7, 31)]:
        lo, hi = proportion_confint(k, n, alpha=0.05, method="wilson")
        iv = wilson_interval(k, n)
        assert iv.ci_low == pytest.approx(lo) and iv.ci_high == pytest.approx(hi)
    assert wilson_interval(0, 0).estimate is None


def test_the_crossover_check_recovers_a_period_effect_and_finds_no_carry_over() -> None:
    study = simulate_study(40, period_effect=0.6, effect=-1.0, rho=0.3, seed=7)
    cc = crossover_check(study.diary, PAIN, treatment="ldn", reference="placebo")
    assert cc.counterbalanced and cc.n_participants == 40
    assert {s.sequence: s.n for s in cc.sequences} == {"ldn-placebo": 20, "placebo-ldn": 20}
    (pe,) = cc.period_effects
    assert pe.period == 2 and pe.ci_low < 0.6 < pe.ci_high and pe.ci_low > 0
    assert cc.treatment_effect is not None and cc.treatment_effect.ci_low is not None
    assert cc.treatment_effect.ci_low < -1.0 < cc.treatment_effect.ci_high  # type: ignore[operator]
    assert cc.carryover is not None and cc.carryover.ci_low is not None and cc.carryover.ci_high is not None
    assert cc.carryover.ci_low < 0 < cc.carryover.ci_high
    json.dumps(cc.to_dict(), allow_nan=False)


def test_two_by_two_crossover_matches_the_classical_analysis_of_period_differences() -> None:
    study = simulate_study(24, period_effect=0.3, seed=11, missing_fraction=0.0)
    d = study.diary[study.diary["period"] > 0]
    m = d.groupby(["participant", "period"])["pain"].mean().unstack()
    seq = d.groupby("participant")["sequence"].first()
    diff = m[1] - m[2]
    ab, ba = diff[seq == "ldn-placebo"], diff[seq == "placebo-ldn"]
    cc = crossover_check(study.diary, PAIN, treatment="ldn", reference="placebo")
    # Treatment effect = (mean d_AB - mean d_BA) / 2, period 2 - period 1 = -(mean d_AB + mean d_BA) / 2.
    assert cc.treatment_effect is not None
    assert cc.treatment_effect.estimate == pytest.approx((ab.mean() - ba.mean()) / 2)
    assert cc.period_effects[0].estimate == pytest.approx(-(ab.mean() + ba.mean()) / 2)
    totals = m.mean(axis=1)
    carry = totals[seq == "ldn-placebo"].mean() - totals[seq == "placebo-ldn"].mean()
    assert cc.carryover is not None and cc.carryover.estimate == pytest.approx(carry)


def test_a_sequence_difference_shows_as_carry_over() -> None:
    study = simulate_study(40, seed=3, between_sd=0.3)
    diary = study.diary.copy()
    diary.loc[diary["sequence"] == "ldn-placebo", "pain"] += 1.5  # one sequence sits higher throughout
    cc = crossover_check(diary, PAIN, treatment="ldn", reference="placebo")
    assert cc.carryover_p_value is not None and cc.carryover_p_value < 0.01


def test_a_fixed_order_is_not_counterbalanced_and_reports_no_period_effect() -> None:
    study = simulate_study(10, seed=4)
    diary = study.diary[study.diary["sequence"] == "placebo-ldn"]
    cc = crossover_check(diary, PAIN, treatment="ldn", reference="placebo")
    assert not cc.counterbalanced and cc.period_effects == [] and cc.treatment_effect is None
    assert any("same order" in n for n in cc.notes)


def test_an_explicit_period_column_separates_adjacent_periods_of_one_condition() -> None:
    rows = []
    rng = np.random.default_rng(0)
    for i in range(12):
        order = ["ldn", "placebo", "placebo", "ldn"] if i % 2 else ["placebo", "ldn", "ldn", "placebo"]
        for p, cond in enumerate(order, start=1):
            for d in range(7):
                rows.append((f"p{i}", (p - 1) * 7 + d, p, cond, 5 - (cond == "ldn") + 0.2 * p + rng.normal(0, 0.5)))
    diary = pd.DataFrame(rows, columns=["participant", "date", "period", "condition", "pain"])
    cc = crossover_check(diary, PAIN, treatment="ldn", reference="placebo", period="period")
    assert [pe.period for pe in cc.period_effects] == [2, 3, 4]
    assert cc.treatment_effect is not None and cc.treatment_effect.estimate == pytest.approx(-1.0, abs=0.25)
    runs = crossover_check(diary, PAIN, treatment="ldn", reference="placebo")
    assert [pe.period for pe in runs.period_effects] == [2, 3]  # ABBA merges into three runs


def test_analyze_study_gives_every_piece_as_strict_json() -> None:
    study = simulate_study(12, seed=5, baseline_days=7, treatment_days=28, placebo_days=14, cold_pressor_cap=60)
    result = analyze_study(
        study.diary,
        [PAIN],
        treatment="ldn",
        lab=study.lab,
        lab_measures=[
            LabMeasureSpec("pressure_kpa", unit="kPa"),
            LabMeasureSpec("cold_pressor_s", unit="s", cap=60),
        ],
        guesses=study.guesses,
    )
    (o,) = result.outcomes
    assert [c.reference for c in o.contrasts] == ["placebo", "baseline"]
    assert o.responders is not None and o.responders.reference == "placebo"
    assert [p.reference for p in o.percent_change] == ["placebo", "baseline"]
    assert o.crossover is not None and o.crossover.counterbalanced
    assert [m.measure for m in result.lab] == ["pressure_kpa", "cold_pressor_s"]
    assert result.blinding is not None and [a.arm for a in result.blinding.arms] == ["drug", "placebo"]
    out = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert out["treatment"] == "ldn" and out["outcomes"][0]["outcome"]["name"] == "pain"


def test_analyze_study_without_placebo_compares_with_baseline_and_says_so() -> None:
    diary = _small(6)
    diary = diary[diary["condition"] != "placebo"]
    result = analyze_study(diary, [PAIN], treatment="ldn")
    (o,) = result.outcomes
    assert [c.reference for c in o.contrasts] == ["baseline"] and o.crossover is None
    assert result.placebo is None and result.responder_reference == "baseline"
    assert any("No placebo" in n for n in result.notes)


def test_analyze_study_rejects_bad_input_cleanly() -> None:
    diary = _small(0)
    with pytest.raises(AnalysisInputError):
        analyze_study(diary, [OutcomeSpec("fatigue")], treatment="ldn")
    with pytest.raises(AnalysisInputError):
        analyze_study(diary, [PAIN], treatment="ldm")
    with pytest.raises(AnalysisInputError):
        analyze_study(diary, [], treatment="ldn")


def test_a_contrast_nobody_can_estimate_becomes_a_note() -> None:
    diary = _small(0, k=3)
    diary = diary[~((diary["condition"] == "baseline") & (diary["participant"] != "P0001"))]
    (o,) = analyze_study(diary, [PAIN], treatment="ldn").outcomes
    assert [c.reference for c in o.contrasts] == ["placebo"]
    assert any("ldn vs baseline: not estimable" in n for n in o.notes)


# --- invariances (Hypothesis) -----------------------------------------------------------------------------


@st.composite
def studies(draw: st.DrawFn) -> pd.DataFrame:
    k = draw(st.integers(3, 7))
    seed = draw(st.integers(0, 2**31 - 1))
    return simulate_study(
        k,
        baseline_days=draw(st.integers(0, 6)),
        treatment_days=draw(st.integers(6, 20)),
        placebo_days=draw(st.integers(6, 14)),
        effect=draw(st.floats(-2, 2)),
        tau=draw(st.floats(0, 1)),
        rho=draw(st.floats(-0.3, 0.8)),
        missing_fraction=draw(st.floats(0, 0.3)),
        seed=seed,
    ).diary


def _effects(diary: pd.DataFrame) -> tuple[float, float, list[float]]:
    c = pooled_contrast(diary, PAIN, treatment="ldn", reference="placebo")
    assert c.effect.estimate is not None
    return c.effect.estimate, c.tau, sorted(r.estimate for r in c.forest)


@PROFILE
@given(studies(), st.randoms(use_true_random=False))
def test_relabelling_participants_and_shuffling_rows_change_nothing(diary: pd.DataFrame, rnd: object) -> None:
    ids = sorted(diary["participant"].unique())
    new = list(ids)
    rnd.shuffle(new)  # type: ignore[attr-defined]
    relabelled = diary.assign(participant=diary["participant"].map(dict(zip(ids, [f"x{n}" for n in new], strict=True))))
    shuffled = relabelled.sample(frac=1.0, random_state=1)
    a, b = _effects(diary), _effects(shuffled)
    # Equal up to the tolerance of the REML search for tau (sums in another order).
    assert a[0] == pytest.approx(b[0], rel=1e-6, abs=1e-7)
    assert a[1] == pytest.approx(b[1], rel=1e-4, abs=1e-5)
    assert a[2] == pytest.approx(b[2], rel=1e-9, abs=1e-9)
    ra = responders(
        participant_changes(diary, PAIN, treatment="ldn", reference="placebo"),
        outcome="pain",
        treatment="ldn",
        reference="placebo",
    )
    rb = responders(
        participant_changes(shuffled, PAIN, treatment="ldn", reference="placebo"),
        outcome="pain",
        treatment="ldn",
        reference="placebo",
    )
    assert (ra.n_responders, ra.n_classified) == (rb.n_responders, rb.n_classified)


@PROFILE
@given(studies(), st.floats(-50, 50))
def test_adding_a_constant_leaves_the_contrasts_unchanged(diary: pd.DataFrame, c: float) -> None:
    a = _effects(diary)
    b = _effects(diary.assign(pain=diary["pain"] + c))
    assert b[0] == pytest.approx(a[0], abs=1e-6)
    assert b[1] == pytest.approx(a[1], abs=1e-4)
    assert b[2] == pytest.approx(a[2], abs=1e-6)
    ca = crossover_check(diary, PAIN, treatment="ldn", reference="placebo")
    cb = crossover_check(diary.assign(pain=diary["pain"] + c), PAIN, treatment="ldn", reference="placebo")
    if ca.treatment_effect is not None and cb.treatment_effect is not None:
        assert cb.treatment_effect.estimate == pytest.approx(ca.treatment_effect.estimate, abs=1e-8)


@PROFILE
@given(studies(), st.floats(0.1, 20))
def test_rescaling_scales_the_effect_and_keeps_percent_changes(diary: pd.DataFrame, s: float) -> None:
    a = _effects(diary)
    b = _effects(diary.assign(pain=diary["pain"] * s))
    assert b[0] == pytest.approx(s * a[0], rel=1e-5, abs=1e-8)
    assert b[1] == pytest.approx(s * a[1], rel=1e-3, abs=1e-4)
    scaled = OutcomeSpec("pain", scale_max=10 * s)
    pa = participant_changes(diary, PAIN, treatment="ldn", reference="placebo")
    pb = participant_changes(diary.assign(pain=diary["pain"] * s), scaled, treatment="ldn", reference="placebo")
    for x, y in zip(pa, pb, strict=True):
        if x.percent_change is None or y.percent_change is None:
            assert x.percent_change is None and y.percent_change is None
        else:
            assert y.percent_change == pytest.approx(x.percent_change, rel=1e-9, abs=1e-9)


@PROFILE
@given(studies())
def test_swapping_treatment_and_reference_negates_the_effect(diary: pd.DataFrame) -> None:
    a = pooled_contrast(diary, PAIN, treatment="ldn", reference="placebo")
    b = pooled_contrast(diary, PAIN, treatment="placebo", reference="ldn")
    assert b.effect.estimate == pytest.approx(-a.effect.estimate, rel=1e-6, abs=1e-7)  # type: ignore[operator]
    assert b.tau == pytest.approx(a.tau, rel=1e-4, abs=1e-5)
    assert math.isclose(b.se, a.se, rel_tol=1e-4)
