"""Titration plans and the dose in force on a day: pure arithmetic, no Django.

A regimen's dose comes from two kinds of event:

* a **plan**: ordered steps (a dose or a pause, each lasting some days)
  counted from the plan's start date. After the last step ends, the last
  step holds until the regimen stops;
* a **dose change**: an amount that applies from its effective date on.

The dose in force on a day is the one set by the most recent event that has
taken effect by then: events are ordered by date, and events on the same
date by the order they were recorded. So a manual change overrides the plan
from its date on, and nothing in the past is ever rewritten.

All arithmetic is on calendar dates (``date + timedelta(days=n)``), so month
ends, leap days and daylight-saving changes cannot shift a step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext, gettext_noop, ngettext, pgettext


@dataclass(frozen=True)
class Step:
    """One plan step. ``amount`` None is a pause (nothing to take)."""

    amount: Decimal | None
    days: int

    @property
    def is_pause(self) -> bool:
        return self.amount is None


@dataclass(frozen=True)
class Plan:
    start: dt.date
    steps: tuple[Step, ...]
    order: int = 0  # tie-break for events on the same date: larger = recorded later


@dataclass(frozen=True)
class Change:
    effective: dt.date
    amount: Decimal
    unit: str
    order: int = 0


@dataclass(frozen=True)
class DoseSpec:
    """Everything that decides a regimen's dose, as plain data."""

    start: dt.date
    stop: dt.date | None  # the last day of the regimen, inclusive
    unit: str
    plan: Plan | None = None
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class Dose:
    """The dose in force on one day. ``amount`` None means a planned pause."""

    amount: Decimal | None
    unit: str
    source: Literal["plan", "change"]
    step: int | None = None  # 1-based plan step, when the plan sets the dose
    plan_finished: bool = False  # past the plan's end: its last step is holding

    @property
    def is_pause(self) -> bool:
        return self.amount is None


@dataclass(frozen=True)
class PlanTemplate:
    """``name``, ``description`` and ``source`` are English source texts; their ``*_text`` are translated."""

    key: str
    name: str
    description: str
    unit: str
    steps: tuple[Step, ...]
    antagonist_only: bool = True  # the LDN plans are for naltrexone only
    source: str = ""

    @property
    def name_text(self) -> str:
        return gettext(self.name)

    @property
    def description_text(self) -> str:
        return gettext(self.description)


def _mg(*pairs: tuple[str | None, int]) -> tuple[Step, ...]:
    return tuple(Step(Decimal(a) if a is not None else None, d) for a, d in pairs)


TEMPLATES: dict[str, PlanTemplate] = {
    t.key: t
    for t in (
        PlanTemplate(
            key="ldn_standard",
            name=gettext_noop("LDN standard"),
            description=gettext_noop("1 mg a day, going up by 1 mg each week to 4.5 mg."),
            unit="mg",
            steps=_mg(("1", 7), ("2", 7), ("3", 7), ("4", 7), ("4.5", 7)),
        ),
        PlanTemplate(
            key="ldn_slow",
            name=gettext_noop("LDN slow"),
            description=gettext_noop("For sensitive people: 0.5 mg a day, going up by 0.5 mg every 2 weeks to 4.5 mg."),
            unit="mg",
            steps=_mg(*((str(Decimal("0.5") * n), 14) for n in range(1, 10))),
        ),
        PlanTemplate(
            key="ldn_case",
            name=gettext_noop("Published case schedule"),
            description=gettext_noop(
                "1 mg for 2 nights, 2 mg for 2 nights, 4.5 mg for 2 weeks, a 2-week pause, then 4.5 mg for 14 weeks."
            ),
            unit="mg",
            steps=_mg(("1", 2), ("2", 2), ("4.5", 14), (None, 14), ("4.5", 98)),
            source=gettext_noop("A published case report of LDN in fibromyalgia."),
        ),
    )
}
CUSTOM = "custom"


def plan_length(steps: Sequence[Step]) -> int:
    return sum(s.days for s in steps)


def plan_end(plan: Plan) -> dt.date:
    """The last day of the final step."""
    return plan.start + dt.timedelta(days=plan_length(plan.steps) - 1)


