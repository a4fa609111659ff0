"""A device summary against the person's diary: the preview (reads only) and the import (one transaction).

* Measures (steps, resting heart rate, HRV, hours asleep) go to ``DailyMeasure``,
  one per day and kind: a new value is added, a different one replaced, an equal
  one left alone, so importing the same file again changes nothing.
* Hours asleep are also offered as the check-in's "Hours slept" (the night
  before that diary day, as the check-in asks it): a day without a check-in
  gets one holding only that; a check-in without hours slept gets them; a
  check-in where the person typed a different number keeps theirs, unless they
  ticked "use the watch's value for these days" in the preview
  (``Options.replace_sleep``). Each changed day gets a revision, like any edit.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fibrotrack.accounts.models import User
from fibrotrack.diary.measures import KINDS, display
from fibrotrack.diary.models import CheckIn, CheckInRevision, DailyMeasure
from fibrotrack.portability.imports.base import FIRST_ROWS, Options, Preview, Problem, Result
from fibrotrack.portability.wearables.summary import Kind, Summary

HUNDREDTH = Decimal("0.01")


def _decimal(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(HUNDREDTH)


def _source(summary: Summary, day: dt.date, kind: str) -> str:
    found = summary.step_sources.get(day) if kind == Kind.STEPS else None
    return (f"{summary.source}: {found}" if found and found != summary.source else summary.source)[:120]


def _hours(summary: Summary) -> dict[dt.date, Decimal]:
    return {day: _decimal(hours) for day, hours in summary.sleep.items()}


def _plan_sleep(user: User, summary: Summary) -> dict[str, Any]:
    """Which days' hours slept would be filled, created, or differ from what the person typed."""
    hours = _hours(summary)
    typed = dict(CheckIn.objects.filter(user=user, day__in=list(hours)).values_list("day", "hours_slept"))
    plan: dict[str, Any] = {"fill": [], "new": [], "same": [], "conflicts": []}
    for day in sorted(hours):
        found = typed.get(day)
        if day not in typed:
            plan["new"].append(day)
        elif found is None:
            plan["fill"].append(day)
        elif Decimal(found) == hours[day]:
            plan["same"].append(day)
        else:
            plan["conflicts"].append((day, Decimal(found), hours[day]))
    return plan


def _existing(user: User, summary: Summary) -> dict[tuple[dt.date, str], DailyMeasure]:
    days = summary.days()
    if not days:
        return {}
    rows = DailyMeasure.objects.filter(user=user, day__range=(min(days), max(days)))
    return {(m.day, m.kind): m for m in rows}


def preview(user: User, summary: Summary, format_name: str, options: Options) -> Preview:
    """What the import would do, by reading only (no transaction: SQLite's write lock is never taken)."""
    result = Preview(format=format_name, rows=summary.records)
    values = summary.values()
    existing = _existing(user, summary)
    new = changed = 0
    for key, value in values.items():
        found = existing.get(key)
        if found is None:
            new += 1
        elif found.value != _decimal(value) or found.source != _source(summary, *key):
            changed += 1
    sleep = _plan_sleep(user, summary)
    days = sorted(summary.days())
    if days:
        result.first_day, result.last_day = days[0], days[-1]
    result.counts = [
        (_("Records read"), summary.records),
        (_("Nights with sleep"), len(summary.sleep)),
        (_("… of which only “time in bed” (no asleep record)"), len(summary.in_bed_only)),
        (_("Days with steps"), len(summary.steps)),
        (_("Days with resting heart rate"), len(summary.resting_hr)),
        (_("Days with heart-rate variability"), len(summary.hrv)),
    ]
    result.changes = [
        (_("New daily measures"), new),
        (_("Daily measures updated"), changed),
        (_("Daily measures already there"), len(values) - new - changed),
        (_("New diary days holding only hours slept"), len(sleep["new"])),
        (_("Diary days whose empty “Hours slept” get the watch’s value"), len(sleep["fill"])),
        (_("Diary days where you typed other hours slept (kept unless you choose below)"), len(sleep["conflicts"])),
    ]
    result.conflicts = [(day, str(typed), str(watch)) for day, typed, watch in sleep["conflicts"]]
    result.columns = [str(KINDS[k].label) for k in (Kind.SLEEP, Kind.STEPS, Kind.RESTING_HR, Kind.HRV)]
    result.columns.insert(0, _("Day"))
    result.first_rows = [
        [day.isoformat()]
        + [
            display(kind, shown) if (shown := values.get((day, str(kind)))) is not None else "—"
            for kind in (Kind.SLEEP, Kind.STEPS, Kind.RESTING_HR, Kind.HRV)
        ]
        for day in days[:FIRST_ROWS]
    ]
    for location, reason in summary.problems:
        result.problem(location, reason)
    result.problem_count = summary.problem_count
    result.mapping = mapping(summary)
    return result


