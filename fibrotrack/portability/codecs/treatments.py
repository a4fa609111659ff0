"""Treatment records: own treatments, regimens with plans, dose changes and dose logs, side effects.

A regimen is identified in the file by its treatment (catalogue key, or the
key of one of the person's own treatments) and its start date, never by a
database id, so that a file imports into any account.

Imports restore history exactly as it was recorded, so they create the rows
directly instead of through ``do_start_regimen`` (which would add a "started"
dose change and safety acknowledgements of its own) and
``do_record_side_effects`` (which merges episodes day by day). Every write is
an upsert on those natural keys: importing the same file twice changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext

from fibrotrack.accounts.models import User
from fibrotrack.portability.codecs import encoding
from fibrotrack.portability.codecs.diary import problem, records_of
from fibrotrack.portability.codecs.encoding import RecordError
from fibrotrack.treatments import access, catalogue
from fibrotrack.treatments.models import (
    DoseChange,
    DoseLog,
    OpioidAnswer,
    Regimen,
    SafetyAcknowledgement,
    SideEffect,
    SideEffectReport,
    TitrationPlan,
    Treatment,
)
from fibrotrack.treatments.schedule import KIND_LABELS

FLAGS = ("is_opioid", "is_opioid_antagonist", "is_serotonergic", "is_sedative")
UNIT_CODES = set(catalogue.UNIT_CODES)


def treatment_ref(treatment: Treatment) -> dict[str, Any]:
    return {"key": treatment.key, "custom": treatment.user_id is not None, "name": treatment.name}


def regimen_ref(regimen: Regimen) -> dict[str, Any]:
    return {"treatment": treatment_ref(regimen.treatment), "started_on": regimen.started_on.isoformat()}


class Lookup:
    """Finds treatments and regimens named by a file, within one person's data."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.treatments = {(t.key, t.user_id is not None): t for t in access.treatments_for_user(user)}
        self.regimens = {
            (r.treatment.key, r.treatment.user_id is not None, r.started_on): r
            for r in Regimen.objects.filter(user=user).select_related("treatment")
        }

    def treatment(self, ref: Any) -> Treatment:
        encoding.require(ref, "key")
        found = self.treatments.get((ref["key"], bool(ref.get("custom"))))
        if found is None:
            raise RecordError(
                gettext("unknown treatment {treatment}").format(treatment=repr(ref.get("name") or ref["key"]))
            )
        return found

    def regimen(self, ref: Any) -> Regimen:
        encoding.require(ref, "treatment", "started_on")
        treatment = self.treatment(ref["treatment"])
        started = encoding.parse_day(ref["started_on"], "started_on")
        found = self.regimens.get((treatment.key, treatment.user_id is not None, started))
        if found is None:
            raise RecordError(
                gettext("no {treatment} regimen starting {started}").format(treatment=treatment.name, started=started)
            )
        return found


# --- The person's own treatments ----------------------------------------------------


def export_treatments(user: User) -> list[dict[str, Any]]:
    return list(
        Treatment.objects.filter(user=user)
        .order_by("key")
        .values("key", "name", "category", "aliases", "units", "forms", "side_effects", *FLAGS)
    )


def import_treatments(user: User, records: Any, context: dict[str, Any]) -> int:
    existing = set(Treatment.objects.filter(user=user).values_list("key", flat=True))
    categories = {code for code, _ in catalogue.CATEGORIES}
    created = 0
    for index, record in enumerate(records_of(records, "treatments")):
        try:
            encoding.require(record, "key", "name", "category")
            key, name = encoding.text(record, "key", 60), encoding.text(record, "name", 80).strip()
            if not key or not name:
                raise RecordError(gettext("a treatment needs a key and a name"))
            if record["category"] not in categories:
                raise RecordError(gettext("unknown category {category}").format(category=repr(record["category"])))
            lists = {f: record.get(f) or [] for f in ("aliases", "units", "forms", "side_effects")}
            if not all(isinstance(v, list) for v in lists.values()):
                raise RecordError(gettext("aliases, units, forms and side_effects should be lists"))
        except RecordError as error:
            problem(context, "treatments", index, record, error)
            continue
        if key in existing:
            continue
        Treatment.objects.create(
            user=user,
            key=key,
            name=name,
            category=record["category"],
            **lists,
            **{flag: bool(record.get(flag)) for flag in FLAGS},
        )
        existing.add(key)
        created += 1
    return created


# --- Regimens, plans, dose changes and dose logs ------------------------------------

