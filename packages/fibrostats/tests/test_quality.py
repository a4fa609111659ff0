"""Data-quality warnings (issue item 9) and protocol exclusions (item 6)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from fibrostats import AnalysisConfig, OutcomeSpec, analyze
from fibrostats.simulate import simulate_diary

PLAN = [("baseline", 14), ("placebo", 14), ("ldn", 56), ("washout", 14)]
MEANS = {"baseline": 6.0, "placebo": 5.6, "ldn": 4.0, "washout": 5.5}


def _codes(df: pd.DataFrame, **kw: object) -> dict[str, set[str | None]]:
    cfg = AnalysisConfig(outcomes=[OutcomeSpec("pain")], treatment="ldn", **kw)  # type: ignore[arg-type]
    res = analyze(df, cfg)
    out: dict[str, set[str | None]] = {}
    for w in res.all_warnings():
        out.setdefault(w.code, set()).add(w.phase)
    return out


def test_clean_diary_has_only_the_design_note() -> None:
    df = simulate_diary(PLAN, MEANS, clip=(0, 10), seed=1, adherence=1.0)
    assert set(_codes(df)) == {"not_randomized"}


def test_short_phase_fewer_than_7_observed_days() -> None:
    df = simulate_diary([("baseline", 6), ("ldn", 30)], MEANS, clip=(0, 10), seed=2)
    assert _codes(df)["short_phase"] == {"baseline"}
    df7 = simulate_diary([("baseline", 7), ("ldn", 30)], MEANS, clip=(0, 10), seed=2)
    assert "short_phase" not in _codes(df7)


def test_more_than_20_percent_missing() -> None:
    df = simulate_diary(PLAN, MEANS, clip=(0, 10), seed=3)
    base = df.index[df["phase"] == "baseline"]
    just_ok = df.drop(index=base[1:3]).reset_index(drop=True)  # 2 of 14 (14%) missing
    too_many = df.drop(index=base[1:5]).reset_index(drop=True)  # 4 of 14 (29%) missing
    assert "missing_days" not in _codes(just_ok)
    assert _codes(too_many)["missing_days"] == {"baseline"}
    # Empty values count as missing just like absent rows.
    blank = df.copy()
    blank.loc[base[1:5], "pain"] = np.nan
    assert _codes(blank)["missing_days"] == {"baseline"}


def test_low_adherence_in_treatment_and_placebo_phases_only() -> None:
    df = simulate_diary(PLAN, MEANS, clip=(0, 10), seed=4)
    df["taken"] = np.where(df["phase"] == "ldn", (np.arange(len(df)) % 3 != 0).astype(int), 1)
    df.loc[df["phase"] == "baseline", "taken"] = 0  # nothing to take at baseline
    assert _codes(df)["low_adherence"] == {"ldn"}
    df.loc[df["phase"] == "ldn", "taken"] = 1
    assert "low_adherence" not in _codes(df)


def test_other_treatment_changes_reported_by_the_caller() -> None:
    df = simulate_diary(PLAN, MEANS, clip=(0, 10), seed=5)
    cfg = AnalysisConfig(
        outcomes=[OutcomeSpec("pain")], treatment="ldn", confounders=["started duloxetine 60 mg on 2024-02-10"]
    )
    res = analyze(df, cfg)
    msgs = [w.message for w in res.warnings if w.code == "other_treatment_change"]
    assert len(msgs) == 1 and "duloxetine" in msgs[0]


def test_excluded_run_in_is_reported_and_does_not_trigger_phase_warnings() -> None:
    df = simulate_diary([("run-in", 3), *PLAN], {**MEANS, "run-in": 7.0}, clip=(0, 10), seed=6)
    codes = _codes(df, exclude_phases=["run-in"])
    assert codes["phase_excluded"] == {"run-in"}
    assert "short_phase" not in codes
    assert "short_phase" in _codes(df)  # kept, the 3-day run-in is flagged


def test_endpoint_gap_warns_when_the_final_days_are_not_recorded() -> None:
    df = simulate_diary(PLAN, MEANS, clip=(0, 10), seed=7)
    last_ldn = df.index[df["phase"] == "ldn"][-1]
    assert _codes(df.drop(index=[last_ldn]).reset_index(drop=True))["endpoint_gap"] == {"ldn"}


def test_strong_autocorrelation_suggests_a_trend() -> None:
    df = simulate_diary(PLAN, MEANS, seed=8, rho=0.0, sd=0.3)
    df["pain"] = np.clip(df["pain"] - 3.5 + np.linspace(0, 6, len(df)), 0, 10)  # a steady drift
    assert "strong_autocorrelation" in _codes(df)


def test_days_without_rows_between_phases_are_reported_as_unattributed() -> None:
    df = simulate_diary(PLAN, MEANS, clip=(0, 10), seed=9)
    last_base = df.index[df["phase"] == "baseline"][-3:]
    gappy = df.drop(index=last_base).reset_index(drop=True)
    res = analyze(gappy, AnalysisConfig(outcomes=[OutcomeSpec("pain")], treatment="ldn"))
    gaps = [w for w in res.warnings if w.code == "unattributed_days"]
    assert len(gaps) == 1 and "3 days between 'baseline' and 'placebo'" in gaps[0].message
    # The baseline run now ends early: its span (11 days) has no missing days ...
    assert res.outcome("pain").phases[0].days_missing == 0
    # ... unless the protocol length is given.
    cfg = AnalysisConfig(outcomes=[OutcomeSpec("pain")], treatment="ldn", planned_days={"baseline": 14})
    assert analyze(gappy, cfg).outcome("pain").phases[0].days_missing == 3
