"""Daily measures from devices (steps, resting heart rate, HRV, hours asleep): what they mean and their series.

Each kind knows its unit and which direction is better, so a trial can use it as
a secondary outcome (``trials``) and a chart can draw it (``measure_series``).
Reads are scoped to one person.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from fibrotrack.accounts.models import User
from fibrotrack.diary.models import DailyMeasure


@dataclass(frozen=True)
class MeasureKind:
    key: str
    label: StrOrPromise
    unit: str
    higher_is_better: bool
    decimals: int


Kind = DailyMeasure.Kind
KINDS: dict[str, MeasureKind] = {
    Kind.SLEEP: MeasureKind(Kind.SLEEP, _("Hours asleep (device)"), "h", True, 1),
    Kind.STEPS: MeasureKind(Kind.STEPS, _("Steps"), "", True, 0),
    Kind.RESTING_HR: MeasureKind(Kind.RESTING_HR, _("Resting heart rate"), "bpm", False, 0),
    Kind.HRV: MeasureKind(Kind.HRV, _("Heart-rate variability (SDNN)"), "ms", True, 0),
}


def measures_for_user(user: User) -> QuerySet[DailyMeasure]:
    return DailyMeasure.objects.filter(user=user)


def measure_series(user: User, kind: str, start: dt.date, end: dt.date) -> list[tuple[dt.date, float]]:
    """(day, value) for one kind between two days (inclusive), oldest first: what a chart draws. One query."""
    if kind not in KINDS:
        raise ValueError(f"unknown measure kind {kind!r}")
    rows = measures_for_user(user).filter(kind=kind, day__range=(start, end)).order_by("day")
    return [(day, float(value)) for day, value in rows.values_list("day", "value")]


def measures_by_day(user: User, start: dt.date, end: dt.date) -> dict[dt.date, dict[str, float]]:
    """day -> {kind: value}, for a page of days. One query."""
    out: dict[dt.date, dict[str, float]] = defaultdict(dict)
    rows = measures_for_user(user).filter(day__range=(start, end)).values_list("day", "kind", "value")
    for day, kind, value in rows:
        out[day][kind] = float(value)
    return dict(out)


def display(kind: str, value: float) -> str:
    meta = KINDS[kind]
    number = f"{value:,.{meta.decimals}f}"
    return f"{number} {meta.unit}".strip()


def measure_rows(user: User, start: dt.date, end: dt.date) -> list[tuple[dt.date, list[str]]]:
    """The history page's "From your devices" table: newest day first, one cell per kind ("—": none)."""
    found = measures_by_day(user, start, end)
    return [
        (day, [display(kind, value) if (value := found[day].get(kind)) is not None else "—" for kind in KINDS])
        for day in sorted(found, reverse=True)
    ]