REGIMEN_FIELDS = (
    "unit",
    "form",
    "schedule",
    "times",
    "doses_per_day",
    "weekdays",
    "stop_reason",
    "stop_note",
    "prescriber",
    "note",
)


def export_regimens(user: User) -> list[dict[str, Any]]:
    regimens = list(Regimen.objects.filter(user=user).select_related("treatment", "plan").order_by("started_on", "id"))
    changes: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for change in DoseChange.objects.filter(regimen__user=user).order_by("effective_on", "created_at", "id"):
        changes[change.regimen_id].append(
            {
                "effective_on": change.effective_on.isoformat(),
                "amount": encoding.decimal(change.amount),
                "unit": change.unit,
                "reason": change.reason,
                "note": change.note,
            }
        )
    logs: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for regimen_id, day, slot, status, amount, unit in (
        DoseLog.objects.filter(regimen__user=user)
        .order_by("day", "slot")
        .values_list("regimen_id", "day", "slot", "status", "amount", "unit")
    ):
        logs[regimen_id].append(
            {"day": day.isoformat(), "slot": slot, "status": status, "amount": encoding.decimal(amount), "unit": unit}
        )
    out = []
    for regimen in regimens:
        plan = regimen.plan_or_none()
        out.append(
            {
                "treatment": treatment_ref(regimen.treatment),
                "started_on": regimen.started_on.isoformat(),
                "stopped_on": encoding.day(regimen.stopped_on),
                **{name: getattr(regimen, name) for name in REGIMEN_FIELDS},
                "plan": {"template": plan.template, "start_date": plan.start_date.isoformat(), "steps": plan.steps}
                if plan
                else None,
                "dose_changes": changes.get(regimen.pk, []),
                "dose_logs": logs.get(regimen.pk, []),
            }
        )
    return out


def _parse_regimen(record: Any, lookup: Lookup) -> dict[str, Any]:
    encoding.require(record, "treatment", "started_on", "unit", "schedule")
    values: dict[str, Any] = {
        "treatment": lookup.treatment(record["treatment"]),
        "started_on": encoding.parse_day(record["started_on"], "started_on"),
        "stopped_on": encoding.parse_optional_day(record.get("stopped_on"), "stopped_on"),
    }
    if values["stopped_on"] and values["stopped_on"] < values["started_on"]:
        raise RecordError(gettext("stopped_on is before started_on"))
    if record["unit"] not in UNIT_CODES:
        raise RecordError(gettext("unknown unit {unit}").format(unit=repr(record["unit"])))
    if record["schedule"] not in KIND_LABELS:
        raise RecordError(gettext("unknown schedule {schedule}").format(schedule=repr(record["schedule"])))
    for name in REGIMEN_FIELDS:
        if name in record:
            values[name] = record[name]
    if not isinstance(values.get("times", []), list) or not isinstance(values.get("weekdays", []), list):
        raise RecordError(gettext("times and weekdays should be lists"))
    values["doses_per_day"] = encoding.integer({"d": values.get("doses_per_day", 1)}, "d", 1, 12)
    plan = record.get("plan")
    if plan is not None:
        encoding.require(plan, "template", "start_date", "steps")
        encoding.parse_day(plan["start_date"], "plan start_date")
        if not isinstance(plan["steps"], list):
            raise RecordError(gettext("plan steps should be a list"))
        for step in plan["steps"]:
            encoding.require(step, "days")
            encoding.parse_optional_decimal(step.get("amount"), "plan step amount")
    for change in record.get("dose_changes") or []:
        encoding.require(change, "effective_on", "amount", "unit")
        encoding.parse_day(change["effective_on"], "dose change effective_on")
        if encoding.parse_decimal(change["amount"], "dose change amount") <= 0:
            raise RecordError(gettext("a dose change amount should be above 0"))
    for log in record.get("dose_logs") or []:
        encoding.require(log, "day", "status")
        encoding.parse_day(log["day"], "dose log day")
        if log["status"] not in DoseLog.Status.values:
            raise RecordError(gettext("unknown dose status {status}").format(status=repr(log["status"])))
        amount = encoding.parse_optional_decimal(log.get("amount"), "dose amount")
        if amount is not None and amount <= 0:
            raise RecordError(gettext("a dose amount should be above 0"))
        if log["status"] == DoseLog.Status.DIFFERENT and amount is None:
            raise RecordError(gettext("a 'different' dose needs an amount"))
    return values


