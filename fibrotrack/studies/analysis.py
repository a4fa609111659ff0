"""The pre-registered analysis of a locked dataset with fibrostats: the plan from the protocol, and the run.

The plan is read from the registered protocol, never chosen after seeing the
data: the treatment and its references are the protocol's contrasts (the
first contrast's treatment against each of its references: placebo, then
baseline), the outcomes are its primary and secondary outcomes, responders
use its threshold against placebo (baseline when there is none), and the
lab measures its visits collect. fibrostats fits each contrast with the
two-stage random-effects model (each participant's own AR(1) estimate, then
DerSimonian-Laird pooling with the Hartung-Knapp-Sidik-Jonkman interval).

**Masked runs.** Before the study is unblinded the principal investigator may
run the analysis to check that it runs and the data look sane. The blinded
conditions are then relabelled A and B at random (the key is stored with the
run and shown only after unblinding), only the A-vs-B contrast is fitted, and
what could tell the labels apart (days in each condition, baseline
comparisons, lab measures by phase, the blinding index) is left out. The
size of the difference is still visible, its direction is not.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import pandas as pd

from fibrostats import AnalysisInputError, LabMeasureSpec, OutcomeSpec, analyze_study
from fibrotrack.studies import dataset, designs

MASK_LABELS = ("A", "B")
LAB_SPECS = {
    "pressure_kpa": {"higher_is_better": True, "unit": "kPa"},
    "heat_c": {"higher_is_better": True, "unit": "°C"},
    "cold_c": {"higher_is_better": False, "unit": "°C"},
    "cold_pressor_s": {"higher_is_better": True, "unit": "s"},
}


@dataclass(frozen=True)
class Plan:
    treatment: str
    placebo: str | None
    baseline: str | None
    outcomes: list[OutcomeSpec]
    responder_threshold_pct: float
    lab: list[LabMeasureSpec]


def plan_for(protocol: designs.Protocol) -> Plan:
    if not protocol.contrasts:
        raise AnalysisInputError("the protocol names no contrast")
    treatment = protocol.contrasts[0][1]
    refs = [r for r, t in protocol.contrasts if t == treatment]
    baseline = next((r for r in refs if protocol.condition(r).kind == designs.BASELINE), None)
    placebo = next((r for r in refs if r != baseline), None)
    outcomes = [
        OutcomeSpec(o.key, lower_is_better=o.lower_is_better, scale_min=o.scale_min, scale_max=o.scale_max)
        for o in dataset.outcome_columns(protocol)
    ]
    measures = sorted({m for v in protocol.visits for m in v.measures}, key=list(designs.MEASURES).index)
    lab = [
        LabMeasureSpec(
            m,
            cap=float(protocol.cold_pressor_cap_s) if m == "cold_pressor_s" else None,
            label=str(designs.MEASURES[m]),
            **LAB_SPECS[m],  # type: ignore[arg-type]
        )
        for m in measures
    ]
    return Plan(treatment, placebo, baseline, outcomes, float(protocol.responder_threshold_pct), lab)


@dataclass(frozen=True)
class Run:
    result: dict[str, Any]
    label_key: dict[str, str]
    masked: bool


def _usable(frame: pd.DataFrame, outcomes: list[OutcomeSpec]) -> tuple[list[OutcomeSpec], list[str]]:
    keep, notes = [], []
    for o in outcomes:
        if frame[o.name].notna().sum() == 0:
            notes.append(f"No diary values were recorded for {o.name}: it is not analysed.")
        else:
            keep.append(o)
    return keep, notes


def run(payload: dict[str, Any], *, masked: bool) -> Run:
    """Analyse a locked dataset's payload; raises ``AnalysisInputError`` when it cannot be analysed."""
    protocol = designs.Protocol.from_json(payload["protocol"])
    plan = plan_for(protocol)
    frame = dataset.diary_frame(payload)
    if frame.empty:
        raise AnalysisInputError("the locked dataset has no diary days")
    outcomes, notes = _usable(frame, plan.outcomes)
    if not outcomes:
        raise AnalysisInputError("no outcome has any recorded value")
    label_key: dict[str, str] = {}
    common: dict[str, Any] = {
        "participant": "participant",
        "condition": "condition",
        "time": "study_day",
        "period": "period",
    }
    if masked:
        if plan.placebo is None:
            raise AnalysisInputError("a masked run needs two blinded conditions to compare")
        pair = [plan.treatment, plan.placebo]
        secrets.SystemRandom().shuffle(pair)
        label_key = dict(zip(MASK_LABELS, pair, strict=True))
        to_label = {v: k for k, v in label_key.items()}
        frame = frame[frame["condition"].isin(pair)].copy()
        frame["condition"] = frame["condition"].map(to_label)
        result = analyze_study(
            frame,
            outcomes,
            treatment="B",
            placebo="A",
            baseline=None,
            responder_threshold_pct=plan.responder_threshold_pct,
            **common,
        )
    else:
        lab = dataset.table(payload, "lab")
        guesses = dataset.table(payload, "guesses")
        result = analyze_study(
            frame,
            outcomes,
            treatment=plan.treatment,
            placebo=plan.placebo,
            baseline=plan.baseline,
            responder_threshold_pct=plan.responder_threshold_pct,
            lab=lab if not lab.empty else None,
            lab_measures=plan.lab if not lab.empty else (),
            guesses=guesses if not guesses.empty else None,
            **common,
        )
    out = result.to_dict()
    out["notes"] = [*notes, *list(out.get("notes") or [])]  # type: ignore[arg-type]
    if masked:
        _strip_revealing(out)
    return Run(out, label_key, masked)


def _strip_revealing(result: dict[str, Any]) -> None:
    """Day counts per condition tell A from B when the conditions differ in length: drop them."""
    for outcome in result["outcomes"]:
        for contrast in outcome["contrasts"]:
            for row in contrast["forest"]:
                row["n_treatment"] = row["n_reference"] = None
        for change in outcome["changes"]:
            change["n_reference"] = change["n_treatment"] = None
            change["reference_mean"] = change["treatment_mean"] = None
        if outcome.get("crossover"):
            outcome["crossover"] = None
