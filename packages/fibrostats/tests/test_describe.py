"""Per-phase description and the published percent-change definitions, checked
against hand-worked examples."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from fibrostats import AnalysisConfig, OutcomeSpec, analyze
from fibrostats.describe import last_days, percent_change


def test_percent_change_matches_younger_2013_formula() -> None:
    # (reference - treatment) / reference x 100: 6.0 -> 4.2 is a 30% improvement.
    assert percent_change(6.0, 4.2) == pytest.approx(30.0)
    # Worsening is negative.
    assert percent_change(5.0, 6.0) == pytest.approx(-20.0)


def test_percent_change_is_signed_so_improvement_is_positive() -> None:
    # Higher is better (e.g. energy): 4 -> 5 is a 25% improvement.
    assert percent_change(4.0, 5.0, lower_is_better=False) == pytest.approx(25.0)
    assert percent_change(4.0, 3.0, lower_is_better=False) == pytest.approx(-25.0)


def test_percent_change_is_measured_from_the_scale_minimum() -> None:
    # On a 1-10 scale the "zero" is 1: 6 -> 4.5 is 1.5 / 5 = 30%.
    assert percent_change(6.0, 4.5, scale_min=1.0, scale_range=9.0) == pytest.approx(30.0)


def test_percent_change_with_reference_at_zero_is_undefined_not_a_division_by_zero() -> None:
    assert percent_change(0.0, 0.0) is None
    assert percent_change(0.0, 2.0) is None
    assert percent_change(1.0, 2.0, scale_min=1.0) is None


def test_last_days_skips_missing_days() -> None:
    t = np.arange(6, dtype=np.int64)
    y = np.array([1.0, 2.0, 3.0, 4.0, np.nan, 6.0])
    mean, used = last_days(t, y, 3)
    assert mean == pytest.approx((3.0 + 4.0 + 6.0) / 3)
    assert used.tolist() == [2, 3, 5]
    empty_mean, empty_used = last_days(t, np.full(6, np.nan), 3)
    assert empty_mean is None and empty_used.size == 0


def _hand_example() -> pd.DataFrame:
    # Baseline 1-7 Jan: no row at all on the 4th, an empty value on the 7th.
    base = {1: 4.0, 2: 6.0, 3: 5.0, 5: 7.0, 6: 6.0, 7: math.nan}
    ldn = [5, 5, 4, 4, 4, 3, 3, 3, 3, 2, 2, 2, 3, 3]  # 8-21 Jan
    rows = [(dt.date(2024, 1, d), "baseline", v) for d, v in base.items()]
    rows += [(dt.date(2024, 1, 8 + i), "ldn", float(v)) for i, v in enumerate(ldn)]
    return pd.DataFrame(rows, columns=["date", "phase", "pain"])


def test_phase_description_matches_hand_calculation() -> None:
    result = analyze(_hand_example(), AnalysisConfig(outcomes=[OutcomeSpec("pain")], treatment="ldn"))
    base, ldn = result.outcome("pain").phases
    # Baseline observed values 4, 6, 5, 7, 6.
    assert (base.days_planned, base.days_observed, base.days_missing) == (7, 5, 2)
    assert base.mean == pytest.approx(5.6)
    assert base.sd == pytest.approx(math.sqrt(5.2 / 4))
    assert base.median == pytest.approx(6.0)
    # Last 3 observed days: 3rd, 5th, 6th (the 7th is empty) -> (5 + 7 + 6) / 3.
    assert base.last_days_mean == pytest.approx(6.0)
    assert base.last_days_dates == [dt.date(2024, 1, 3), dt.date(2024, 1, 5), dt.date(2024, 1, 6)]
    assert base.missing_fraction == pytest.approx(2 / 7)
    assert (ldn.days_planned, ldn.days_observed, ldn.days_missing) == (14, 14, 0)
    assert ldn.mean == pytest.approx(46 / 14)
    assert ldn.last_days_mean == pytest.approx(8 / 3)


def test_contrast_observed_percent_and_younger_endpoint_match_hand_calculation() -> None:
    result = analyze(_hand_example(), AnalysisConfig(outcomes=[OutcomeSpec("pain")], treatment="ldn"))
    c = result.outcome("pain").contrasts[0]
    assert (c.reference, c.treatment) == ("baseline", "ldn")
    assert c.observed_difference == pytest.approx(46 / 14 - 5.6)
    assert c.percent_change_observed == pytest.approx((5.6 - 46 / 14) / 5.6 * 100)
    # Younger et al. 2013: mean of the final 3 days vs the baseline mean.
    assert c.endpoint is not None
    assert c.endpoint.endpoint_mean == pytest.approx(8 / 3)
    assert c.endpoint.reference_mean == pytest.approx(5.6)
    assert c.endpoint.improvement.estimate == pytest.approx(5.6 - 8 / 3)
    assert c.endpoint.percent_change == pytest.approx((5.6 - 8 / 3) / 5.6 * 100)
    assert c.endpoint.dates == [dt.date(2024, 1, 19), dt.date(2024, 1, 20), dt.date(2024, 1, 21)]


def test_planned_days_count_days_without_rows_as_missing() -> None:
    cfg = AnalysisConfig(outcomes=[OutcomeSpec("pain")], treatment="ldn", planned_days={"baseline": 14})
    base = analyze(_hand_example(), cfg).outcome("pain").phases[0]
    assert (base.days_planned, base.days_observed, base.days_missing) == (14, 5, 9)


def test_adherence_is_the_share_of_recorded_days_taken() -> None:
    df = _hand_example()
    df["taken"] = [np.nan] * 6 + [1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, np.nan]
    ldn = analyze(df, AnalysisConfig(outcomes=[OutcomeSpec("pain")], treatment="ldn")).outcome("pain").phases[1]
    assert ldn.adherence_days == 13
    assert ldn.adherence == pytest.approx(11 / 13)
