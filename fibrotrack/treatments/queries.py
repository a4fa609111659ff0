"""Read models over treatments, for these pages and for other apps (trials, reports).

Everything takes regimens from ``access`` (so they are already scoped to one
person) and works in a constant number of queries, whatever the number of
regimens or days:

* ``dose_in_force(regimen, start, end)``: the dose on every day;
* ``adherence_by_day(regimen, start, end)``: share of expected doses taken;
* ``treatment_changes(user, start, end)``: every start, stop and change of
  dose in a date range (the confounders of an n-of-1 trial).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext, pgettext

from fibrotrack.accounts.models import User
from fibrotrack.lib.series import days
from fibrotrack.treatments import access, adherence, catalogue, titration
from fibrotrack.treatments.models import DoseLog, Regimen, SideEffect
from fibrotrack.treatments.safety import Course
from fibrotrack.treatments.schedule import Slot


def dose_in_force(regimen: Regimen, start: dt.date, end: dt.date) -> dict[dt.date, titration.Dose | None]:
    return titration.doses_between(regimen.dose_spec(), start, end)


def expected_counts(
    regimen: Regimen, start: dt.date, end: dt.date, doses: dict[dt.date, titration.Dose | None] | None = None
) -> dict[dt.date, int]:
    """day -> number of expected doses (0 on pauses, days off and outside the regimen)."""
    rule = regimen.schedule_rule
    if not rule.has_expected_doses:
        return {}
    doses = doses if doses is not None else dose_in_force(regimen, start, end)
    out = {}
    for day in days(start, end):
        dose = doses.get(day)
        out[day] = len(rule.slots(day)) if dose is not None and not dose.is_pause else 0
    return out


def logged_statuses(
    regimens: Sequence[Regimen], start: dt.date, end: dt.date
) -> dict[int, dict[tuple[dt.date, int], str]]:
    """regimen id -> {(day, slot): status}, in one query."""
    out: dict[int, dict[tuple[dt.date, int], str]] = {r.pk: {} for r in regimens}
    rows = DoseLog.objects.filter(regimen__in=[r.pk for r in regimens], day__range=(start, end)).values_list(
        "regimen_id", "day", "slot", "status"
    )
    for regimen_id, day, slot, status in rows:
        out[regimen_id][(day, slot)] = status
    return out


def regimen_span(regimen: Regimen, today: dt.date) -> tuple[dt.date, dt.date]:
    """From the start to the stop, or to today for a regimen still going."""
    end = min(regimen.stopped_on, today) if regimen.stopped_on else today
    return regimen.started_on, max(end, regimen.started_on)


def adherence_tally(
    regimen: Regimen, start: dt.date, end: dt.date, today: dt.date, logged: dict[tuple[dt.date, int], str]
) -> adherence.Tally | None:
    """None for as-needed regimens: they have nothing expected to measure against."""
    if not regimen.has_expected_doses:
        return None
    return adherence.tally(expected_counts(regimen, start, end), logged, today)


def adherence_by_day(
    regimen: Regimen, start: dt.date, end: dt.date, today: dt.date | None = None
) -> dict[dt.date, float | None]:
    """day -> share of expected doses taken; None where nothing was expected. Two queries at most."""
    today = today or end
    logged = logged_statuses([regimen], start, end)[regimen.pk]
    return adherence.daily(expected_counts(regimen, start, end), logged, today)


def courses(regimens: Iterable[Regimen]) -> list[Course]:
    return [r.course() for r in regimens]


@dataclass(frozen=True)
class TreatmentChange:
    day: dt.date
    regimen_id: int
    name: str
    kind: str  # "started", "stopped" or "dose"
    label: str


def changes_for(regimen: Regimen, start: dt.date, end: dt.date) -> list[TreatmentChange]:
    name = regimen.display_name
    out = []
    for step in titration.transitions(regimen.dose_spec(), end):
        if not start <= step.day <= end:
            continue
        if step.day == regimen.started_on:
            out.append(
                TreatmentChange(
                    step.day,
                    regimen.pk,
                    name,
                    "started",
                    gettext("%(name)s started, %(dose)s") % {"name": name, "dose": step.label},
                )
            )
        else:
            out.append(
                TreatmentChange(
                    step.day,
                    regimen.pk,
                    name,
                    "dose",
                    pgettext("a treatment's dose changed to", "%(name)s %(dose)s") % {"name": name, "dose": step.label},
                )
            )
    if regimen.stopped_on and start <= regimen.stopped_on <= end:
        out.append(
            TreatmentChange(
                regimen.stopped_on, regimen.pk, name, "stopped", gettext("%(name)s stopped") % {"name": name}
            )
        )
    return out


def treatment_changes(
    user: User, start: dt.date, end: dt.date, exclude: Regimen | int | None = None
) -> list[TreatmentChange]:
    """Every treatment start, stop and dose change between ``start`` and ``end``, by day. Two queries."""
    exclude_id = exclude.pk if isinstance(exclude, Regimen) else exclude
    regimens = access.regimens_for_user(user).filter(started_on__lte=end).exclude(stopped_on__lt=start)
    out = [c for r in regimens if r.pk != exclude_id for c in changes_for(r, start, end)]
    return sorted(out, key=lambda c: (c.day, c.name))


@dataclass
class DueDose:
    """One dose to answer in the check-in."""

    regimen: Regimen
    slot: Slot
    dose: titration.Dose | None
    as_needed: bool = False
    status: str = ""
    amount: object = None

    @property
    def key(self) -> str:
        return f"{self.regimen.pk}_{self.slot.index}"

    @property
    def dose_text(self) -> str:
        if self.dose is None or self.dose.amount is None:
            return ""
        return catalogue.dose_text(self.dose.amount, self.dose.unit)


def due_doses(regimens: Iterable[Regimen], day: dt.date) -> list[DueDose]:
    """The doses expected on ``day`` (plus one entry per as-needed regimen), with any answers given."""
    active = [r for r in regimens if r.is_active_on(day)]
    due: list[DueDose] = []
    for regimen in active:
        dose = titration.expected_dose(regimen.dose_spec(), day)
        if not regimen.has_expected_doses:
            due.append(DueDose(regimen, Slot(0, gettext("as needed")), dose, as_needed=True))
        elif dose is not None and not dose.is_pause:
            due += [DueDose(regimen, slot, dose) for slot in regimen.schedule_rule.slots(day)]
    if due:
        logs = {
            (log.regimen_id, log.slot): log
            for log in DoseLog.objects.filter(regimen__in=[d.regimen.pk for d in due], day=day)
        }
        for item in due:
            if log := logs.get((item.regimen.pk, item.slot.index)):
                item.status, item.amount = log.status, log.amount
    return due


def side_effect_reports(effects: Sequence[SideEffect], start: dt.date, end: dt.date) -> dict[int, dict[dt.date, str]]:
    """side effect id -> {day: severity}, in one query."""
    from fibrotrack.treatments.models import SideEffectReport

    out: dict[int, dict[dt.date, str]] = defaultdict(dict)
    rows = SideEffectReport.objects.filter(side_effect__in=[e.pk for e in effects], day__range=(start, end))
    for side_effect_id, day, severity in rows.values_list("side_effect_id", "day", "severity"):
        out[side_effect_id][day] = severity
    return out


@dataclass(frozen=True)
class SeriousReport:
    """A serious side effect reported in a period: what, on which days, suspected of what."""

    name: str
    days: list[dt.date]
    treatment: str


def serious_side_effects(user: User, start: dt.date, end: dt.date) -> list[SeriousReport]:
    """Serious side effects (``catalogue.is_serious``) reported between ``start`` and ``end``, in one query."""
    from fibrotrack.treatments import catalogue
    from fibrotrack.treatments.models import SideEffectReport

    rows = (
        SideEffectReport.objects.filter(side_effect__user=user, day__range=(start, end))
        .select_related("side_effect__regimen__treatment")
        .order_by("side_effect__onset_on", "side_effect_id", "day")
    )
    found: dict[int, SeriousReport] = {}
    for report in rows:
        effect = report.side_effect
        treatment = effect.regimen.treatment if effect.regimen else None
        catalogue_key = treatment.key if treatment is not None and treatment.user_id is None else None
        if not catalogue.is_serious(effect.key, catalogue_key):
            continue
        if effect.pk not in found:
            found[effect.pk] = SeriousReport(effect.name, [], treatment.name if treatment else "")
        found[effect.pk].days.append(report.day)
    return list(found.values())