def step_at(plan: Plan, day: dt.date) -> tuple[int, Step, bool] | None:
    """(0-based index, step, finished) in force on ``day``; None before the plan starts.

    ``finished`` is True once the plan has run out and its last step is holding.
    """
    if not plan.steps or day < plan.start:
        return None
    offset = (day - plan.start).days
    for index, step in enumerate(plan.steps):
        if offset < step.days:
            return index, step, False
        offset -= step.days
    return len(plan.steps) - 1, plan.steps[-1], True


def plan_calendar(plan: Plan) -> list[tuple[dt.date, dt.date, Step]]:
    """Each step with its first and last calendar day."""
    out = []
    first = plan.start
    for step in plan.steps:
        last = first + dt.timedelta(days=step.days - 1)
        out.append((first, last, step))
        first = last + dt.timedelta(days=1)
    return out


def _latest_change(changes: Iterable[Change], day: dt.date) -> Change | None:
    in_force = [c for c in changes if c.effective <= day]
    return max(in_force, key=lambda c: (c.effective, c.order)) if in_force else None


def expected_dose(spec: DoseSpec, day: dt.date) -> Dose | None:
    """The dose in force on ``day``, or None outside the regimen (or before any dose is set)."""
    if day < spec.start or (spec.stop is not None and day > spec.stop):
        return None
    change = _latest_change(spec.changes, day)
    plan_key = None
    if spec.plan is not None and spec.plan.start <= day and spec.plan.steps:
        plan_key = (spec.plan.start, spec.plan.order)
    if plan_key is not None and (change is None or plan_key > (change.effective, change.order)):
        assert spec.plan is not None  # noqa: S101  (narrowing for the type checker)
        found = step_at(spec.plan, day)
        assert found is not None  # noqa: S101
        index, step, finished = found
        return Dose(step.amount, spec.unit, "plan", index + 1, finished)
    if change is not None:
        return Dose(change.amount, change.unit, "change")
    return None


def doses_between(spec: DoseSpec, start: dt.date, end: dt.date) -> dict[dt.date, Dose | None]:
    out: dict[dt.date, Dose | None] = {}
    day = start
    while day <= end:
        out[day] = expected_dose(spec, day)
        day += dt.timedelta(days=1)
    return out


@dataclass(frozen=True)
class Transition:
    """A day on which the dose in force differs from the day before."""

    day: dt.date
    dose: Dose | None
    previous: Dose | None = field(default=None)

    @property
    def label(self) -> str:
        """ "4.5 mg", "pause" or "stopped", in the active language."""
        from fibrotrack.treatments.catalogue import dose_text  # the catalogue knows the units' names

        if self.dose is None:
            return pgettext("a treatment", "stopped")
        return dose_text(self.dose.amount, self.dose.unit)


def _same(a: Dose | None, b: Dose | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.amount, a.unit) == (b.amount, b.unit)


def transitions(spec: DoseSpec, until: dt.date) -> list[Transition]:
    """Every change in the dose in force from the start to ``until`` (or the stop)."""
    last = min(until, spec.stop) if spec.stop else until
    out: list[Transition] = []
    previous: Dose | None = None
    day = spec.start
    while day <= last:
        dose = expected_dose(spec, day)
        if day == spec.start or not _same(dose, previous):
            out.append(Transition(day, dose, previous))
        previous = dose
        day += dt.timedelta(days=1)
    return out


def format_amount(amount: Decimal | None) -> str:
    """4.500 -> "4.5", 300.000 -> "300", None -> "pause"."""
    if amount is None:
        return "pause"
    text = f"{amount.normalize():f}"
    return text


def describe_steps(steps: Sequence[Step], unit: str) -> str:
    """ "1 mg for 7 days, then 2 mg for 7 days", in the active language."""
    from fibrotrack.treatments.catalogue import dose_text

    parts = []
    for step in steps:
        if step.is_pause:
            parts.append(ngettext("pause for %(days)d day", "pause for %(days)d days", step.days) % {"days": step.days})
        else:
            parts.append(
                ngettext("%(dose)s for %(days)d day", "%(dose)s for %(days)d days", step.days)
                % {"dose": dose_text(step.amount, unit), "days": step.days}
            )
    return pgettext("joins the steps of a titration plan", ", then ").join(parts)
