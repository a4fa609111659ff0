"""Lab visits: placed at randomisation from the protocol, measured by the blinded assessor, or marked missed.

A visit is stored with calendar dates only (its day and window). Which
condition it falls in is the allocation: the pages never show it, so the
blinded assessor cannot learn a participant's order from a visit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from fibrotrack.studies import designs, roles
from fibrotrack.studies.access import StaffView, check_role
from fibrotrack.studies.models import LabMeasure, Participant, StudyVisit

#: What each measure can be (as personal trials' assessments): below or above is a typing mistake.
RANGES = {"pressure_kpa": (0, 2000), "heat_c": (30, 55), "cold_c": (-5, 32), "cold_pressor_s": (0, 600)}
# SI symbols, the same in every language; "s" is marked so that a language that writes it otherwise can.
UNITS = {
    "pressure_kpa": "kPa",
    "heat_c": "°C",
    "cold_c": "°C",
    "cold_pressor_s": pgettext_lazy("seconds (symbol)", "s"),
}
COLD_PRESSOR = "cold_pressor_s"

DONE, MISSED, WINDOW_PASSED, OPEN, UPCOMING, NOT_DUE = "done", "missed", "window_passed", "open", "upcoming", "not_due"


def create_visits(participant: Participant, protocol: designs.Protocol, sequence: str) -> list[StudyVisit]:
    """The participant's visits, in calendar dates from their start date."""
    start = participant.start_date
    if start is None:
        return []
    rows = []
    for number, (visit, day) in enumerate(protocol.visit_days(sequence), start=1):
        due = start + dt.timedelta(days=day - 1)
        rows.append(
            StudyVisit(
                participant=participant,
                key=visit.key,
                label=visit.label,
                number=number,
                due_on=due,
                window_start=max(start, due - dt.timedelta(days=visit.window_before)),
                window_end=due + dt.timedelta(days=visit.window_after),
            )
        )
    return StudyVisit.objects.bulk_create(rows)


def visit_status(visit: StudyVisit, today: dt.date, *, measured: bool) -> str:
    """``measured``: the visit has at least one measure (annotated by the list's query)."""
    if measured:
        return DONE
    if visit.missed_at is not None:
        return MISSED
    if visit.participant.status == Participant.Status.WITHDRAWN:
        return NOT_DUE
    if today > visit.window_end:
        return WINDOW_PASSED
    if today >= visit.window_start:
        return OPEN
    return UPCOMING


@dataclass
class MeasuresData:
    measured_on: dt.date
    values: dict[str, Decimal | None]
    at_cap: bool = False


def _cap(protocol_json: dict[str, Any]) -> Decimal:
    return Decimal(designs.Protocol.from_json(protocol_json).cold_pressor_cap_s)


def _check_visit_open(visit: StudyVisit) -> None:
    if visit.participant.status not in (Participant.Status.ACTIVE, Participant.Status.COMPLETED):
        raise ValidationError(_("This participant is not taking part any more, so nothing can be entered."))
    if visit.participant.study.locked_at is not None:
        raise ValidationError(_("The dataset is locked: nothing can be changed."))


@transaction.atomic
def do_record_measures(view: StaffView, visit: StudyVisit, data: MeasuresData, today: dt.date) -> list[LabMeasure]:
    """Enter (or correct) the visit's measures. The cold-pressor time is censored at the protocol's cap."""
    check_role(view, roles.ENTERS_MEASURES, _("enter lab measures"))
    _check_visit_open(visit)
    start = visit.participant.start_date
    if data.measured_on > today:
        raise ValidationError(_("That day hasn’t happened yet."))
    if start is not None and data.measured_on < start:
        raise ValidationError(_("That day is before the participant started the study."))
    values = {k: v for k, v in data.values.items() if v is not None}
    if not values:
        raise ValidationError(_("Enter at least one measure."))
    cap = _cap(view.study.protocol)
    now = timezone.now()
    saved = []
    for kind, value in values.items():
        if kind not in RANGES:
            raise ValidationError(_("Unknown measure."))
        low, high = RANGES[kind]
        if not low <= value <= high:
            raise ValidationError(
                _("%(measure)s should be between %(low)s and %(high)s %(unit)s.")
                % {"measure": designs.MEASURES[kind], "low": low, "high": high, "unit": UNITS[kind]}
            )
        censored, measure_cap = False, None
        if kind == COLD_PRESSOR:
            if value > cap:
                raise ValidationError(
                    _("The cold-pressor time cannot be longer than the protocol’s cap (%(cap)s seconds).")
                    % {"cap": f"{cap.normalize():f}"}
                )
            # Stopped at the cap: the true tolerance is at least that long (a censored value).
            if data.at_cap or value == cap:
                censored, measure_cap, value = True, cap, cap
        measure, _created = LabMeasure.objects.update_or_create(
            visit=visit,
            kind=kind,
            defaults={
                "value": value,
                "censored": censored,
                "cap": measure_cap,
                "measured_on": data.measured_on,
                "entered_by": view.membership.user,
                "entered_role": view.role,
                "updated_at": now,
            },
        )
        saved.append(measure)
    if visit.missed_at is not None:
        # Measured after all (e.g. marked missed by mistake): the visit is no longer missed.
        visit.missed_at, visit.missed_reason, visit.missed_by = None, "", None
        visit.save(update_fields=["missed_at", "missed_reason", "missed_by"])
    return saved


@transaction.atomic
def do_mark_missed(view: StaffView, visit: StudyVisit, reason: str, today: dt.date) -> StudyVisit:
    check_role(view, roles.ENTERS_MEASURES, _("mark a visit as missed"))
    _check_visit_open(visit)
    if not reason.strip():
        raise ValidationError(_("Say why the visit was missed: it is kept with the study’s data."))
    if visit.measures.exists():
        raise ValidationError(_("This visit has measures, so it was not missed."))
    if today < visit.window_start:
        raise ValidationError(_("This visit’s window has not opened yet."))
    visit.missed_at, visit.missed_reason, visit.missed_by = timezone.now(), reason.strip(), view.membership.user
    visit.save(update_fields=["missed_at", "missed_reason", "missed_by"])
    return visit