def mapping(summary: Summary) -> list[str]:
    return [
        _(
            "Sleep counts the time asleep, not the time in bed, and belongs to the day you woke up (the night "
            "before that day’s check-in). Pieces of sleep less than two hours apart are one night; naps count too."
        ),
        _(
            "Steps are added up per day. When a phone and a watch both counted steps, the day takes the one with "
            "more steps instead of adding them (they counted the same steps)."
        ),
        _("Resting heart rate and heart-rate variability are the day’s average."),
        _(
            "Hours slept you typed yourself are never replaced unless you choose it below. Importing the same "
            "file again changes nothing."
        ),
    ]


@transaction.atomic
def apply(user: User, summary: Summary, options: Options) -> Result:
    values = summary.values()
    existing = _existing(user, summary)
    new, changed = [], []
    now = timezone.now()  # bulk_update leaves auto_now alone: set it, so the change shows as one
    for (day, kind), value in values.items():
        number, source = _decimal(value), _source(summary, day, kind)
        found = existing.get((day, kind))
        if found is None:
            new.append(DailyMeasure(user=user, day=day, kind=kind, value=number, source=source))
        elif found.value != number or found.source != source:
            found.value, found.source, found.updated_at = number, source, now
            changed.append(found)
    DailyMeasure.objects.bulk_create(new, batch_size=1000)
    DailyMeasure.objects.bulk_update(changed, ["value", "source", "updated_at"], batch_size=1000)
    created, filled, replaced = _write_sleep(user, summary, options)
    return Result(
        written=[
            (_("New daily measures"), len(new)),
            (_("Daily measures updated"), len(changed)),
            (_("New diary days holding only hours slept"), created),
            (_("Hours slept filled in"), filled),
            (_("Hours slept replaced by the watch’s value, as you chose"), replaced),
        ],
        problems=[Problem(location, reason) for location, reason in summary.problems],
        problem_count=summary.problem_count,
    )


def _write_sleep(user: User, summary: Summary, options: Options) -> tuple[int, int, int]:
    hours = _hours(summary)
    plan = _plan_sleep(user, summary)
    label = _("{source} import").format(source=summary.source)
    new = [CheckIn(user=user, day=day, hours_slept=hours[day]) for day in plan["new"]]
    CheckIn.objects.bulk_create(new, batch_size=1000)
    update = list(plan["fill"]) + ([day for day, _t, _w in plan["conflicts"]] if options.replace_sleep else [])
    before = {day: typed for day, typed, _w in plan["conflicts"]}
    checkins = {c.day: c for c in CheckIn.objects.filter(user=user, day__in=[*update, *plan["new"]])}
    now = timezone.now()  # a check-in form loaded before the import then sees the day has changed
    for day in update:
        checkins[day].hours_slept, checkins[day].updated_at = hours[day], now
    CheckIn.objects.bulk_update([checkins[d] for d in update], ["hours_slept", "updated_at"], batch_size=1000)
    revisions = [
        CheckInRevision(
            user=user,
            checkin=checkins[day],
            day=day,
            action=CheckInRevision.Action.CREATED if day in plan["new"] else CheckInRevision.Action.UPDATED,
            changes={
                "hours_slept": [str(before[day]) if day in before else None, str(hours[day])],
                "source": [None, label],
            },
        )
        for day in sorted([*plan["new"], *update])
    ]
    CheckInRevision.objects.bulk_create(revisions, batch_size=1000)
    return len(new), len(plan["fill"]), len(update) - len(plan["fill"])