def import_regimens(user: User, records: Any, context: dict[str, Any]) -> int:
    lookup = Lookup(user)
    written = 0
    for index, record in enumerate(records_of(records, "regimens")):
        try:
            values = _parse_regimen(record, lookup)
            treatment = values["treatment"]
            key = (treatment.key, treatment.user_id is not None, values["started_on"])
            regimen = lookup.regimens.get(key)
            if regimen is None:
                other = access.overlapping_regimen(user, treatment, values["started_on"], values["stopped_on"])
                if other is not None:
                    raise RecordError(
                        gettext("overlaps your {treatment} regimen that started {started}; left as it is").format(
                            treatment=treatment.name, started=other.started_on
                        )
                    )
        except RecordError as error:
            problem(context, "regimens", index, record, error)
            continue
        if regimen is None:
            regimen = Regimen.objects.create(user=user, **values)
            lookup.regimens[key] = regimen
            written += 1
        written += _import_regimen_history(regimen, record)
    return written


def _import_regimen_history(regimen: Regimen, record: dict[str, Any]) -> int:
    written = 0
    plan = record.get("plan")
    if plan is not None and not TitrationPlan.objects.filter(regimen=regimen).exists():
        TitrationPlan.objects.create(
            regimen=regimen,
            template=plan["template"],
            start_date=encoding.parse_day(plan["start_date"], "plan start_date"),
            steps=plan["steps"],
        )
        written += 1
    have = {(c.effective_on, c.amount, c.unit, c.reason, c.note) for c in DoseChange.objects.filter(regimen=regimen)}
    new_changes = []
    for change in record.get("dose_changes") or []:
        values = (
            encoding.parse_day(change["effective_on"], "effective_on"),
            encoding.parse_decimal(change["amount"], "amount"),
            change["unit"],
            change.get("reason") or DoseChange.Reason.PRESCRIBER,
            change.get("note") or "",
        )
        if values not in have:
            have.add(values)
            new_changes.append(
                DoseChange(
                    regimen=regimen,
                    effective_on=values[0],
                    amount=values[1],
                    unit=values[2],
                    reason=values[3],
                    note=values[4],
                )
            )
    for change in new_changes:
        change.save()  # one by one: created_at orders changes made on the same day
    written += len(new_changes)
    logs = {(log.day, log.slot): log for log in DoseLog.objects.filter(regimen=regimen)}
    to_create, to_update = [], []
    for entry in record.get("dose_logs") or []:
        day = encoding.parse_day(entry["day"], "day")
        slot = int(entry.get("slot") or 0)
        amount = encoding.parse_optional_decimal(entry.get("amount"), "amount")
        unit = entry.get("unit") or ""
        current = logs.get((day, slot))
        if current is None:
            log = DoseLog(regimen=regimen, day=day, slot=slot, status=entry["status"], amount=amount, unit=unit)
            logs[(day, slot)] = log
            to_create.append(log)
        elif (current.status, current.amount, current.unit) != (entry["status"], amount, unit):
            current.status, current.amount, current.unit = entry["status"], amount, unit
            to_update.append(current)
    DoseLog.objects.bulk_create(to_create, batch_size=1000)
    DoseLog.objects.bulk_update(to_update, ["status", "amount", "unit"], batch_size=1000)
    return written + len(to_create) + len(to_update)


# --- Side effects -------------------------------------------------------------------


def export_side_effects(user: User) -> list[dict[str, Any]]:
    reports: dict[int, list[dict[str, str]]] = defaultdict(list)
    for effect_id, day, severity in (
        SideEffectReport.objects.filter(side_effect__user=user)
        .order_by("day")
        .values_list("side_effect_id", "day", "severity")
    ):
        reports[effect_id].append({"day": day.isoformat(), "severity": severity})
    return [
        {
            "key": effect.key,
            "name": effect.name,
            "severity": effect.severity,
            "onset_on": effect.onset_on.isoformat(),
            "is_ongoing": effect.is_ongoing,
            "ended_on": encoding.day(effect.ended_on),
            "regimen": regimen_ref(effect.regimen) if effect.regimen else None,
            "note": effect.note,
            "reports": reports.get(effect.pk, []),
        }
        for effect in SideEffect.objects.filter(user=user)
        .select_related("regimen__treatment")
        .order_by("onset_on", "key", "id")
    ]


