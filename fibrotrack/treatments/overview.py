"""Read models for the treatment pages, each in a constant number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext, pgettext

from fibrotrack.accounts.models import User
from fibrotrack.lib import charts
from fibrotrack.lib.series import days
from fibrotrack.treatments import access, adherence, catalogue, queries, safety, titration
from fibrotrack.treatments.models import DoseChange, DoseLog, Regimen, SideEffect

RECENT_DAYS = 28


@dataclass
class RegimenRow:
    regimen: Regimen
    dose: titration.Dose | None
    tally: adherence.Tally | None
    due_today: int = 0
    logged_today: int = 0

    @property
    def dose_text(self) -> str:
        if self.dose is None:
            return "—"
        if self.dose.is_pause:
            return gettext("paused today (part of the plan)")
        return catalogue.dose_text(self.dose.amount, self.dose.unit)


@dataclass
class ListPage:
    current: list[RegimenRow]
    upcoming: list[RegimenRow]
    past: list[Regimen]
    findings: list[safety.Finding]
    ongoing_effects: list[SideEffect]
    pending_today: int
    recent_start: dt.date


def list_page(user: User, today: dt.date) -> ListPage:
    regimens = list(access.regimens_for_user(user))
    current = [r for r in regimens if r.is_active_on(today)]
    upcoming = [r for r in regimens if r.started_on > today]
    past = [r for r in regimens if r.stopped_on is not None and r.stopped_on < today]
    recent_start = today - dt.timedelta(days=RECENT_DAYS - 1)
    logged = queries.logged_statuses(current, recent_start, today)
    rows = []
    pending = 0
    for regimen in current:
        spec = regimen.dose_spec()
        dose = titration.expected_dose(spec, today)
        start = max(recent_start, regimen.started_on)
        tally = queries.adherence_tally(regimen, start, today, today, logged[regimen.pk])
        due = 0
        if regimen.has_expected_doses and dose is not None and not dose.is_pause:
            due = len(regimen.schedule_rule.slots(today))
        done = sum(1 for (day, slot) in logged[regimen.pk] if day == today and slot < due)
        pending += due - done
        rows.append(RegimenRow(regimen, dose, tally, due, done))
    courses = queries.courses(regimens)
    findings = safety.check_active(courses, today)
    for regimen in past:
        findings += safety.check_stopped(regimen.course(), today)
    effects = list(access.side_effects_for_user(user).filter(is_ongoing=True))
    return ListPage(
        current=rows,
        upcoming=[RegimenRow(r, titration.expected_dose(r.dose_spec(), r.started_on), None) for r in upcoming],
        past=past,
        findings=findings,
        ongoing_effects=effects,
        pending_today=pending,
        recent_start=recent_start,
    )


@dataclass
class HistoryRow:
    day: dt.date
    label: str
    how: str
    note: str = ""


@dataclass
class PlanRow:
    first: dt.date
    last: dt.date
    label: str
    is_current: bool
    is_last: bool


@dataclass
class LogRow:
    day: dt.date
    cells: list[str]


@dataclass
class DetailPage:
    regimen: Regimen
    today: dt.date
    dose: titration.Dose | None
    history: list[HistoryRow]
    plan_rows: list[PlanRow]
    tally: adherence.Tally | None
    weeks: list[tuple[dt.date, adherence.Tally]]
    all_weeks: bool
    more_weeks: bool
    as_needed_days: int
    effects: list[SideEffect]
    chart: str
    chart_table: list[dict[str, object]]
    effect_names: list[str]
    log_rows: list[LogRow]
    log_headers: list[str]
    findings: list[safety.Finding] = field(default_factory=list)


def _how(step: titration.Transition, changes: list[DoseChange], plan_steps: int) -> tuple[str, str]:
    if step.dose is None:
        return "", ""
    if step.dose.source == "plan":
        if step.dose.plan_finished:
            return gettext("Plan finished: the last step carries on"), ""
        return gettext("Plan step %(number)d of %(count)d") % {"number": step.dose.step, "count": plan_steps}, ""
    made = [c for c in changes if c.effective_on <= step.day]
    change = made[-1] if made else None
    if change is None:
        return "", ""
    return change.get_reason_display(), change.note


def detail_page(user: User, regimen: Regimen, today: dt.date, *, all_weeks: bool = False) -> DetailPage:
    spec = regimen.dose_spec()
    start, end = queries.regimen_span(regimen, today)
    doses = titration.doses_between(spec, start, end)
    logged = queries.logged_statuses([regimen], start, end)[regimen.pk]
    plan = regimen.plan_or_none()
    changes = list(regimen.dose_changes.all())

    history = []
    for step in titration.transitions(spec, end):
        how, note = _how(step, changes, len(plan.steps) if plan else 0)
        history.append(HistoryRow(step.day, step.label, how, note))
    if regimen.stopped_on and regimen.stopped_on <= today:
        history.append(
            HistoryRow(
                regimen.stopped_on,
                pgettext("a treatment", "stopped"),
                regimen.get_stop_reason_display(),
                regimen.stop_note,
            )
        )

    plan_rows = []
    if plan:
        calendar = titration.plan_calendar(plan.to_plan())
        for i, (first, last, plan_step) in enumerate(calendar):
            label = catalogue.dose_text(plan_step.amount, regimen.unit)
            is_last = i == len(calendar) - 1
            current = first <= today <= last or (is_last and today > last and regimen.is_active_on(today))
            plan_rows.append(PlanRow(first, last, label, current, is_last))

    tally, weeks, as_needed_days = None, [], 0
    if regimen.has_expected_doses:
        expected = queries.expected_counts(regimen, start, end, doses)
        tally = adherence.tally(expected, logged, today)
        weeks = adherence.weekly(expected, logged, today)
    else:
        as_needed_days = len({day for (day, _slot), status in logged.items() if status != DoseLog.Status.SKIPPED})
    more = len(weeks) > 12 and not all_weeks
    shown_weeks = weeks if all_weeks else weeks[:12]

    effects = list(
        SideEffect.objects.filter(user=user)
        .filter(Q(regimen=regimen) | Q(regimen=None, onset_on__lte=end) & (Q(is_ongoing=True) | Q(ended_on__gte=start)))
        .select_related("regimen__treatment")
        .order_by("onset_on", "name")
    )
    reports = queries.side_effect_reports(effects, start, end)
    by_name: dict[str, dict[dt.date, str]] = {}
    for effect in effects:
        by_name.setdefault(catalogue.side_effect_label(effect.name), {}).update(reports.get(effect.pk, {}))
    names = {"name": regimen.display_name, "start": _short(start), "end": _short(end)}
    if by_name:
        title = gettext("%(name)s: dose in force from %(start)s to %(end)s, with side effects by day") % names
    else:
        title = gettext("%(name)s: dose in force from %(start)s to %(end)s") % names
    svg = _dose_chart(title, start, end, doses, by_name)
    table = []
    for day in reversed(list(days(start, end))):
        dose = doses.get(day)
        if dose is None:
            dose_text = "—"
        elif dose.is_pause:
            dose_text = pgettext("a planned pause in a titration plan", "pause")
        else:
            dose_text = catalogue.amount_text(dose.amount or Decimal(0))  # not a pause, so it has an amount
        table.append({"day": day, "dose": dose_text, "effects": [_severity(by_name[n].get(day, "")) for n in by_name]})

    log_start = max(start, today - dt.timedelta(days=13))
    slots = max((len(regimen.schedule_rule.slots(d)) for d in days(log_start, end)), default=0)
    headers = [s.label for s in regimen.schedule_rule.slots(_first_slot_day(regimen, log_start, end))][:slots] or [
        pgettext("amount of medicine", "dose")
    ]
    log_rows = []
    for day in reversed(list(days(log_start, end))) if end >= log_start else []:
        dose = doses.get(day)
        expected_here = len(regimen.schedule_rule.slots(day)) if dose is not None and not dose.is_pause else 0
        cells: list[str] = []
        for slot in range(max(len(headers), 1)):
            status = logged.get((day, slot))
            if status:
                cells.append(str(DoseLog.Status(status).label))
            elif regimen.has_expected_doses and slot < expected_here:
                cells.append(gettext("not recorded") if day < today else gettext("not yet"))
            else:
                cells.append("—")
        log_rows.append(LogRow(day, cells))

    others = [r.course() for r in Regimen.objects.filter(user=user).select_related("treatment")]
    findings = [f for f in safety.check_active(others, today) if regimen.pk in f.refs]
    findings += safety.check_stopped(regimen.course(), today)

    return DetailPage(
        regimen=regimen,
        today=today,
        dose=titration.expected_dose(spec, today),
        history=history,
        plan_rows=plan_rows,
        tally=tally,
        weeks=shown_weeks,
        all_weeks=all_weeks,
        more_weeks=more,
        as_needed_days=as_needed_days,
        effects=effects,
        chart=svg,
        chart_table=table,
        effect_names=list(by_name),
        log_rows=log_rows,
        log_headers=headers,
        findings=findings,
    )


def _short(day: dt.date) -> str:
    return formats.date_format(day, "j M Y")


def _severity(value: str) -> str:
    """A day's severity ("mild") as people read it, in the active language."""
    return str(SideEffect.Severity(value).label).lower() if value in SideEffect.Severity.values else value


def _first_slot_day(regimen: Regimen, start: dt.date, end: dt.date) -> dt.date:
    for day in days(start, end):
        if regimen.schedule_rule.slots(day):
            return day
    return start


SEVERITY_LEVEL = {"mild": 1, "moderate": 2, "severe": 3}


def _dose_chart(
    title: str,
    start: dt.date,
    end: dt.date,
    doses: dict[dt.date, titration.Dose | None],
    effects: dict[str, dict[dt.date, str]],
) -> Any:
    """The shared chart module draws it: the dose as a step line (a pause on 0), side effects in lanes under it."""
    amounts = {
        day: (None if dose is None else float(dose.amount) if dose.amount is not None else 0.0)
        for day, dose in doses.items()
    }
    unit = next((d.unit for d in doses.values() if d is not None), "")
    lanes = [
        charts.Lane(name, [], {d: SEVERITY_LEVEL[v] for d, v in by_day.items() if v in SEVERITY_LEVEL})
        for name, by_day in effects.items()
    ]
    return charts.dose_svg(
        title,
        start,
        end,
        amounts,
        unit=catalogue.unit_label(unit) if unit else "",
        amount_label=lambda v: catalogue.amount_text(Decimal(str(round(v, 2)))),
        lanes=lanes,
    )
