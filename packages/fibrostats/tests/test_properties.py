"""Property tests: any valid series is analysed without crashing, and invalid
input fails cleanly with AnalysisInputError (the CLI: exit code 2)."""

from __future__ import annotations

import datetime as dt
import io
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fibrostats import AnalysisConfig, AnalysisInputError, OutcomeSpec, analyze
from fibrostats.cli import main
from fibrostats.io import parse_diary
from fibrostats.text import render_text
from fibrostats.types import DESIGNS

PROFILE = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,  # reproducible in CI
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

NAMES = ["baseline", "placebo", "ldn", "washout", "run-in"]


@st.composite
def diaries(draw: st.DrawFn) -> tuple[pd.DataFrame, AnalysisConfig]:
    n_phases = draw(st.integers(1, 4))
    names = draw(st.permutations(NAMES))[:n_phases]
    repeat = draw(st.booleans())  # ABAB-style: phases come back
    order = names + (names if repeat and n_phases > 1 else [])
    lengths = [draw(st.integers(1, 18)) for _ in order]
    phase = [p for p, n in zip(order, lengths, strict=True) for _ in range(n)]
    n = len(phase)
    kind = draw(st.sampled_from(["random", "constant", "per-phase-constant", "integers", "extremes"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if kind == "random":
        y = np.clip(5 + rng.normal(0, draw(st.floats(0.01, 4)), n), 0, 10)
    elif kind == "constant":
        y = np.full(n, draw(st.floats(0, 10)))
    elif kind == "per-phase-constant":
        level = {p: draw(st.floats(0, 10)) for p in names}
        y = np.array([level[p] for p in phase])
    elif kind == "integers":
        y = rng.integers(0, 11, n).astype(float)
    else:
        y = rng.choice([0.0, 10.0], n)
    missing = draw(st.floats(0, 0.6))
    y[rng.random(n) < missing] = np.nan
    df = pd.DataFrame({"date": pd.date_range("2024-01-01", periods=n), "phase": phase, "pain": y})
    if draw(st.booleans()):
        df["taken"] = rng.choice([0.0, 1.0, np.nan], n)
    drop = rng.random(n) < draw(st.floats(0, 0.4))  # absent rows = calendar gaps
    drop[0] = False
    df = df.loc[~drop].reset_index(drop=True)
    present = list(dict.fromkeys(df["phase"]))
    reference = present[0]
    others = [p for p in present if p != reference]
    treatment = draw(st.sampled_from([None, *others])) if others else None
    excludable = [p for p in others if p != treatment]
    wants_exclusion = draw(st.booleans())
    exclude = excludable[:1] if wants_exclusion else []
    design = draw(st.sampled_from(DESIGNS))
    first = df["date"].iloc[0].date()
    cfg = AnalysisConfig(
        outcomes=[OutcomeSpec("pain", lower_is_better=draw(st.booleans()))],
        reference=reference,
        treatment=treatment,
        design=design,
        exclude_phases=exclude,
        trend=draw(st.booleans()),
        period_days=draw(st.sampled_from([None, 3, 7])),
        start_window=(first, first + dt.timedelta(days=draw(st.integers(0, 20)))),
        confounders=draw(st.lists(st.sampled_from(["new medication"]), max_size=1)),
    )
    return df, cfg


def _check_interval(lo: float | None, est: float | None, hi: float | None) -> None:
    if lo is not None and hi is not None and est is not None:
        assert lo <= est + 1e-9 and est <= hi + 1e-9


@PROFILE
@given(diaries())
def test_any_valid_series_is_analysed_without_crashing(case: tuple[pd.DataFrame, AnalysisConfig]) -> None:
    df, cfg = case
    result = analyze(df, cfg)
    text = json.dumps(result.to_dict(), allow_nan=False)  # strict JSON, nulls for the unknown
    assert json.loads(text)["schema_version"] == "1.0"
    assert render_text(result).strip()
    for o in result.outcomes:
        for p in o.phases:
            assert p.days_observed + p.days_missing >= p.days_observed >= 0
        for c in o.contrasts:
            if c.primary is not None:
                d = c.primary.difference
                _check_interval(d.ci_low, d.estimate, d.ci_high)
                assert c.primary.p_value is None or 0.0 <= c.primary.p_value <= 1.0
            if c.importance is not None:
                for t in c.importance.thresholds:
                    assert t.probability is None or 0.0 <= t.probability <= 1.0
        r = o.randomization
        if r is not None and r.p_value is not None:
            assert r.min_attainable_p is not None and r.min_attainable_p - 1e-12 <= r.p_value <= 1.0


@st.composite
def corrupted(draw: st.DrawFn) -> tuple[pd.DataFrame, AnalysisConfig, str]:
    df, cfg = draw(diaries())
    df = df.copy()
    i = draw(st.integers(0, len(df) - 1))
    how = draw(
        st.sampled_from(
            [
                "out-of-scale",
                "duplicate-date",
                "empty-phase",
                "text-value",
                "bad-date",
                "unknown-phase",
                "no-column",
                "infinite",
                "no-rows",
            ]
        )
    )
    if how == "out-of-scale":
        df.loc[i, "pain"] = draw(st.sampled_from([-0.5, 10.5, 1e9]))
    elif how == "duplicate-date":
        df = pd.concat([df, df.iloc[[i]]], ignore_index=True)
    elif how == "empty-phase":
        df.loc[i, "phase"] = draw(st.sampled_from(["", "   "]))
    elif how == "text-value":
        df["pain"] = df["pain"].astype(object)
        df.loc[i, "pain"] = "high"
    elif how == "bad-date":
        df["date"] = df["date"].astype(object)
        df.loc[i, "date"] = "not a date"
    elif how == "unknown-phase":
        cfg = AnalysisConfig(outcomes=cfg.outcomes, reference="nonexistent")
    elif how == "no-column":
        df = df.drop(columns=["phase"])
    elif how == "infinite":
        df.loc[i, "pain"] = math.inf
    else:
        df = df.iloc[0:0]
    return df, cfg, how


@PROFILE
@given(corrupted())
def test_invalid_series_fail_cleanly(case: tuple[pd.DataFrame, AnalysisConfig, str]) -> None:
    df, cfg, how = case
    with pytest.raises(AnalysisInputError) as info:
        analyze(df, cfg)
    assert str(info.value), how


@PROFILE
@given(st.text(alphabet=st.sampled_from(list('date,phs\n0123456789-.abnl ,"\r')), max_size=300))
def test_csv_parser_only_ever_raises_input_errors(text: str) -> None:
    try:
        parse_diary(text)
    except AnalysisInputError as exc:
        assert str(exc).strip()
        assert exc.line is None or exc.line >= 1  # file lines are 1-based (the header is line 1)


@st.composite
def csv_files(draw: st.DrawFn) -> str:
    rows = ["date,phase,pain"]
    n = draw(st.integers(0, 25))
    for k in range(n):
        day = draw(st.sampled_from([f"2024-02-{k % 28 + 1:02d}", f"2024-02-{k % 28 + 1:02d}", "2024-02-30", "x"]))
        phase = draw(st.sampled_from(["baseline", "ldn", "", "placebo"]))
        value = draw(st.sampled_from(["5", "3.5", "", "NA", "11", "-1", "abc", "0", "10"]))
        rows.append(f"{day},{phase},{value}")
    return "\n".join(rows) + "\n"


@PROFILE
@given(
    csv_files(),
    st.sampled_from(
        [[], ["--treatment", "ldn"], ["--reference", "ldn"], ["--design", "randomized-pairs", "--treatment", "ldn"]]
    ),
)
def test_cli_exit_code_is_0_or_2_never_a_crash(
    tmp_path_factory: pytest.TempPathFactory, text: str, opts: list[str]
) -> None:
    path = tmp_path_factory.mktemp("csv") / "diary.csv"
    path.write_text(text)
    out, err = io.StringIO(), io.StringIO()
    code = main(["analyze", str(path), *opts, "--format", "json"], stdout=out, stderr=err)
    assert code in (0, 2), err.getvalue()
    if code == 0:
        json.loads(out.getvalue())
    else:
        assert out.getvalue() == "" and err.getvalue().count("\n") == 1
