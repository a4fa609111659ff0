"""Treatments, regimens, doses and side effects: read through treatments.access, written through its actions."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from ninja import Query, Router, Status

from fibrotrack.api import schemas
from fibrotrack.api.auth import WRITE, ApiRequest
from fibrotrack.api.errors import READ_ERRORS, WRITE_ERRORS, Invalid, form_errors
from fibrotrack.api.routes.diary import Period, _period
from fibrotrack.lib.dates import diary_day
from fibrotrack.treatments import access, actions
from fibrotrack.treatments.forms import SideEffectForm
from fibrotrack.treatments.models import DoseLog, Regimen, SideEffect, Treatment

router = Router(tags=["treatments"])


def _treatment(t: Treatment) -> dict[str, Any]:
    return {"id": t.pk, "key": t.key, "name": t.name, "category": t.category, "is_own": t.user_id is not None}


def _regimen(r: Regimen) -> dict[str, Any]:
    return {
        "id": r.pk,
        "treatment": _treatment(r.treatment),
        "unit": r.unit,
        "form": r.form,
        "schedule": r.schedule,
        "started_on": r.started_on,
        "stopped_on": r.stopped_on,
        "stop_reason": r.stop_reason,
        "prescriber": r.prescriber,
        "note": r.note,
        "dose_changes": [
            {"effective_on": c.effective_on, "amount": str(c.amount), "unit": c.unit, "reason": c.reason}
            for c in r.dose_changes.all()
        ],
    }


def _dose(d: DoseLog) -> dict[str, Any]:
    return {
        "regimen_id": d.regimen_id,
        "day": d.day,
        "slot": d.slot,
        "status": d.status,
        "amount": None if d.amount is None else str(d.amount),
        "unit": d.unit,
    }


def _side_effect(e: SideEffect) -> dict[str, Any]:
    return {
        "id": e.pk,
        "key": e.key,
        "name": e.name,
        "severity": e.severity,
        "onset_on": e.onset_on,
        "is_ongoing": e.is_ongoing,
        "ended_on": e.ended_on,
        "regimen_id": e.regimen_id,
        "note": e.note,
    }


@router.get("/treatments", response={200: list[schemas.Treatment], **READ_ERRORS}, url_name="treatments")
def list_treatments(request: ApiRequest) -> Any:
    """The catalogue and the treatments you added yourself."""
    return [_treatment(t) for t in access.treatments_for_user(request.auth)]


@router.get("/regimens", response={200: list[schemas.Regimen], **READ_ERRORS}, url_name="regimens")
def list_regimens(request: ApiRequest) -> Any:
    """Every course of a treatment you have recorded, newest first, with its dose changes."""
    return [_regimen(r) for r in access.regimens_for_user(request.auth)]


@router.get("/regimens/{regimen_id}", response={200: schemas.Regimen, **READ_ERRORS}, url_name="regimen")
def get_regimen(request: ApiRequest, regimen_id: int) -> Any:
    return _regimen(access.get_regimen_for_user(request.auth, regimen_id))


@router.get("/doses", response={200: list[schemas.Dose], **READ_ERRORS}, url_name="doses")
def list_doses(request: ApiRequest, period: Query[Period]) -> Any:
    """Doses recorded as taken, skipped or different, from ``start`` to ``end`` (at most 400 days)."""
    user: Any = request.auth
    start, end = _period(user, period)
    logs = access.dose_logs_for_user(user).filter(day__range=(start, end)).order_by("day", "regimen_id", "slot")
    return [_dose(d) for d in logs]


@router.get("/side-effects", response={200: list[schemas.SideEffect], **READ_ERRORS}, url_name="side_effects")
def list_side_effects(request: ApiRequest) -> Any:
    return [_side_effect(e) for e in access.side_effects_for_user(request.auth)]


@router.get("/side-effects/{effect_id}", response={200: schemas.SideEffect, **READ_ERRORS}, url_name="side_effect")
def get_side_effect(request: ApiRequest, effect_id: int) -> Any:
    return _side_effect(access.get_side_effect_for_user(request.auth, effect_id))


def _same_effect(user: Any, values: dict[str, Any]) -> SideEffect | None:
    """The side effect already recorded with exactly these answers: a retry, not a second episode."""
    regimen = values["regimen"]
    found = access.side_effects_for_user(user).filter(
        onset_on=values["onset_on"],
        severity=values["severity"],
        is_ongoing=values["is_ongoing"],
        ended_on=values["ended_on"],
        regimen=regimen,
    )
    # Names and notes compared as the action stores them (stripped), here rather than in SQL.
    note = values["note"].strip()
    return next((e for e in found if e.name == values["name"] and e.note == note), None)


@router.post(
    "/side-effects",
    response={200: schemas.SideEffect, 201: schemas.SideEffect, **WRITE_ERRORS},
    auth=WRITE,
    url_name="side_effect_add",
)
def add_side_effect(request: ApiRequest, payload: schemas.SideEffectIn) -> Any:
    """Record a side effect, optionally with the regimen you suspect. Talk to your doctor about it too.

    The same side effect sent again (every answer the same) is kept once: 200 instead of 201.
    """
    user: Any = request.auth
    regimens = list(access.regimens_with_treatment(user))
    form = SideEffectForm(
        {
            "name": payload.name,
            "severity": payload.severity,
            "onset_on": payload.onset_on.isoformat(),
            "is_ongoing": "yes" if payload.is_ongoing else "no",
            "ended_on": payload.ended_on.isoformat() if payload.ended_on else "",
            "regimen": "" if payload.regimen_id is None else str(payload.regimen_id),
            "note": payload.note,
        },
        regimens=regimens,
        today=diary_day(user),
    )
    if not form.is_valid():
        raise Invalid(gettext("The side effect needs another look."), form_errors(form))
    values = form.values()
    same = _same_effect(user, values)
    if same is not None:
        return Status(200, _side_effect(same))
    return Status(201, _side_effect(actions.do_log_side_effect(user, **values)))
