"""FibroTrack's own long CSV, read back: rows -> a FibroTrack document -> the section importers.

Each row is checked on its own (bad rows are reported with their row number
and skipped); rows that belong together (a regimen and its doses, an ACR
questionnaire) share the ``record`` column. The file is one person's own
export, so it is read into memory (tens of thousands of rows for ten years).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from fibrotrack.accounts.models import User
from fibrotrack.diary.defaults import BUILTIN_TAGS
from fibrotrack.diary.regions import BY_CODE
from fibrotrack.lib.csvcells import restore
from fibrotrack.portability import codec_registry
from fibrotrack.portability.export_csv import ACR_LABELS, CATEGORIES, COLUMNS, DERIVED, SEVERITY_RANK
from fibrotrack.portability.imports import textfile
from fibrotrack.portability.imports.base import (
    FIRST_ROWS,
    PROGRESS_EVERY,
    READING,
    SAVING,
    ImportRefused,
    Options,
    Preview,
    Progress,
    Result,
)
from fibrotrack.portability.imports.document import apply_document, preview_document

SEVERITIES = {str(v): k for k, v in SEVERITY_RANK.items()}
BUILTIN = dict(BUILTIN_TAGS)


def _day(text: str) -> str:
    try:
        return dt.date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise ValueError(_("“{text}” is not a date like 2024-03-31").format(text=text[:30])) from None


def _number(text: str, what: str) -> str:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(_("{what} “{text}” is not a number").format(what=what, text=text[:30])) from None
    if not number.is_finite():
        raise ValueError(_("{what} “{text}” is not a number").format(what=what, text=text[:30]))
    return f"{number.normalize():f}"


def _int(text: str, low: int, high: int, what: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ValueError(_("{what} “{text}” is not a whole number").format(what=what, text=text[:30])) from None
    if not low <= value <= high:
        raise ValueError(
            _("{what} {value} is not between {low} and {high}").format(what=what, value=value, low=low, high=high)
        )
    return value


def _details(text: str) -> dict[str, str]:
    """ "schedule=nightly; treatment=own" -> {"schedule": "nightly", "treatment": "own"}; a bare word -> {"": word}."""
    out = {}
    for part in text.split(";"):
        key, sep, value = part.strip().partition("=")
        if sep:
            out[key.strip()] = value.strip()
        elif key:
            out[""] = key
    return out


class Builder:
    """Collects rows into the sections of a FibroTrack document."""

    def __init__(self) -> None:
        self.symptoms: dict[str, dict[str, Any]] = {}
        self.tags: dict[str, dict[str, Any]] = {}
        self.checkins: dict[str, dict[str, Any]] = {}
        self.acr: dict[str, dict[str, Any]] = {}
        self.regimens: dict[str, dict[str, Any]] = {}
        self.regimen_lines: dict[str, int] = {}
        self.treatments: dict[str, dict[str, Any]] = {}
        self.effects: dict[str, dict[str, Any]] = {}
        self.suspects: dict[str, str] = {}
        self.opioids: dict[str, bool] = {}
        self.measures: list[dict[str, Any]] = []

    def checkin(self, day: str, line: int) -> dict[str, Any]:
        return self.checkins.setdefault(
            day,
            {"day": day, "scores": {}, "hours_slept": None, "pain_regions": [], "tags": [], "note": "", "_line": line},
        )

    def regimen(self, record: str, line: int) -> dict[str, Any]:
        if not record:
            raise ValueError(_("a treatment row needs its record (e.g. regimen-1)"))
        self.regimen_lines.setdefault(record, line)
        return self.regimens.setdefault(record, {"dose_changes": [], "dose_logs": [], "plan": None, "_line": line})

    def add(self, line: int, cells: list[str]) -> None:  # noqa: C901  (one branch per category)
        date, category, code, name, value, unit, detail, record = (c.strip() for c in cells)
        if category not in CATEGORIES:
            raise ValueError(_("unknown category “{category}”").format(category=category[:30]))
        day = _day(date)
        if category == "symptom":
            if not code:
                raise ValueError(_("a symptom row needs a code"))
            score = _int(value, 0, 10, "the score")
            self.symptoms.setdefault(
                code, {"key": code[:40], "name": (name or code)[:40], "lower_is_better": detail != "higher is better"}
            )
            self.checkin(day, line)["scores"][code] = score
        elif category == "sleep":
            hours = _number(value, "hours slept")
            if not 0 <= Decimal(hours) <= 24:
                raise ValueError(_("hours slept should be between 0 and 24"))
            self.checkin(day, line)["hours_slept"] = hours
        elif category == "pain_region":
            if code not in BY_CODE:
                raise ValueError(_("unknown body-map region “{code}”").format(code=code[:30]))
            self.checkin(day, line)["pain_regions"].append(code)
        elif category == "tag":
            if not code:
                raise ValueError(_("a tag row needs a code"))
            if code not in BUILTIN:
                self.tags.setdefault(code, {"key": code[:40], "name": (name or code)[:40], "is_trigger": True})
            self.checkin(day, line)["tags"].append(code)
        elif category == "note":
            self.checkin(day, line)["note"] = cells[6]
        elif category == "acr2016":
            self._acr(day, code, value, detail, record, line)
        elif category == "opioid_answer":
            self.opioids[day] = bool(_int(value, 0, 1, "the answer"))
        elif category == "measure":
            self.measures.append({"day": day, "kind": code, "value": _number(value, "the value"), "source": detail})
        elif category == "side_effect_episode" or category == "side_effect":
            self._side_effect(category, day, code, name, value, detail, record, line)
        else:
            self._treatment(category, day, code, name, value, unit, detail, record, line)

    def _acr(self, day: str, code: str, value: str, detail: str, record: str, line: int) -> None:
        if not record:
            raise ValueError(_("an ACR 2016 row needs its record (e.g. acr-1)"))
        if code not in ACR_LABELS:
            raise ValueError(_("unknown ACR 2016 item “{code}”").format(code=code[:30]))
        acr = self.acr.setdefault(record, {"day": day, "_line": line})
        if code in DERIVED:
            return  # recomputed from the answers
        if code == "wpi":
            acr["regions"] = detail.split()
        elif ACR_LABELS[code][1] == "yes/no":
            acr[code] = bool(_int(value, 0, 1, code))
        else:
            acr[code] = _int(value, 0, 3, code)

    def _treatment(
        self, category: str, day: str, code: str, name: str, value: str, unit: str, detail: str, record: str, line: int
    ) -> None:
        regimen = self.regimen(record, line)
        details = _details(detail)
        if category == "regimen":
            own = details.get("treatment") == "own"
            regimen.update(
                treatment={"key": code, "custom": own, "name": name},
                started_on=day,
                unit=unit,
                schedule=details.get("schedule", "daily"),
                _line=line,
            )
            if own:
                self.treatments.setdefault(
                    code,
                    {
                        "key": code,
                        "name": name or code,
                        "category": details.get("category", "medication"),
                        "units": [unit],
                    },
                )
        elif category == "regimen_stop":
            regimen.update(stopped_on=day, stop_reason=detail)
        elif category == "titration_step":
            amount = _number(value, "the step's dose") if value else None
            plan = regimen["plan"] or {"template": details.get("plan", ""), "start_date": day, "steps": []}
            plan["start_date"] = min(plan["start_date"], day)
            plan["steps"].append((day, {"amount": amount, "days": _int(details.get("days", ""), 1, 3650, "days")}))
            regimen["plan"] = plan
        elif category == "dose_change":
            regimen["dose_changes"].append(
                {"effective_on": day, "amount": _number(value, "the dose"), "unit": unit, "reason": detail}
            )
        elif category == "dose":
            slot = _int(details.get("slot", "0"), 0, 11, "the slot")
            regimen["dose_logs"].append(
                {
                    "day": day,
                    "slot": slot,
                    "status": details.get("", ""),
                    "amount": _number(value, "the dose") if value else None,
                    "unit": unit,
                }
            )

    def _side_effect(
        self, category: str, day: str, code: str, name: str, value: str, detail: str, record: str, line: int
    ) -> None:
        if not record:
            raise ValueError(_("a side-effect row needs its record (e.g. side-effect-1)"))
        effect = self.effects.setdefault(record, {"key": code, "name": name, "reports": [], "_line": line})
        if category == "side_effect_episode":
            details = _details(detail)
            ended = details.get("ended")
            effect.update(onset_on=day, is_ongoing=ended is None, ended_on=_day(ended) if ended else None, _line=line)
            if details.get("suspect"):
                self.suspects[record] = details["suspect"]
        else:
            if value not in SEVERITIES:
                raise ValueError(_("severity “{value}” should be 1, 2 or 3").format(value=value[:30]))
            effect["reports"].append({"day": day, "severity": SEVERITIES[value]})

    def document(self) -> dict[str, Any]:
        regimens = [self.regimens[k] for k in sorted(self.regimens, key=_record_order)]
        for regimen in regimens:
            if regimen["plan"]:
                steps = sorted(regimen["plan"]["steps"], key=lambda s: s[0])
                regimen["plan"]["steps"] = [step for _, step in steps]
        refs = {
            record: {"treatment": r["treatment"], "started_on": r["started_on"]}
            for record, r in self.regimens.items()
            if "treatment" in r
        }
        effects = []
        for record in sorted(self.effects, key=_record_order):
            effect = self.effects[record]
            ranks = [SEVERITY_RANK[r["severity"]] for r in effect["reports"]]
            effect["severity"] = SEVERITIES[str(max(ranks))] if ranks else "mild"
            effect["regimen"] = refs.get(self.suspects.get(record, ""))
            effects.append(effect)
        return {
            "format": codec_registry.FORMAT,
            "version": codec_registry.VERSION,
            "symptoms": list(self.symptoms.values()),
            "tags": list(self.tags.values()),
            "checkins": [self.checkins[d] for d in sorted(self.checkins)],
            "acr2016": [self.acr[k] for k in sorted(self.acr, key=_record_order)],
            "treatments": list(self.treatments.values()),
            "regimens": regimens,
            "side_effects": effects,
            "opioid_answers": [{"day": d, "took_opioid": v} for d, v in sorted(self.opioids.items())],
            "daily_measures": self.measures,
        }


def _record_order(record: str) -> tuple[str, int]:
    prefix, _, number = record.rpartition("-")
    return (prefix, int(number)) if number.isdigit() else (record, 0)


def read(path: Path, preview: Preview, progress: Progress | None = None) -> dict[str, Any]:
    builder = Builder()
    rows = textfile.rows(path)
    first = next(rows, None)
    if first is None or [h.strip().lower() for h in first[1]] != COLUMNS:
        raise ImportRefused(
            _("This is not a FibroTrack CSV export: the first row should be {columns}.").format(
                columns=",".join(COLUMNS)
            )
        )
    preview.columns = COLUMNS
    for line, cells in rows:
        if progress is not None and line % PROGRESS_EVERY == 0:
            progress(READING, line - 1, None)
        if not cells:
            continue
        cells = [restore(cell) for cell in cells]
        preview.rows += 1
        if len(preview.first_rows) < FIRST_ROWS:
            preview.first_rows.append(cells)
        if len(cells) != len(COLUMNS):
            preview.problem(
                f"row {line}",
                _("expected {expected} columns, found {found}").format(expected=len(COLUMNS), found=len(cells)),
            )
            continue
        try:
            builder.add(line, cells)
        except ValueError as error:
            preview.problem(f"row {line}", str(error))
    document = builder.document()
    for record, regimen in builder.regimens.items():
        if "treatment" not in regimen:
            preview.problem(
                f"row {builder.regimen_lines[record]}", _("{record} has no “regimen” row").format(record=record)
            )
    document["regimens"] = [r for r in document["regimens"] if "treatment" in r]
    return document


def preview(path: Path, user: User, options: Options) -> Preview:
    result = Preview(format="fibrotrack-csv")
    document = read(path, result)
    return preview_document(user, document, "fibrotrack-csv", result)


def apply(path: Path, user: User, options: Options, progress: Progress | None = None) -> Result:
    problems = Preview(format="fibrotrack-csv")
    document = read(path, problems, progress)
    if progress is not None:
        progress(SAVING, 0, None)
    result = apply_document(user, document)
    result.problems = problems.problems + result.problems
    result.problem_count += problems.problem_count
    return result
