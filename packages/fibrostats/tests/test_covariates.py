"""Covariates in the phase model: a stormy placebo fortnight is not read as a drug effect."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fibrostats import AnalysisConfig, AnalysisInputError, OutcomeSpec, analyze, ar1_noise
from fibrostats.cli import main

PROFILE = settings(
    max_examples=40, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
START = dt.date(2024, 1, 1)


def stormy_placebo(seed: int, days: int = 28, slope: float = -0.25) -> pd.DataFrame:
    """Placebo days stormy (pressure falling), treatment days calm; the treatment itself does nothing."""
    rng = np.random.default_rng(seed)
    phase = np.array(["placebo"] * days + ["ldn"] * days, dtype=object)
    pressure_change = np.where(phase == "placebo", -3.0, 1.0) + rng.normal(0, 3.0, 2 * days)
    pain = 5.0 + slope * pressure_change + ar1_noise(rng, 1, 2 * days, 0.8, 0.3)[0]
    return pd.DataFrame(
        {
            "date": [START + dt.timedelta(days=i) for i in range(2 * days)],
            "phase": phase,
            "pain": np.clip(pain, 0, 10),
            "pressure_change": pressure_change,
        }
    )


def difference(df: pd.DataFrame, covariates: tuple[str, ...] = ()) -> tuple[float, float, float]:
    config = AnalysisConfig(
        outcomes=[OutcomeSpec("pain")], reference="placebo", treatment="ldn", placebo=None, covariates=covariates
    )
    primary = analyze(df, config).outcome("pain").contrasts[0].primary
    assert primary is not None
    d = primary.difference
    assert d.estimate is not None and d.ci_low is not None and d.ci_high is not None
    return d.estimate, d.ci_low, d.ci_high


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_weather_confounded_with_the_phase_is_taken_out(seed: int) -> None:
    df = stormy_placebo(seed)
    naive, naive_low, naive_high = difference(df)
    adjusted, low, high = difference(df, ("pressure_change",))
    # Unadjusted, the calm treatment fortnight looks like a drug effect of about 1 point (0.25 x 4 hPa).
    assert naive < -0.6 and naive_high < 0
    # Allowing for the weather, the (null) drug effect is back near zero and its interval covers it.
    assert abs(adjusted) < abs(naive) / 2
    assert low < 0 < high


def test_the_model_reports_the_covariates_effect_per_unit() -> None:
    df = stormy_placebo(4, days=60)
    config = AnalysisConfig(outcomes=[OutcomeSpec("pain")], reference="placebo", treatment="ldn", placebo=None,
                            covariates=["pressure_change"])  # fmt: skip
    model = analyze(df, config).outcome("pain").model
    assert model is not None
    (effect,) = model.covariates
    assert effect.name == "pressure_change"
    assert effect.ci_low is not None and effect.ci_high is not None
    assert effect.ci_low < -0.25 < effect.ci_high
    assert effect.per_unit is not None and effect.per_unit < 0


def test_without_covariates_nothing_changes() -> None:
    df = stormy_placebo(5)
    plain = difference(df.drop(columns=["pressure_change"]))
    assert difference(df) == plain


def test_days_without_the_covariate_leave_the_model_with_a_note() -> None:
    df = stormy_placebo(6)
    df.loc[[0, 1, 40], "pressure_change"] = np.nan
    config = AnalysisConfig(outcomes=[OutcomeSpec("pain")], reference="placebo", treatment="ldn", placebo=None,
                            covariates=["pressure_change"])  # fmt: skip
    result = analyze(df, config).outcome("pain")
    assert result.model is not None and result.model.n_days == len(df) - 3
    assert [w.code for w in result.warnings if w.code.startswith("covariate")] == ["covariate_missing"]


def test_a_covariate_that_never_varies_is_left_out() -> None:
    df = stormy_placebo(7).assign(pressure_change=2.0)
    config = AnalysisConfig(outcomes=[OutcomeSpec("pain")], reference="placebo", treatment="ldn", placebo=None,
                            covariates=["pressure_change"])  # fmt: skip
    result = analyze(df, config).outcome("pain")
    assert result.model is not None and result.model.covariates == []
    assert "covariate_constant" in [w.code for w in result.warnings]


@pytest.mark.parametrize(
    ("covariates", "message"),
    [(["pain"], "cannot be a covariate"), (["phase"], "cannot be a covariate"), (["wind", "wind"], "unique")],
)
def test_bad_covariate_names_are_refused(covariates: list[str], message: str) -> None:
    with pytest.raises(AnalysisInputError, match=message):
        AnalysisConfig(outcomes=[OutcomeSpec("pain")], covariates=covariates)


def test_a_missing_or_non_numeric_covariate_column_is_refused() -> None:
    df = stormy_placebo(8)
    config = AnalysisConfig(outcomes=[OutcomeSpec("pain")], reference="placebo", treatment="ldn", placebo=None,
                            covariates=["humidity"])  # fmt: skip
    with pytest.raises(AnalysisInputError, match="missing column"):
        analyze(df, config)
    config = AnalysisConfig(outcomes=[OutcomeSpec("pain")], reference="placebo", treatment="ldn", placebo=None,
                            covariates=["pressure_change"])  # fmt: skip
    with pytest.raises(AnalysisInputError, match="not a number"):
        analyze(df.assign(pressure_change=["stormy"] * len(df)), config)


@PROFILE
@given(
    seed=st.integers(0, 10_000),
    shift=st.floats(-1000, 1000, allow_nan=False),
    scale=st.floats(0.01, 100, allow_nan=False).flatmap(lambda s: st.sampled_from([s, -s])),
)
def test_the_adjusted_difference_does_not_depend_on_the_covariates_units_or_origin(
    seed: int, shift: float, scale: float
) -> None:
    # hPa or inches of mercury, change or level: an affine recoding of the covariate fits the same model.
    df = stormy_placebo(seed, days=14)
    base = difference(df, ("pressure_change",))
    recoded = difference(df.assign(pressure_change=df["pressure_change"] * scale + shift), ("pressure_change",))
    assert recoded == pytest.approx(base, rel=1e-6, abs=1e-6)


def test_the_command_line_allows_for_a_covariate_column(tmp_path: Path) -> None:
    df = stormy_placebo(9)
    df["date"] = [d.isoformat() for d in df["date"]]
    path = tmp_path / "diary.csv"
    df.to_csv(path, index=False)
    args = ["analyze", str(path), "--reference", "placebo", "--treatment", "ldn", "--format", "json"]
    out = io.StringIO()
    assert main([*args, "--covariate", "pressure_change"], stdout=out, stderr=io.StringIO()) == 0
    data = json.loads(out.getvalue())
    assert [o["outcome"]["name"] for o in data["outcomes"]] == ["pain"]  # the covariate is not an outcome
    assert [c["name"] for c in data["outcomes"][0]["model"]["covariates"]] == ["pressure_change"]
    err = io.StringIO()
    assert main([*args, "--covariate", "wind"], stdout=io.StringIO(), stderr=err) == 2
    assert "--covariate: column 'wind' is not in the file" in err.getvalue()
