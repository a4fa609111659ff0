"""The analysis dataset: what participants consented to share, in study days, ready to lock.

``build_dataset(study, today)`` returns a plain dict (the *payload*) that
``DatasetLock`` stores as canonical JSON with its SHA-256:

* ``study``: the study's short code; ``protocol``: the registered protocol
  (JSON) and ``protocol_hash``/``protocol_version`` of its latest
  ``ProtocolVersion`` (empty if none was registered);
* ``outcomes``: one entry per protocol outcome (key, the diary symptom it
  reads, direction, scale);
* ``participants``: one entry per randomised participant: code, sequence
  (the allocated order), group, stratum, final status, whether their diary is
  in the dataset and, if not, why;
* ``diary``: ``{"columns": [...], "rows": [[...], ...]}`` with the columns
  ``participant, study_day, condition, period`` and one per outcome (null =
  not recorded). ``period`` is the step of the participant's sequence (1 =
  the first condition). Only days with a check-in are listed;
* ``lab``: rows ``participant, study_day, condition, measure, value``;
* ``guesses``: rows ``participant, actual, guess`` (the end-of-study guess
  about the first blinded period's bottle: drug, placebo or dont_know;
  ``actual`` is what it held).

No calendar date, name, e-mail or free text is in it: study day 1 is each
participant's own start date. A participant's diary is read only between
their start and end dates, only if their latest consent shares the diary,
and never if they withdrew asking for their data to be removed.

Lab measures and blinding guesses are read through ``lab_rows`` and
``guess_rows``, the two places that know where those records live; they
return no rows until the visit and guess records are connected to them
when the study's visits and unblinding are merged in. Callers (the demo, the
tests) may pass rows of the same shape to ``build_dataset`` instead.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.db.models import F, Prefetch

from fibrotrack.diary.defaults import DEFAULT_SYMPTOMS
from fibrotrack.diary.models import SymptomScore
from fibrotrack.studies import designs
from fibrotrack.studies.models import (
    BlindingGuess,
    ConsentSignature,
    LabMeasure,
    Participant,
    ProtocolVersion,
    Study,
)

SCHEMA = 1
DIARY_FIXED = ("participant", "study_day", "condition", "period")
#: A protocol outcome and the diary symptom that records it, where their keys differ.
SYMPTOM_FOR_OUTCOME = {"sleep": "sleep_quality"}
_DIRECTION = {s.key: s.lower_is_better for s in DEFAULT_SYMPTOMS}
GUESS_VALUES = ("drug", "placebo", "dont_know")


@dataclass(frozen=True)
class OutcomeColumn:
    key: str
    symptom: str
    lower_is_better: bool
    scale_min: int = 0
    scale_max: int = 10


def outcome_columns(protocol: designs.Protocol) -> list[OutcomeColumn]:
    keys = [protocol.primary_outcome, *[k for k in protocol.secondary_outcomes if k != protocol.primary_outcome]]
    out = []
    for key in keys:
        symptom = SYMPTOM_FOR_OUTCOME.get(key, key)
        out.append(OutcomeColumn(key, symptom, _DIRECTION.get(symptom, True)))
    return out


def lab_rows(study: Study) -> list[dict[str, Any]]:
    """Lab values entered at the study's visits: ``participant`` (code), ``study_day``, ``measure``, ``value``.

    A value at the cold-pressor cap is the cap itself; the analysis treats it as censored (the protocol's cap).
    """
    measures = LabMeasure.objects.filter(visit__participant__study=study, visit__participant__start_date__isnull=False)
    return [
        {
            "participant": m.visit.participant.code,
            "study_day": (m.measured_on - m.visit.participant.start_date).days + 1,
            "measure": m.kind,
            "value": float(m.value),
        }
        for m in measures.select_related("visit__participant").order_by("pk")
        if m.visit.participant.start_date is not None
    ]


def guess_rows(study: Study) -> list[dict[str, Any]]:
    """End-of-study blinding guesses: ``participant`` (code) and ``guess`` (drug, placebo or dont_know)
    about the bottle of the first blinded period.

    Bottle 1 is the first blinded period's (``bottles.py``), whatever it held.
    """
    guesses = BlindingGuess.objects.filter(participant__study=study, bottle=1).select_related("participant")
    return [{"participant": g.participant.code, "guess": g.guess} for g in guesses.order_by("pk")]


def latest_shares(participant: Participant) -> set[str]:
    signatures = list(participant.signatures.all())
    return set(signatures[-1].shares) if signatures else set()


def _exclusion(p: Participant) -> str:
    """Why a randomised participant's diary is not in the dataset ("" when it is)."""
    if p.status == Participant.Status.WITHDRAWN and p.withdrawal_keeps_data is False:
        return "withdrew_and_removed_data"
    if p.user_id is None:
        return "account_deleted"
    if "diary" not in latest_shares(p):
        return "diary_not_shared"
    if p.start_date is None or p.end_date is None:
        return "no_study_window"
    return ""


def _first_blinded_is_drug(protocol: designs.Protocol, sequence: str) -> bool | None:
    for key in protocol.sequences.get(sequence, ()):
        c = protocol.condition(key)
        if c.blinded:
            return c.kind == designs.TREATMENT or (c.kind == designs.SESSION and bool(c.dose) and key != "placebo")
    return None


def _calendars(protocol: designs.Protocol) -> dict[str, dict[int, tuple[str, int]]]:
    """sequence -> study day -> (condition, step): computed once, looked up for every row."""
    return {
        name: {
            day: (c.key, step)
            for step, (first, last, c) in enumerate(protocol.schedule(name), start=1)
            for day in range(first, last + 1)
        }
        for name in protocol.sequences
    }


def build_dataset(
    study: Study,
    *,
    lab: Iterable[dict[str, Any]] | None = None,
    guesses: Iterable[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The payload to lock (see the module's docstring). A fixed number of queries."""
    protocol = designs.Protocol.from_json(study.protocol)
    outcomes = outcome_columns(protocol)
    registered = ProtocolVersion.objects.filter(study=study).order_by("-version").first()
    participants = list(
        study.participants.filter(randomised_at__isnull=False)
        .select_related("allocation")
        .prefetch_related(Prefetch("signatures", queryset=ConsentSignature.objects.order_by("signed_at")))
        .order_by("code")
    )
    people: list[dict[str, Any]] = []
    readable: dict[int, Participant] = {}
    sequences: dict[str, str] = {}
    for p in participants:
        slot = getattr(p, "allocation", None)
        sequence = slot.arm if slot is not None else ""
        reason = _exclusion(p) or ("" if sequence in protocol.sequences else "no_allocation")
        sequences[p.code] = sequence
        if not reason and p.user_id is not None:
            readable[p.user_id] = p
        people.append(
            {
                "code": p.code,
                "sequence": sequence,
                "group": p.group,
                "stratum": p.stratum,
                "status": p.status,
                "included": not reason,
                "excluded_because": reason,
            }
        )
    by_symptom = {o.symptom: o.key for o in outcomes}
    # One query over the diary's (user, day) index: every score of a participant inside their own window.
    scores = SymptomScore.objects.filter(
        checkin__user__study_participations__study=study,
        checkin__day__gte=F("checkin__user__study_participations__start_date"),
        checkin__day__lte=F("checkin__user__study_participations__end_date"),
        symptom__key__in=list(by_symptom),
    ).values_list("checkin__user_id", "checkin__day", "symptom__key", "value")
    # participant code -> study day -> outcome -> value (grouped first: sorting small integer keys is cheap).
    days: dict[str, dict[int, dict[str, int]]] = {}
    for user_id, day, symptom, value in scores:
        reader = readable.get(user_id)
        if reader is None or reader.start_date is None:
            continue
        study_day = (day - reader.start_date).days + 1
        days.setdefault(reader.code, {}).setdefault(study_day, {})[by_symptom[symptom]] = value
    calendars = _calendars(protocol)
    keys = [o.key for o in outcomes]
    rows = []
    for code in sorted(days):
        calendar = calendars.get(sequences[code], {})
        own = days[code]
        for study_day in sorted(own):
            step = calendar.get(study_day)
            if step is not None:
                values = own[study_day]
                rows.append([code, study_day, step[0], step[1], *[values.get(k) for k in keys]])
    included = {p["code"] for p in people if p["included"]}
    lab_out = []
    for r in lab if lab is not None else lab_rows(study):
        code, study_day = str(r["participant"]), int(r["study_day"])
        step = calendars.get(sequences.get(code, ""), {}).get(study_day) if code in included else None
        if step is not None:
            lab_out.append([code, study_day, step[0], str(r["measure"]), float(r["value"])])
    guess_out = []
    for r in guesses if guesses is not None else guess_rows(study):
        code = str(r["participant"])
        drug = _first_blinded_is_drug(protocol, sequences.get(code, "")) if code in included else None
        if drug is not None and r.get("guess") in GUESS_VALUES:
            guess_out.append([code, "drug" if drug else "placebo", str(r["guess"])])
    return {
        "schema": SCHEMA,
        "study": study.short_code,
        "protocol": study.protocol,
        "protocol_version": registered.version if registered else None,
        "protocol_hash": registered.hash if registered else "",
        "outcomes": [o.__dict__ for o in outcomes],
        "participants": people,
        "diary": {"columns": [*DIARY_FIXED, *[o.key for o in outcomes]], "rows": rows},
        "lab": {"columns": ["participant", "study_day", "condition", "measure", "value"], "rows": sorted(lab_out)},
        "guesses": {"columns": ["participant", "actual", "guess"], "rows": sorted(guess_out)},
    }


def canonical(payload: dict[str, Any]) -> str:
    """One text for one dataset: sorted keys, no spaces, so its digest is reproducible."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def table(payload: dict[str, Any], name: str) -> pd.DataFrame:
    part = payload.get(name) or {"columns": [], "rows": []}
    return pd.DataFrame(part["rows"], columns=part["columns"])


def diary_frame(payload: dict[str, Any]) -> pd.DataFrame:
    frame = table(payload, "diary")
    for o in payload["outcomes"]:
        frame[o["key"]] = pd.to_numeric(frame[o["key"]], errors="coerce").astype("float64")
    return frame


# --- the de-identified export ----------------------------------------------------------------------------

EXPORT_COLUMNS = ("participant", "sequence", "group", "study_day", "condition", "period")


def export_csv(payload: dict[str, Any]) -> str:
    """The diary dataset, one row per participant-day, participant codes and study days only."""
    people = {p["code"]: p for p in payload["participants"]}
    keys = [o["key"] for o in payload["outcomes"]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*EXPORT_COLUMNS, *keys])
    for row in payload["diary"]["rows"]:
        code, study_day, condition, period, *values = row
        p = people[code]
        writer.writerow(
            [code, p["sequence"], p["group"], study_day, condition, period, *["" if v is None else v for v in values]]
        )
    return out.getvalue()


def data_dictionary(payload: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """``(column, description, unit, coding)`` for every column of ``export_csv``."""
    protocol = designs.Protocol.from_json(payload["protocol"])
    conditions = "; ".join(f"{c.key} = {c.label} ({c.days} days)" for c in protocol.conditions)
    sequences = "; ".join(f"{name} = {' then '.join(steps)}" for name, steps in protocol.sequences.items())
    rows = [
        ("participant", "Pseudonymous participant code (no name, e-mail or date of birth)", "", "text"),
        ("sequence", "Allocated order of conditions", "", sequences),
        ("group", "Group for designs with a control group (empty otherwise)", "", ", ".join(protocol.groups) or "-"),
        ("study_day", "Day of the study; 1 = the participant's own first day (no calendar dates)", "day", "integer"),
        ("condition", "Condition on that day by the participant's sequence", "", conditions),
        ("period", "Step of the sequence (1 = the first condition)", "", "integer"),
    ]
    for o in payload["outcomes"]:
        better = "lower is better" if o["lower_is_better"] else "higher is better"
        rows.append(
            (
                o["key"],
                f"Daily diary rating of {o['symptom'].replace('_', ' ')} ({better}); empty = not recorded that day",
                "points",
                f"integer {o['scale_min']}-{o['scale_max']} (numeric rating scale)",
            )
        )
    return rows


def data_dictionary_csv(payload: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["column", "description", "unit", "coding"])
    writer.writerows(data_dictionary(payload))
    return out.getvalue()
