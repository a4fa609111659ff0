"""``fibrotrack analyze`` / ``python -m fibrostats analyze``: output and exit codes."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from fibrostats.cli import main
from fibrostats.simulate import simulate_diary

PLAN = [("baseline", 14), ("placebo", 14), ("ldn", 56), ("washout", 14)]
MEANS = {"baseline": 6.0, "placebo": 5.6, "ldn": 4.0, "washout": 5.5}


def _strict_json(text: str) -> dict[str, Any]:
    def no_constants(name: str) -> None:
        raise AssertionError(f"non-standard JSON constant {name}")

    data = json.loads(text, parse_constant=no_constants)
    assert isinstance(data, dict)
    return data


def run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(args, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def diary(tmp_path: Path) -> Path:
    df = simulate_diary(PLAN, MEANS, sd=1.0, rho=0.3, seed=1, clip=(0, 10), adherence=0.95)
    df["energy"] = np.clip(10 - df["pain"] + 0.5, 0, 10).round(1)
    df["pain"] = df["pain"].round(1)
    df["date"] = df["date"].dt.strftime("%Y-%m-%d")
    df = df[["date", "phase", "pain", "energy", "taken"]]
    df.loc[5, "pain"] = np.nan
    path = tmp_path / "diary.csv"
    df.to_csv(path, index=False, na_rep="")
    return path


def test_json_output_is_one_strict_document_with_a_schema_version(diary: Path) -> None:
    code, out, err = run(
        ["analyze", str(diary), "--treatment", "ldn", "--format", "json", "--direction", "energy:higher"]
    )
    assert (code, err) == (0, "")
    data = _strict_json(out)
    assert data["schema_version"] == "1.0"
    outcomes = data["outcomes"]
    assert isinstance(outcomes, list) and [o["outcome"]["name"] for o in outcomes] == ["pain", "energy"]
    pain, energy = outcomes
    assert pain["outcome"]["lower_is_better"] is True and energy["outcome"]["lower_is_better"] is False
    c = pain["contrasts"][0]
    assert c["primary"]["method"] == "ar1-gls" and c["primary"]["rho"] is not None
    assert c["primary"]["improvement"]["ci_low"] < c["primary"]["improvement"]["ci_high"]
    assert {t["key"] for t in c["importance"]["thresholds"]} >= {"moderate_30pct", "two_points"}
    assert pain["responder"]["reference"] == "placebo"
    assert energy["contrasts"][0]["primary"]["improvement"]["estimate"] > 0  # energy went up


def test_outcome_selection_direction_and_scale_options(diary: Path) -> None:
    code, out, _ = run(
        [
            "analyze",
            str(diary),
            "--treatment",
            "ldn",
            "--outcome",
            "energy:higher",
            "--scale",
            "energy:0-10",
            "--format",
            "json",
        ]
    )
    assert code == 0
    outcomes = _strict_json(out)["outcomes"]
    assert isinstance(outcomes, list) and len(outcomes) == 1
    assert outcomes[0]["outcome"] == {
        "name": "energy",
        "label": "energy",
        "lower_is_better": False,
        "scale_min": 0.0,
        "scale_max": 10.0,
    }
    code, out, _ = run(
        ["analyze", str(diary), "--outcome", "pain", "--scale", "0-20", "--higher-is-better", "--format", "json"]
    )
    assert code == 0
    info = _strict_json(out)["outcomes"][0]["outcome"]
    assert info["scale_max"] == 20.0 and info["lower_is_better"] is False


def test_exclusions_comparisons_and_design_options(diary: Path) -> None:
    code, out, err = run(
        [
            "analyze", str(diary), "--treatment", "ldn", "--exclude-phase", "washout", "--compare", "placebo:baseline",
            "--planned-days", "baseline=14", "--confounder", "new physiotherapy", "--trend", "--format", "json",
        ]
    )  # fmt: skip
    assert code == 0, err
    data = _strict_json(out)
    assert data["phases_excluded"] == ["washout"] and data["trend"] is True
    pain = data["outcomes"][0]
    assert [(c["reference"], c["treatment"]) for c in pain["contrasts"]] == [
        ("baseline", "ldn"),
        ("placebo", "ldn"),
        ("placebo", "baseline"),
    ]
    assert any(w["code"] == "other_treatment_change" for w in data["warnings"])


def test_text_output_is_plain_language_with_uncertainty_and_caveats(diary: Path) -> None:
    code, out, err = run(["analyze", str(diary), "--treatment", "ldn", "--outcome", "pain"])
    assert (code, err) == (0, "")
    assert all(len(line) <= 78 for line in out.splitlines())
    out = " ".join(out.split())  # undo the line wrapping
    assert "Pain was" in out and "points lower on ldn than on placebo (95% CI" in out
    assert "improvement" in out and "The chance that the true improvement is at least 30% is" in out
    assert "not proof" in out and "regression to the mean" in out and "doctor" in out
    assert "Traceback" not in out


def test_module_entry_point_runs_without_django(diary: Path) -> None:
    proc = subprocess.run(  # noqa: S603 - fixed argv, our own module
        [sys.executable, "-m", "fibrostats", "analyze", str(diary), "--treatment", "ldn", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert _strict_json(proc.stdout)["treatment"] == "ldn"
    bad = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "fibrostats", "analyze", str(diary), "--treatment", "nope"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


GOOD_HEAD = "date,phase,pain\n2024-01-01,baseline,5\n"

BAD_INPUTS = [
    ("unparseable date", GOOD_HEAD + "2024-13-02,baseline,5\n", "line 3, column 'date'", "cannot read '2024-13-02' as a date"),
    ("date in another format", GOOD_HEAD + "02/01/2024,baseline,5\n", "line 3, column 'date'", "YYYY-MM-DD"),
    ("duplicate date", GOOD_HEAD + "2024-01-02,baseline,5\n2024-01-02,ldn,4\n", "line 4, column 'date'", "duplicate date 2024-01-02 (also on line 3)"),
    ("value outside the scale", GOOD_HEAD + "2024-01-02,baseline,11\n", "line 3, column 'pain'", "outside the scale 0-10"),
    ("negative value", GOOD_HEAD + "2024-01-02,baseline,-1\n", "line 3, column 'pain'", "outside the scale"),
    ("not a number", GOOD_HEAD + "2024-01-02,baseline,bad\n", "line 3, column 'pain'", "'bad' is not a number"),
    ("infinite", GOOD_HEAD + "2024-01-02,baseline,inf\n", "line 3, column 'pain'", "not a finite number"),
    ("empty phase cell", GOOD_HEAD + "2024-01-02,,5\n", "line 3, column 'phase'", "the phase is empty"),
    ("phase without values", GOOD_HEAD + "2024-01-02,baseline,4\n2024-01-03,ldn,\n2024-01-04,ldn,NA\n", "line 4, column 'pain'", "phase 'ldn' has no values"),
    ("missing column", "date,pain\n2024-01-01,5\n", "line 1, column 'phase'", "missing column 'phase'"),
    ("no outcome column", "date,phase\n2024-01-01,baseline\n", "line 1", "no outcome column"),
    ("empty file", "", "line 1", "the file is empty"),
    ("blank file", "\n  \n", "line 1", "the file is empty"),
    ("header only", "date,phase,pain\n", "line 2", "no data rows"),
    ("ragged row", GOOD_HEAD + "2024-01-02,baseline\n", "line 3", "expected 3 values, found 2"),
    ("bad taken", "date,phase,pain,taken\n2024-01-01,baseline,5,maybe\n", "line 2, column 'taken'", "not 1 (taken) or 0"),
    ("duplicate column", "date,phase,pain,pain\n2024-01-01,baseline,5,5\n", "line 1, column 'pain'", "appears twice"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "where", "what"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_exits_2_with_one_line_naming_row_and_column(
    tmp_path: Path, name: str, text: str, where: str, what: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    code, out, err = run(["analyze", str(path)])
    assert code == 2, name
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("fibrotrack analyze: error: ")
    assert where in err and what in err, err


BAD_OPTIONS = [
    (
        ["--treatment", "ldm"],
        "--treatment: unknown phase 'ldm' (phases in column 'phase' of the file: baseline, placebo, ldn, washout)",
    ),
    (["--reference", "base"], "--reference: unknown phase 'base'"),
    (["--exclude-phase", "run-in"], "--exclude-phase: unknown phase 'run-in'"),
    (["--compare", "ldn:nope"], "--compare: unknown phase 'nope'"),
    (["--treatment", "ldn", "--exclude-phase", "ldn"], "also being compared"),
    (["--outcome", "sleep"], "--outcome: column 'sleep' is not in the file"),
    (["--direction", "pain:sideways"], "direction must be 'lower' or 'higher'"),
    (["--scale", "10-0"], "maximum must exceed the minimum"),
    (["--scale", "ten"], "cannot read 'ten' as a scale"),
    (["--design", "crossover"], "invalid choice"),
    (["--start-window", "2024-01-01:soon"], "cannot read 'soon' as a date"),
    (["--lower-is-better", "--higher-is-better"], "not allowed with argument"),
    (["--prior-sd", "-1"], "prior_sd must be positive"),
]


@pytest.mark.parametrize(("opts", "message"), BAD_OPTIONS, ids=[" ".join(o) for o, _ in BAD_OPTIONS])
def test_bad_options_exit_2_with_one_line(diary: Path, opts: list[str], message: str) -> None:
    code, out, err = run(["analyze", str(diary), *opts])
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err, err


def test_file_problems(tmp_path: Path) -> None:
    code, _, err = run(["analyze", str(tmp_path / "missing.csv")])
    assert code == 2 and "no such file" in err
    code, _, err = run(["analyze", str(tmp_path)])
    assert code == 2 and "directory" in err
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"date,phase,pain\n2024-01-01,caf\xe9,5\n")
    code, _, err = run(["analyze", str(latin)])
    assert code == 2 and "line 2: the file is not UTF-8 text" in err


def test_usage_and_help() -> None:
    assert run([])[0] == 2
    code, out, _ = run(["--help"])
    assert code == 0 and "analyze" in out
    code, out, _ = run(["analyze", "--help"])
    assert code == 0 and "--reference" in out and "Exit codes" in out
    assert run(["analyze"])[0] == 2


def test_byte_order_mark_crlf_and_missing_tokens_are_accepted(tmp_path: Path) -> None:
    rows = ["date,phase,pain,taken"]
    rows += [f"2024-01-{d:02d},baseline,{5 + d % 3},1" for d in range(1, 11)]
    rows += [f"2024-01-{d:02d},ldn,{'NA' if d == 15 else 3 + d % 2},{'' if d == 12 else 1}" for d in range(11, 25)]
    path = tmp_path / "excel.csv"
    path.write_bytes(("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8"))
    code, out, err = run(["analyze", str(path), "--format", "json"])
    assert code == 0, err
    data = _strict_json(out)
    assert data["treatment"] == "ldn"
    ldn = data["outcomes"][0]["phases"][1]
    assert ldn["days_observed"] == 13 and ldn["adherence_days"] == 13


def test_randomized_pairs_with_runs_of_unequal_length_name_the_period_days_flag(tmp_path: Path) -> None:
    # Pairs AB BA BA AB BA: neighbouring periods of one phase merge into runs
    # of 7 and 14 days, so the pairs can be recovered only from the period length.
    lines = ["date,phase,pain"]
    day = dt.date(2024, 1, 1)
    for pair in ["AB", "BA", "BA", "AB", "BA"]:
        for letter in pair:
            for _ in range(7):
                lines.append(f"{day},{'ldn' if letter == 'A' else 'placebo'},{5 if letter == 'A' else 6}")
                day += dt.timedelta(days=1)
    path = tmp_path / "pairs.csv"
    path.write_text("\n".join(lines) + "\n")
    args = ["analyze", str(path), "--design", "randomized-pairs", "--reference", "placebo", "--treatment", "ldn"]
    code, out, _ = run(args)
    assert code == 0
    text = " ".join(out.split())
    assert "differ in length (7, 14 days)" in text
    assert "--period-days N" in text and "period_days" not in text
    code, out, _ = run([*args, "--period-days", "7"])
    assert code == 0 and "differ in length" not in out and "p = " in out


def test_text_output_words_a_worsening_without_a_minus_sign(tmp_path: Path) -> None:
    plan = [("baseline", 28), ("ldn", 28)]
    df = simulate_diary(plan, {"baseline": 5.0, "ldn": 6.0}, sd=0.8, rho=0.2, seed=4, clip=(0, 10))
    df["date"] = df["date"].dt.strftime("%Y-%m-%d")
    path = tmp_path / "worse.csv"
    df[["date", "phase", "pain"]].round(1).to_csv(path, index=False)
    code, out, _ = run(["analyze", str(path), "--treatment", "ldn"])
    text = " ".join(out.split())
    assert code == 0
    assert re.search(r"ldn was \d+\.\d% worse, which does not count as a response", text), text
    assert re.search(r", \d+% worse \(95% CI \d+% to \d+% worse\)", text), text
    assert not re.search(r"-\d+(\.\d+)?%|worsening|improvement\)", text)
