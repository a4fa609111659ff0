"""The long CSV export: one row per value, ``date,category,code,name,value,unit,detail,record``.

The rows are made from the JSON document (``export_json.build_document``), so
both exports always agree, and ``imports.fibrotrack_csv`` turns the rows back
into a document. Every category, code and column is in docs/data-formats.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

from fibrotrack.accounts.models import User
from fibrotrack.diary.defaults import BUILTIN_TAGS
from fibrotrack.diary.regions import BY_CODE
from fibrotrack.lib.csvcells import neutralise
from fibrotrack.portability.export_json import build_document

COLUMNS = ["date", "category", "code", "name", "value", "unit", "detail", "record"]
CATEGORIES = (
    "symptom",
    "sleep",
    "pain_region",
    "tag",
    "note",
    "acr2016",
    "regimen",
    "titration_step",
    "dose_change",
    "dose",
    "regimen_stop",
    "side_effect_episode",
    "side_effect",
    "opioid_answer",
    "measure",
)
ORDER = {c: i for i, c in enumerate(CATEGORIES)}
ACR_LABELS = {
    "wpi": ("Widespread Pain Index (WPI)", "0-19"),
    "fatigue": ("Fatigue (SSS)", "0-3"),
    "unrefreshed": ("Waking unrefreshed (SSS)", "0-3"),
    "cognitive": ("Cognitive symptoms (SSS)", "0-3"),
    "headache": ("Headaches in the past 6 months", "yes/no"),
    "abdominal": ("Pain or cramps in lower abdomen", "yes/no"),
    "depression": ("Depression", "yes/no"),
    "three_months": ("Symptoms for at least 3 months", "yes/no"),
    "sss": ("Symptom Severity Scale (SSS)", "0-12"),
    "psd": ("Polysymptomatic distress (PSD)", "0-31"),
    "criteria_met": ("ACR 2016 criteria met", "yes/no"),
}
DERIVED = frozenset({"sss", "psd", "criteria_met"})
SEVERITY_RANK = {"mild": 1, "moderate": 2, "severe": 3}
# Daily measures from devices: code -> (name, unit); the source goes in "detail".
MEASURE_LABELS = {
    "sleep_hours": ("Hours asleep (device)", "h"),
    "steps": ("Steps", "steps"),
    "resting_hr": ("Resting heart rate", "bpm"),
    "hrv_sdnn": ("Heart-rate variability (SDNN)", "ms"),
}
Row = list[str]


def _yes(value: Any) -> str:
    return "1" if value else "0"


def regimen_key(ref: dict[str, Any]) -> tuple[str, bool, str]:
    treatment = ref["treatment"]
    return (treatment["key"], bool(treatment.get("custom")), ref["started_on"])


def document_rows(document: dict[str, Any]) -> list[Row]:
    rows = list(_rows(document))
    rows.sort(key=lambda r: (r[0], ORDER[r[1]], r[7], r[2], r[6]))
    return rows


def _rows(document: dict[str, Any]) -> Iterator[Row]:  # noqa: C901  (one short block per category)
    symptoms = {s["key"]: s for s in document.get("symptoms", [])}
    tag_names = dict(BUILTIN_TAGS) | {t["key"]: t["name"] for t in document.get("tags", [])}
    for checkin in document.get("checkins", []):
        day = checkin["day"]
        for key, value in checkin["scores"].items():
            symptom = symptoms.get(key, {})
            direction = "lower is better" if symptom.get("lower_is_better", True) else "higher is better"
            yield [day, "symptom", key, symptom.get("name", key), str(value), "0-10", direction, ""]
        if checkin.get("hours_slept") is not None:
            yield [day, "sleep", "hours_slept", "Hours slept", checkin["hours_slept"], "h", "", ""]
        for region in checkin.get("pain_regions", []):
            yield [day, "pain_region", region, BY_CODE[region].label, "1", "", "", ""]
        for tag in checkin.get("tags", []):
            yield [day, "tag", tag, tag_names.get(tag, tag), "1", "", "", ""]
        if checkin.get("note"):
            yield [day, "note", "note", "Note", "", "", checkin["note"], ""]

    for n, acr in enumerate(document.get("acr2016", []), start=1):
        record = f"acr-{n}"
        for code, (label, unit) in ACR_LABELS.items():
            value = acr[code]
            detail = " ".join(acr["regions"]) if code == "wpi" else ("derived" if code in DERIVED else "")
            yield [
                acr["day"],
                "acr2016",
                code,
                label,
                _yes(value) if unit == "yes/no" else str(value),
                unit,
                detail,
                record,
            ]

    custom = {t["key"]: t for t in document.get("treatments", [])}
    regimen_records: dict[tuple[str, bool, str], str] = {}
    for n, regimen in enumerate(document.get("regimens", []), start=1):
        record = f"regimen-{n}"
        regimen_records[regimen_key(regimen)] = record
        treatment = regimen["treatment"]
        key, name, unit = treatment["key"], treatment["name"], regimen["unit"]
        detail = f"schedule={regimen['schedule']}"
        if treatment.get("custom"):
            detail += f"; treatment=own; category={custom.get(key, {}).get('category', 'medication')}"
        yield [regimen["started_on"], "regimen", key, name, "", unit, detail, record]
        if regimen.get("stopped_on"):
            yield [regimen["stopped_on"], "regimen_stop", key, name, "", "", regimen.get("stop_reason", ""), record]
        plan = regimen.get("plan")
        if plan:
            day = dt.date.fromisoformat(plan["start_date"])
            for step in plan["steps"]:
                amount = "" if step.get("amount") is None else str(step["amount"])
                detail = f"plan={plan['template']}; days={step['days']}"
                yield [day.isoformat(), "titration_step", key, name, amount, unit, detail, record]
                day += dt.timedelta(days=int(step["days"]))
        for change in regimen.get("dose_changes", []):
            yield [
                change["effective_on"],
                "dose_change",
                key,
                name,
                change["amount"],
                change["unit"],
                change["reason"],
                record,
            ]
        for log in regimen.get("dose_logs", []):
            detail = log["status"] + (f"; slot={log['slot']}" if log.get("slot") else "")
            yield [log["day"], "dose", key, name, log.get("amount") or "", log.get("unit") or "", detail, record]

    for n, effect in enumerate(document.get("side_effects", []), start=1):
        record = f"side-effect-{n}"
        detail = "ongoing" if effect["is_ongoing"] else f"ended={effect['ended_on']}"
        if effect.get("regimen"):
            suspect = regimen_records.get(regimen_key(effect["regimen"]))
            if suspect:
                detail += f"; suspect={suspect}"
        yield [effect["onset_on"], "side_effect_episode", effect["key"], effect["name"], "", "", detail, record]
        for report in effect.get("reports", []):
            rank = str(SEVERITY_RANK[report["severity"]])
            yield [report["day"], "side_effect", effect["key"], effect["name"], rank, "1-3", report["severity"], record]

    for answer in document.get("opioid_answers", []):
        yield [
            answer["day"],
            "opioid_answer",
            "took_opioid",
            "Took an opioid",
            _yes(answer["took_opioid"]),
            "yes/no",
            "",
            "",
        ]

    for measure in document.get("daily_measures", []):
        kind = MEASURE_LABELS.get(measure["kind"], (measure["kind"], ""))
        yield [measure["day"], "measure", measure["kind"], kind[0], measure["value"], kind[1], measure["source"], ""]


def write_rows(rows: list[Row]) -> bytes:
    """The CSV file; cells a spreadsheet would run as formulas are quoted (``imports.fibrotrack_csv`` unquotes)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([neutralise("" if cell is None else str(cell)) for cell in row] for row in rows)
    return buffer.getvalue().encode()


def export_csv(user: User, document: dict[str, Any] | None = None) -> bytes:
    return write_rows(document_rows(document if document is not None else build_document(user)))
