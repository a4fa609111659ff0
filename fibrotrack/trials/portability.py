"""Trials in the JSON export and import: ``export_trials(user)`` and ``import_trials(user, records)``.

The export is complete: plan, phases (with the treatment entries linked, by
catalogue key and start date), the pre-registration log with its hashes,
assessments, unblinding events and the allocation's seal. The allocation
itself is included only once the participant may see it (never blinded, or
unblinded): an export made mid-trial must not break the blind. The custodian
is another person, so only the fact that there was one is exported.

Import is idempotent (a trial is identified by its ``uuid``) and lossless:
re-exporting an imported account gives the same records. The log is stored
verbatim, so its hashes still verify. Limitation: a trial exported while
still blinded comes back without its allocation, so it cannot be unblinded
in the new account (the custodian still knows it).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fibrotrack.diary.measures import KINDS as MEASURE_KINDS
from fibrotrack.diary.models import TrackedSymptom
from fibrotrack.treatments.models import Regimen
from fibrotrack.trials import access, protocols, words
from fibrotrack.trials.models import (
    Allocation,
    Assessment,
    Phase,
    PreRegistrationEntry,
    Trial,
    UnblindingEvent,
)

FORMAT = "fibrotrack.trials/1"


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _symptom(s: TrackedSymptom) -> dict[str, Any]:
    return {
        "key": s.key,
        "name": s.name,
        "scale_min": s.scale_min,
        "scale_max": s.scale_max,
        "lower_is_better": s.lower_is_better,
    }


def export_trials(user: Any) -> list[dict[str, Any]]:
    out = []
    trials = access.trials_for_user(user).prefetch_related("prereg_entries", "assessments").order_by("created_at", "pk")
    for t in trials:
        allocation = t.allocation_or_none()
        record: dict[str, Any] = {
            "format": FORMAT,
            "uuid": str(t.uuid),
            "title": t.title,
            "template": t.template,
            "status": t.status,
            "blinded": t.blinded,
            "treatment_name": t.treatment_name,
            "control_name": t.control_name,
            "primary_outcome": _symptom(t.primary_outcome),
            "secondary_outcomes": [_symptom(s) for s in sorted(t.secondary_outcomes.all(), key=lambda s: s.key)],
            "secondary_measures": list(t.secondary_measures),
            "comparisons": [list(c) for c in t.comparisons],
            "threshold_pct": t.threshold_pct,
            "endpoint_last_days": t.endpoint_last_days,
            "weather_covariate": t.weather_covariate,
            "assessment_every_days": t.assessment_every_days,
            "start_date": _iso(t.start_date),
            "started_at": _iso(t.started_at),
            "ended_at": _iso(t.ended_at),
            "stopped_on": _iso(t.stopped_on),
            "stop_reason": t.stop_reason,
            "created_at": _iso(t.created_at),
            "had_custodian": t.had_custodian or t.custodian_id is not None,
            "phases": [
                {
                    "position": p.position,
                    "kind": p.kind,
                    "days": p.days,
                    "counts_in_analysis": p.counts_in_analysis,
                    "blinded": p.blinded,
                    "block": p.block,
                    "regimens": sorted(
                        (
                            {
                                "treatment": r.treatment.key,
                                "name": r.treatment.name,
                                "started_on": r.started_on.isoformat(),
                            }
                            for r in p.regimens.all()
                        ),
                        key=lambda r: (r["treatment"], r["started_on"]),
                    ),
                }
                for p in t.phases.all()
            ],
            "preregistration": [e.as_record() for e in t.prereg_entries.all()],
            "assessments": [
                {
                    "measured_on": a.measured_on.isoformat(),
                    "kind": a.kind,
                    "value": str(a.value),
                    "censored": a.censored,
                    "cap": None if a.cap is None else str(a.cap),
                    "site": a.site,
                    "note": a.note,
                    "entered_role": a.entered_role,
                    "created_at": a.created_at.isoformat(),
                }
                for a in t.assessments.all()
            ],
            "unblinding": [
                {
                    "kind": u.kind,
                    "reason": u.reason,
                    "by_role": u.by_role,
                    "day": u.day.isoformat(),
                    "created_at": u.created_at.isoformat(),
                }
                for u in t.unblindings.all()
            ],
            "allocation_seal": allocation.digest if allocation else None,
            "allocation": None,
        }
        if allocation is not None and access.may_see_allocation(t, "participant"):
            record["allocation"] = {
                "payload": allocation.payload,
                "digest": allocation.digest,
                "created_at": allocation.created_at.isoformat(),
            }
        out.append(record)
    return out


class ImportError_(ValueError):
    pass


def _date(value: Any, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as error:
        raise ImportError_(
            _("trial field '%(field)s': '%(value)s' is not a date") % {"field": field, "value": value}
        ) from error


def _datetime(value: Any, field: str) -> dt.datetime | None:
    if value in (None, ""):
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError as error:
        raise ImportError_(
            _("trial field '%(field)s': '%(value)s' is not a date and time") % {"field": field, "value": value}
        ) from error
    if parsed.tzinfo is None:
        raise ImportError_(
            _("trial field '%(field)s': '%(value)s' has no time zone") % {"field": field, "value": value}
        )
    return parsed


def _req_date(value: Any, field: str) -> dt.date:
    parsed = _date(value, field)
    if parsed is None:
        raise ImportError_(_("trial field '%(field)s' is missing") % {"field": field})
    return parsed


def _req_datetime(value: Any, field: str) -> dt.datetime:
    parsed = _datetime(value, field)
    if parsed is None:
        raise ImportError_(_("trial field '%(field)s' is missing") % {"field": field})
    return parsed


def _measures(found: Any) -> list[str]:
    """The device measures a trial analyses; unknown kinds are left out."""
    return [k for k in MEASURE_KINDS if isinstance(found, list) and k in found]


def _get_symptom(user: Any, data: dict[str, Any]) -> TrackedSymptom:
    if not isinstance(data, dict) or not data.get("key"):
        raise ImportError_(_("an outcome needs a 'key'"))
    symptom, _created = TrackedSymptom.objects.get_or_create(
        user=user,
        key=str(data["key"])[:40],
        defaults={
            "name": str(data.get("name") or data["key"])[:40],
            "scale_min": int(data.get("scale_min", 0)),
            "scale_max": int(data.get("scale_max", 10)),
            "lower_is_better": bool(data.get("lower_is_better", True)),
            "is_active": False,
            "is_custom": True,
        },
    )
    return symptom


def _decimal(value: Any, field: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise ImportError_(
            _("assessment field '%(field)s': '%(value)s' is not a number") % {"field": field, "value": value}
        ) from error


def _import_one(user: Any, r: dict[str, Any], regimens: dict[tuple[str, str], Regimen]) -> None:
    if r.get("template") not in protocols.TEMPLATE_NAMES:
        raise ImportError_(_("unknown trial design '%(value)s'") % {"value": r.get("template")})
    if r.get("status") not in Trial.Status.values:
        raise ImportError_(_("unknown trial status '%(value)s'") % {"value": r.get("status")})
    trial = Trial.objects.create(
        uuid=uuid.UUID(str(r["uuid"])),
        user=user,
        title=str(r.get("title", ""))[:100] or words.IMPORTED_TITLE,
        template=r["template"],
        status=r["status"],
        blinded=bool(r.get("blinded")),
        treatment_name=str(r.get("treatment_name") or words.DEFAULT_TREATMENT)[:80],
        control_name=str(r.get("control_name") or words.DEFAULT_CONTROL)[:80],
        primary_outcome=_get_symptom(user, r["primary_outcome"]),
        secondary_measures=_measures(r.get("secondary_measures")),
        comparisons=[[str(a), str(b)] for a, b in r.get("comparisons", [])],
        threshold_pct=int(r.get("threshold_pct", 30)),
        endpoint_last_days=bool(r.get("endpoint_last_days")),
        weather_covariate=bool(r.get("weather_covariate")),
        assessment_every_days=int(r.get("assessment_every_days", 0)),
        start_date=_date(r.get("start_date"), "start_date"),
        started_at=_datetime(r.get("started_at"), "started_at"),
        ended_at=_datetime(r.get("ended_at"), "ended_at"),
        stopped_on=_date(r.get("stopped_on"), "stopped_on"),
        stop_reason=str(r.get("stop_reason", "")),
        had_custodian=bool(r.get("had_custodian")),
    )
    created = _datetime(r.get("created_at"), "created_at")
    if created is not None:
        Trial.objects.filter(pk=trial.pk).update(created_at=created)
    trial.secondary_outcomes.set([_get_symptom(user, s) for s in r.get("secondary_outcomes", [])])
    for p in r.get("phases", []):
        days = int(p["days"])
        if days < 1:
            raise ImportError_(
                _("phase %(number)s has %(days)s days; a phase needs at least 1")
                % {"number": p.get("position"), "days": days}
            )
        if p.get("kind") not in protocols.KINDS:
            raise ImportError_(_("unknown phase kind '%(value)s'") % {"value": p.get("kind")})
        phase = Phase.objects.create(
            trial=trial,
            position=int(p["position"]),
            kind=p["kind"],
            days=days,
            counts_in_analysis=bool(p.get("counts_in_analysis", True)),
            blinded=bool(p.get("blinded")),
            block=p.get("block"),
        )
        linked = [
            regimens[k] for ref in p.get("regimens", []) if (k := (ref["treatment"], ref["started_on"])) in regimens
        ]
        phase.regimens.set(linked)
    for e in r.get("preregistration", []):
        PreRegistrationEntry.objects.create(
            trial=trial,
            seq=int(e["seq"]),
            kind=e["kind"],
            reason=e.get("reason", ""),
            payload=e["payload"],
            created_at=_req_datetime(e["created_at"], "preregistration.created_at"),
            prev_hash=e["prev_hash"],
            hash=e["hash"],
        )
    allocation = r.get("allocation")
    if allocation:
        Allocation.objects.create(
            trial=trial,
            payload=allocation["payload"],
            digest=allocation["digest"],
            created_at=_req_datetime(allocation["created_at"], "allocation.created_at"),
        )
    for u in r.get("unblinding", []):
        UnblindingEvent.objects.create(
            trial=trial,
            kind=u["kind"],
            reason=u.get("reason", ""),
            by_role=u.get("by_role", "participant"),
            day=_req_date(u["day"], "unblinding.day"),
            created_at=_req_datetime(u["created_at"], "unblinding.created_at"),
        )
    for a in r.get("assessments", []):
        if a.get("kind") not in Assessment.UNITS:
            raise ImportError_(_("unknown assessment '%(value)s'") % {"value": a.get("kind")})
        Assessment.objects.create(
            trial=trial,
            measured_on=_req_date(a["measured_on"], "assessment.measured_on"),
            kind=a["kind"],
            value=_decimal(a["value"], "value"),
            censored=bool(a.get("censored")),
            cap=None if a.get("cap") is None else _decimal(a["cap"], "cap"),
            site=a.get("site", ""),
            note=a.get("note", ""),
            entered_role=a.get("entered_role", "participant"),
            created_at=_req_datetime(a["created_at"], "assessment.created_at"),
        )


@transaction.atomic
def import_trials(user: Any, records: list[dict[str, Any]]) -> int:
    """Create the trials that are not there yet. Returns how many were created."""
    existing = {str(u) for u in Trial.objects.filter(user=user).values_list("uuid", flat=True)}
    regimens = {
        (r.treatment.key, r.started_on.isoformat()): r
        for r in Regimen.objects.filter(user=user).select_related("treatment")
    }
    created = 0
    for record in records:
        if not isinstance(record, dict) or "uuid" not in record:
            raise ImportError_(_("each trial needs a 'uuid'"))
        try:
            key = str(uuid.UUID(str(record["uuid"])))
        except ValueError as error:
            raise ImportError_(_("'%(value)s' is not a trial id") % {"value": record["uuid"]}) from error
        if key in existing:
            continue
        try:
            _import_one(user, record, regimens)
        except (KeyError, TypeError) as error:
            raise ImportError_(
                _("trial '%(title)s' is incomplete: %(error)s") % {"title": record.get("title", key), "error": error}
            ) from error
        existing.add(key)
        created += 1
    return created
