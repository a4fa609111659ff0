"""Lab measures by phase, with the cold-pressor time censored at its cap."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from fibrostats import AnalysisInputError, LabMeasureSpec, km_median, lab_by_phase, simulate_study
from fibrostats.results import to_jsonable


def _lab(values: dict[str, dict[str, list[float]]], measure: str) -> pd.DataFrame:
    rows = [(pid, cond, measure, v) for pid, by in values.items() for cond, vs in by.items() for v in vs]
    return pd.DataFrame(rows, columns=["participant", "condition", "measure", "value"])


def test_kaplan_meier_median_with_censoring_at_the_cap() -> None:
    cap = np.array([False] * 5)
    assert km_median(np.array([10.0, 20, 30, 40, 50]), cap) == 30.0
    # Two of five at the cap: still more than half stopped by 30 s.
    assert km_median(np.array([10.0, 20, 30, 180, 180]), np.array([False, False, False, True, True])) == 30.0
    # Three of five at the cap: the survival curve never reaches one half.
    assert km_median(np.array([10.0, 20, 180, 180, 180]), np.array([False, False, True, True, True])) is None
    # Exactly half at the cap: S = 0.5 at the last observed time.
    assert km_median(np.array([10.0, 20, 180, 180]), np.array([False, False, True, True])) == 20.0


def test_values_at_the_cap_are_not_treated_as_exact() -> None:
    lab = _lab(
        {
            "a": {"placebo": [30.0], "ldn": [60.0]},
            "b": {"placebo": [50.0], "ldn": [180.0]},
            "c": {"placebo": [180.0], "ldn": [180.0]},
        },
        "cold_pressor_s",
    )
    (res,) = lab_by_phase(
        lab, [LabMeasureSpec("cold_pressor_s", unit="s", cap=180.0)], treatment="ldn", references=["placebo"]
    )
    placebo, ldn = res.phases
    assert (placebo.condition, placebo.n_at_cap, ldn.n_at_cap) == ("placebo", 1, 2)
    assert placebo.mean is None and placebo.sd is None  # no plain mean once a value is censored
    assert placebo.restricted_mean == pytest.approx((30 + 50 + 180) / 3)
    assert placebo.median == 50.0 and not placebo.median_above_cap
    assert ldn.median is None and ldn.median_above_cap
    (c,) = res.contrasts
    assert c.method == "paired-t-restricted-mean" and c.n_pairs == 3 and c.n_pairs_at_cap == 2
    assert c.difference.estimate == pytest.approx((30 + 130 + 0) / 3)
    assert any("censored" in n for n in res.notes)


def test_an_uncensored_measure_gets_a_paired_t_contrast_in_the_better_direction() -> None:
    rng = np.random.default_rng(0)
    base = rng.normal(12, 4, 15)
    drop = rng.normal(1.0, 1.0, 15)
    lab = _lab({f"p{i}": {"placebo": [base[i]], "ldn": [base[i] - drop[i]]} for i in range(15)}, "cold_threshold_c")
    (res,) = lab_by_phase(
        lab,
        [LabMeasureSpec("cold_threshold_c", higher_is_better=False, unit="°C")],
        treatment="ldn",
        references=["placebo"],
    )
    (c,) = res.contrasts
    t = stats.ttest_rel(base - drop, base)
    assert c.method == "paired-t" and c.p_value == pytest.approx(t.pvalue)
    assert c.difference.estimate == pytest.approx(-drop.mean())
    # Lower cold threshold is better: improvement is minus the difference.
    assert c.improvement.estimate == pytest.approx(drop.mean())
    assert c.improvement.ci_low == pytest.approx(-c.difference.ci_high)  # type: ignore[operator]
    assert res.phases[0].q1 is not None and res.phases[0].mean == pytest.approx(base.mean())


def test_several_visits_in_a_phase_count_once_per_participant() -> None:
    lab = _lab(
        {"a": {"ldn": [200.0, 300.0], "placebo": [100.0]}, "b": {"ldn": [220.0], "placebo": [120.0, 140.0]}},
        "pressure_kpa",
    )
    (res,) = lab_by_phase(
        lab, [LabMeasureSpec("pressure_kpa", unit="kPa")], treatment="ldn", references=["placebo", "baseline"]
    )
    ldn = next(p for p in res.phases if p.condition == "ldn")
    assert ldn.n_participants == 2 and ldn.n_values == 3 and ldn.mean == pytest.approx((250 + 220) / 2)
    assert [c.reference for c in res.contrasts] == ["placebo"]  # no baseline visits
    assert res.contrasts[0].difference.estimate == pytest.approx(((250 - 100) + (220 - 130)) / 2)


def test_a_value_above_the_cap_is_an_input_error() -> None:
    lab = _lab({"a": {"ldn": [200.0]}}, "cold_pressor_s")
    with pytest.raises(AnalysisInputError):
        lab_by_phase(lab, [LabMeasureSpec("cold_pressor_s", cap=180.0)], treatment="ldn")


def test_simulated_lab_visits_summarise_as_strict_json() -> None:
    study = simulate_study(20, seed=9, cold_pressor_cap=90)
    specs = [
        LabMeasureSpec("pressure_kpa", unit="kPa"),
        LabMeasureSpec("heat_threshold_c", unit="°C"),
        LabMeasureSpec("cold_threshold_c", higher_is_better=False, unit="°C"),
        LabMeasureSpec("cold_pressor_s", unit="s", cap=90),
    ]
    res = lab_by_phase(study.lab, specs, treatment="ldn")
    assert [m.measure for m in res] == [s.name for s in specs]
    assert all([c.reference for c in m.contrasts] == ["placebo", "baseline"] for m in res)
    assert sum(p.n_at_cap for p in res[3].phases) > 0
    json.dumps(to_jsonable(res), allow_nan=False)