def _parse_side_effect(record: Any, lookup: Lookup) -> dict[str, Any]:
    encoding.require(record, "key", "name", "severity", "onset_on")
    severities = SideEffect.Severity.values
    if record["severity"] not in severities:
        raise RecordError(gettext("unknown severity {severity}").format(severity=repr(record["severity"])))
    values = {
        "key": encoding.text(record, "key", 60),
        "name": encoding.text(record, "name", 80),
        "severity": record["severity"],
        "onset_on": encoding.parse_day(record["onset_on"], "onset_on"),
        "is_ongoing": bool(record.get("is_ongoing", True)),
        "ended_on": encoding.parse_optional_day(record.get("ended_on"), "ended_on"),
        "note": encoding.text(record, "note"),
        "regimen": lookup.regimen(record["regimen"]) if record.get("regimen") else None,
    }
    if values["is_ongoing"] == (values["ended_on"] is not None):
        raise RecordError(gettext("a side effect is either ongoing or has an end date"))
    if values["ended_on"] and values["ended_on"] < values["onset_on"]:
        raise RecordError(gettext("ended_on is before onset_on"))
    for report in record.get("reports") or []:
        encoding.require(report, "day", "severity")
        encoding.parse_day(report["day"], "report day")
        if report["severity"] not in severities:
            raise RecordError(gettext("unknown severity {severity}").format(severity=repr(report["severity"])))
    return values


def import_side_effects(user: User, records: Any, context: dict[str, Any]) -> int:
    lookup = Lookup(user)
    existing = {(e.key, e.onset_on): e for e in SideEffect.objects.filter(user=user)}
    written = 0
    for index, record in enumerate(records_of(records, "side_effects")):
        try:
            values = _parse_side_effect(record, lookup)
        except RecordError as error:
            problem(context, "side_effects", index, record, error)
            continue
        effect = existing.get((values["key"], values["onset_on"]))
        if effect is None:
            effect = existing[(values["key"], values["onset_on"])] = SideEffect.objects.create(user=user, **values)
            written += 1
        have = dict(SideEffectReport.objects.filter(side_effect=effect).values_list("day", "severity"))
        for report in record.get("reports") or []:
            day = encoding.parse_day(report["day"], "day")
            if have.get(day) != report["severity"]:
                SideEffectReport.objects.update_or_create(
                    side_effect=effect, day=day, defaults={"severity": report["severity"]}
                )
                written += 1
    return written


# --- Safety answers -----------------------------------------------------------------


def export_opioid_answers(user: User) -> list[dict[str, Any]]:
    return [
        {"day": day.isoformat(), "took_opioid": took}
        for day, took in OpioidAnswer.objects.filter(user=user).order_by("day").values_list("day", "took_opioid")
    ]


def import_opioid_answers(user: User, records: Any, context: dict[str, Any]) -> int:
    have = dict(OpioidAnswer.objects.filter(user=user).values_list("day", "took_opioid"))
    written = 0
    for index, record in enumerate(records_of(records, "opioid_answers")):
        try:
            encoding.require(record, "day", "took_opioid")
            day = encoding.parse_day(record["day"], "day")
            if not isinstance(record["took_opioid"], bool):
                raise RecordError(gettext("took_opioid should be true or false"))
        except RecordError as error:
            problem(context, "opioid_answers", index, record, error)
            continue
        if have.get(day) != record["took_opioid"]:
            OpioidAnswer.objects.update_or_create(user=user, day=day, defaults={"took_opioid": record["took_opioid"]})
            written += 1
    return written


def export_acknowledgements(user: User) -> list[dict[str, Any]]:
    return [
        {
            "rule": ack.rule,
            "day": ack.day.isoformat(),
            "message": ack.message,
            "regimen": regimen_ref(ack.regimen) if ack.regimen else None,
        }
        for ack in SafetyAcknowledgement.objects.filter(user=user)
        .select_related("regimen__treatment")
        .order_by("day", "rule", "id")
    ]


def import_acknowledgements(user: User, records: Any, context: dict[str, Any]) -> int:
    lookup = Lookup(user)
    have = set(SafetyAcknowledgement.objects.filter(user=user).values_list("rule", "day", "message"))
    written = 0
    for index, record in enumerate(records_of(records, "safety_acknowledgements")):
        try:
            encoding.require(record, "rule", "day", "message")
            day = encoding.parse_day(record["day"], "day")
            regimen = lookup.regimen(record["regimen"]) if record.get("regimen") else None
        except RecordError as error:
            problem(context, "safety_acknowledgements", index, record, error)
            continue
        if (record["rule"], day, record["message"]) in have:
            continue
        SafetyAcknowledgement.objects.create(
            user=user, rule=str(record["rule"])[:60], day=day, message=str(record["message"]), regimen=regimen
        )
        have.add((record["rule"], day, record["message"]))
        written += 1
    return written
