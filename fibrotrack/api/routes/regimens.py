"""Starting, changing and stopping regimens, and recording doses: the treatment pages' forms and actions.

Each write binds the same form the page binds and calls the same ``do_*``
action, so the API adds no rules of its own. Where the page asks the person
to tick "I have read this warning" (treatments/safety.py: naltrexone with an
opioid, and the like), the API answers 409 with the warning until the body
says ``acknowledged_safety: true``.

On the treatments router: django-ninja serves one path from one router, and
``/regimens`` is read there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from ninja import Status

from fibrotrack.api import schemas
from fibrotrack.api.auth import WRITE, ApiRequest
from fibrotrack.api.errors import WRITE_ERRORS, Invalid, NeedsAcknowledgement, form_errors
from fibrotrack.api.routes.treatments import _dose, _regimen, router
from fibrotrack.diary.forms import check_diary_day
from fibrotrack.lib.dates import diary_day
from fibrotrack.treatments import access, actions, safety
from fibrotrack.treatments.checkin import SECTION
from fibrotrack.treatments.forms import DoseChangeForm, RegimenForm, StopForm
from fibrotrack.treatments.models import DoseLog, Treatment


def _warnings(findings: list[safety.Finding]) -> list[str]:
    return [f"{f.title}: {f.message} {f.disclaimer}" for f in findings]


def _treatment_pk(payload: schemas.RegimenIn, treatments: list[Treatment]) -> str:
    """The form's choice (a primary key) for the key or id the body names; "" lets the form refuse."""
    if (payload.treatment_key is None) == (payload.treatment_id is None):
        raise Invalid(gettext("Name the treatment with either treatment_key or treatment_id."))
    if payload.treatment_id is not None:
        return str(payload.treatment_id)
    # Compared here rather than in a query: a key is any text the client sent.
    found = [t for t in treatments if t.key == payload.treatment_key]
    own = [t for t in found if t.user_id is not None]
    chosen = own or found
    return str(chosen[0].pk) if chosen else ""


@router.post("/regimens", response={201: schemas.RegimenSaved, **WRITE_ERRORS}, auth=WRITE, url_name="regimen_add")
def start_regimen(request: ApiRequest, payload: schemas.RegimenIn) -> Any:
    """Start a treatment from the catalogue or one of your own. Discuss any change with your prescriber.

    When the page would ask you to confirm a safety warning, this answers 409
    with the warning; read it and send the same body with
    ``acknowledged_safety: true``.
    """
    user: Any = request.auth
    today = diary_day(user)
    treatments = list(access.treatments_for_user(user))
    data = {
        "treatment": _treatment_pk(payload, treatments),
        "amount": payload.amount or "",
        "unit": payload.unit,
        "form": payload.form,
        "schedule": payload.schedule,
        "times": ", ".join(payload.times),
        "doses_per_day": "" if payload.doses_per_day is None else str(payload.doses_per_day),
        "weekdays": [str(d) for d in payload.weekdays],
        "started_on": (payload.started_on or today).isoformat(),
        "stopped_on": payload.stopped_on.isoformat() if payload.stopped_on else "",
        "stop_reason": payload.stop_reason,
        "plan": payload.plan,
        "prescriber": payload.prescriber,
        "note": payload.note,
        "acknowledge": "on" if payload.acknowledged_safety else "",
    }
    if payload.plan == "custom":
        raise Invalid(gettext("A custom titration plan can only be made on the treatment page for now."))
    form = RegimenForm(
        data, user=user, today=today, treatments=treatments, others=list(access.regimens_with_treatment(user))
    )
    if not form.is_valid():
        if form.blocking_findings and set(form.errors) == {"acknowledge"}:
            raise NeedsAcknowledgement(form.blocking_findings)
        errors = [e for e in form_errors(form) if e["loc"] != ["acknowledge"]]
        raise Invalid(gettext("The treatment needs another look."), errors)
    regimen = actions.do_start_regimen(user, form.to_data(), today=today, acknowledged=form.findings)
    regimen = access.get_regimen_for_user(user, regimen.pk)
    notes = [f for f in form.findings if not f.blocking]
    return Status(201, {**_regimen(regimen), "warnings": _warnings(notes)})


