"""The JSON output is strict and every key and warning code is documented."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

import fibrostats
from fibrostats import (
    SCHEMA_VERSION,
    AnalysisConfig,
    LabMeasureSpec,
    OutcomeSpec,
    analyze,
    analyze_study,
    lagged_associations,
    pooled_series,
    simulate_power,
    simulate_study,
)
from fibrostats.results import JSONValue
from fibrostats.simulate import simulate_diary

PACKAGE = Path(fibrostats.__file__).resolve().parent
# The schema is documented once, in the repository's docs (packages/fibrostats/tests -> the root).
DOC = (Path(__file__).resolve().parents[3] / "docs" / "analysis-methods.md").read_text()


def _keys(obj: object, parent: str = "") -> Iterator[str]:
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield k
            if parent != "excluded":  # keys are participant ids
                yield from _keys(v, k)
    elif isinstance(obj, list):
        for v in obj:
            yield from _keys(v, parent)


def _rich_outputs() -> list[dict[str, JSONValue]]:
    plan = [("placebo", 7), ("ldn", 7), ("ldn", 7), ("placebo", 7), ("placebo", 7), ("ldn", 7), ("washout", 5)]
    df = simulate_diary(
        plan, {"placebo": 6.0, "ldn": 4.0, "washout": 5.0}, sd=0.8, rho=0.3, seed=1, clip=(0, 10), adherence=0.9
    )
    df["sleep"] = np.clip(6 + np.random.default_rng(0).normal(0, 1, len(df)), 0, 10)
    cfg = AnalysisConfig(
        outcomes=[OutcomeSpec("pain"), OutcomeSpec("sleep", lower_is_better=False)],
        reference="placebo",
        treatment="ldn",
        design="randomized-pairs",
        period_days=7,
        exclude_phases=["washout"],
        confounders=["new physiotherapy"],
    )
    long = pd.DataFrame(
        {
            "participant": np.repeat(["a", "b", "c", "d"], 40),
            "treatment": np.tile(np.repeat([0, 1, 0, 1], 10), 4),
            "outcome": np.random.default_rng(1).normal(5, 1, 160),
        }
    )
    study = simulate_study(8, baseline_days=7, treatment_days=21, placebo_days=14, seed=2, cold_pressor_cap=60)
    study_result = analyze_study(
        study.diary,
        [OutcomeSpec("pain")],
        treatment="ldn",
        lab=study.lab,
        lab_measures=[LabMeasureSpec("pressure_kpa", unit="kPa"), LabMeasureSpec("cold_pressor_s", unit="s", cap=60)],
        guesses=study.guesses,
    )
    return [
        analyze(df, cfg).to_dict(),
        study_result.to_dict(),
        pooled_series(long.iloc[:-25]).to_dict(),  # person d is excluded
        lagged_associations(df, "pain", ["sleep"], max_lag=1).to_dict(),
        simulate_power([("baseline", 14), ("ldn", 28)], sd=1.0, rho=0.3, n_sims=20).to_dict(),
    ]


def test_output_is_strict_json_with_the_documented_schema_version() -> None:
    out = _rich_outputs()[0]
    text = json.dumps(out, allow_nan=False)
    assert json.loads(text)["schema_version"] == SCHEMA_VERSION
    assert f"`schema_version` **{SCHEMA_VERSION}**" in DOC


def test_every_emitted_key_is_documented() -> None:
    keys = {k for out in _rich_outputs() for k in _keys(out)}
    assert {"rho", "min_attainable_p", "shrunken", "q_value", "power"} <= keys  # the sample is rich
    assert {"forest", "carryover", "restricted_mean", "n_dont_know", "percent_of_means"} <= keys
    missing = sorted(k for k in keys if f"`{k}`" not in DOC)
    assert not missing, f"keys missing from docs/analysis-methods.md: {missing}"


def test_every_warning_code_is_documented() -> None:
    codes: set[str] = set()
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Notice" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    codes.add(first.value)
    assert len(codes) >= 15
    undocumented = sorted(c for c in codes if not re.search(rf"`{re.escape(c)}`", DOC))
    assert not undocumented