@router.post(
    "/regimens/{regimen_id}/dose-changes",
    response={200: schemas.RegimenSaved, 201: schemas.RegimenSaved, **WRITE_ERRORS},
    auth=WRITE,
    url_name="regimen_dose_change",
)
def change_dose(request: ApiRequest, regimen_id: int, payload: schemas.DoseChangeIn) -> Any:
    """Change the dose from a day on; the earlier doses stay in the history.

    The same change sent again (same day, amount, unit and reason) is kept
    once: 200 instead of 201.
    """
    user: Any = request.auth
    today = diary_day(user)
    regimen = access.get_regimen_for_user(user, regimen_id)
    data = {
        "effective_on": (payload.effective_on or today).isoformat(),
        "amount": payload.amount,
        "unit": regimen.unit if payload.unit is None else payload.unit,
        "reason": payload.reason,
        "note": payload.note,
    }
    form = DoseChangeForm(data, regimen=regimen, today=today)
    if not form.is_valid():
        raise Invalid(gettext("The dose change needs another look."), form_errors(form))
    cd = form.cleaned_data
    same = [
        c
        for c in regimen.dose_changes.all()
        if (c.effective_on, c.amount, c.unit, c.reason) == (cd["effective_on"], cd["amount"], cd["unit"], cd["reason"])
    ]
    status = 200
    if not same:
        actions.do_change_dose(regimen, **cd)
        status = 201
    return Status(status, {**_regimen(access.get_regimen_for_user(user, regimen_id)), "warnings": []})


@router.post(
    "/regimens/{regimen_id}/stop",
    response={200: schemas.RegimenSaved, **WRITE_ERRORS},
    auth=WRITE,
    url_name="regimen_stop",
)
def stop_regimen(request: ApiRequest, regimen_id: int, payload: schemas.StopIn) -> Any:
    """Record the last day you took it and why. Sending it again changes nothing.

    Stopping some treatments changes what is safe afterwards (``warnings``).
    """
    user: Any = request.auth
    today = diary_day(user)
    regimen = access.get_regimen_for_user(user, regimen_id)
    data = {"stopped_on": (payload.stopped_on or today).isoformat(), "reason": payload.reason, "note": payload.note}
    form = StopForm(data, regimen=regimen, today=today)
    if not form.is_valid():
        raise Invalid(gettext("The stop needs another look."), form_errors(form))
    actions.do_stop_regimen(
        regimen,
        stopped_on=form.cleaned_data["stopped_on"],
        reason=form.cleaned_data["reason"],
        note=form.cleaned_data["note"],
    )
    notes = safety.check_stopped(regimen.course(), today)
    return {**_regimen(access.get_regimen_for_user(user, regimen_id)), "warnings": _warnings(notes)}


@router.put(
    "/regimens/{regimen_id}/doses/{day}",
    response={200: schemas.DoseSaved, **WRITE_ERRORS},
    auth=WRITE,
    url_name="dose_save",
)
def record_dose(request: ApiRequest, regimen_id: int, day: dt.date, payload: schemas.DoseIn) -> Any:
    """Record one dose as taken, skipped or different, through the check-in's treatment questions.

    A dose is its regimen, day and slot: sending it again changes nothing
    (``changed: false``). Taking an opioid while on naltrexone asks for
    ``acknowledged_safety`` as the check-in does (409 with the warning).
    """
    user: Any = request.auth
    regimen = access.get_regimen_for_user(user, regimen_id)
    try:
        check_diary_day(day, diary_day(user))
    except DjangoValidationError as error:
        raise Invalid(error.messages[0]) from None
    key = f"{regimen.pk}_{payload.slot}"
    data = {f"tx-dose_{key}": payload.status, f"tx-amount_{key}": payload.amount or ""}
    if payload.acknowledged_safety:
        data["tx-opioid_ack"] = "on"
    form = SECTION.get_form(user, day, data)
    if form is None or f"dose_{key}" not in form.fields:
        raise Invalid(gettext("This treatment has no such dose on that day."))
    if not form.is_valid():
        if set(form.errors) == {"opioid_ack"} and form.question is not None:
            raise NeedsAcknowledgement([form.question])
        # The check-in's field names carry the regimen and slot; the body's do not.
        names = {f"dose_{key}": "status", f"amount_{key}": "amount", "opioid_ack": "acknowledged_safety"}
        errors = [{**e, "loc": [names.get(e["loc"][0], e["loc"][0])]} for e in form_errors(form)]
        raise Invalid(gettext("The dose needs another look."), errors)
    changed = form.save(user, day)
    log = DoseLog.objects.filter(regimen=regimen, day=day, slot=payload.slot).first()
    if log is None:  # cleared (an as-needed dose answered "none")
        cleared = {"regimen_id": regimen.pk, "day": day, "slot": payload.slot, "status": "", "amount": None}
        return {**cleared, "unit": "", "changed": changed}
    return {**_dose(log), "changed": changed}
