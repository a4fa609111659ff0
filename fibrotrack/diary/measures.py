"""Daily measures from devices (steps, resting heart rate, HRV, hours asleep): what they mean and their series.

Each kind knows its unit and which direction is better, so a trial can use it as
a secondary outcome (``trials``) and a chart can draw it (``measure_series``).
Reads are scoped to one person.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from fibrotrack.accounts.models import User
from fibrotrack.diary.models import DailyMeasure
from fibrotrack.lib import charts
from fibrotrack.lib.series import rolling_mean


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


# On a chart: steps in thousands, so the value labels fit beside the axis ("12", not "12000").
CHART_SCALE: dict[str, float] = {Kind.STEPS: 1000.0}
CHART_UNIT: dict[str, StrOrPromise] = {
    Kind.SLEEP: _("hours"),
    Kind.STEPS: _("thousands of steps"),
    Kind.RESTING_HR: _("beats a minute"),
    Kind.HRV: _("milliseconds"),
}
# Scales that start at zero (an amount); resting heart rate sits in a narrow band far from it.
_FROM_ZERO = {Kind.SLEEP, Kind.STEPS, Kind.HRV}


def _nice_range(kind: str, values: list[float]) -> tuple[float, float]:
    """The chart's own y-range for one kind: round numbers around the values shown."""
    low, high = min(values), max(values)
    if kind in _FROM_ZERO:
        floor_ = 0.0
        ceiling = max(high, 8.0 if kind == Kind.SLEEP else 1.0)
    else:
        floor_, ceiling = low - 5, high + 5
    step = 10 ** math.floor(math.log10(max(ceiling - floor_, 1)))
    step = step / 2 if (ceiling - floor_) / step < 4 else step
    return math.floor(floor_ / step) * step, math.ceil(ceiling / step) * step


def measure_chart_series(user: User, start: dt.date, end: dt.date) -> list[charts.Series]:
    """One series per kind the person has values for in the period (daily and 7-day mean), ``KINDS`` order. One query.

    The 7-day mean reads the six days before ``start`` too, as the symptoms' does.
    """
    found = measures_by_day(user, start - dt.timedelta(days=6), end)
    out = []
    for kind, meta in KINDS.items():
        scale = CHART_SCALE.get(kind, 1.0)
        daily = {day: kinds[kind] / scale for day, kinds in found.items() if kind in kinds}
        inside = {day: value for day, value in daily.items() if day >= start}
        if not inside:
            continue
        y_min, y_max = _nice_range(kind, list(inside.values()))
        out.append(
            charts.Series(
                name=str(meta.label),
                values=inside,
                smooth=rolling_mean(daily, start, end),
                label=str(CHART_UNIT[kind]),
                y_min=y_min,
                y_max=y_max,
                key=f"measure-{kind}",
            )
        )
    return out


@dataclass(frozen=True)
class MeasureCharts:
    """The chart page's device charts: one panel per kind, and their numbers as a table."""

    panels: list[charts.Panel]
    kinds: list[str]  # the table's column headings, one per series
    rows: list[tuple[dt.date, list[tuple[str, str]]]]  # newest first: (daily, 7-day mean) per series


def measure_charts(
    user: User, start: dt.date, end: dt.date, *, bands: list[charts.Band], markers: list[charts.Marker]
) -> MeasureCharts:
    """Small multiples of the person's device measures, each on its own scale and with its unit. One query."""
    series = measure_chart_series(user, start, end)
    span = {"start": date_format(start, "j M Y"), "end": date_format(end, "j M Y")}

    def title(s: charts.Series) -> str:
        return gettext("%(name)s (%(unit)s) from %(start)s to %(end)s: daily values and 7-day mean") % {
            "name": s.name,
            "unit": s.label,
            **span,
        }

    # The symptom charts above name the bands; these keep the shading and the tooltips.
    panels = charts.small_multiples(
        series, start, end, title_for=title, bands=bands, markers=markers, height=150, band_labels=False
    )
    # The caption carries the unit: the axis has room only for the numbers.
    units = {s.key: s.label for s in series}
    panels = [charts.Panel(f"{p.name} ({units[p.key]})", p.key, p.svg) for p in panels]
    kinds = [s.key.removeprefix("measure-") for s in series]

    def cell(kind: str, value: float | None) -> str:
        return "—" if value is None else display(kind, value * CHART_SCALE.get(kind, 1.0))

    rows = [
        (day, [(cell(k, s.values.get(day)), cell(k, s.smooth.get(day))) for k, s in zip(kinds, series, strict=True)])
        for day in sorted({d for s in series for d in s.values}, reverse=True)
    ]
    return MeasureCharts(panels, [str(s.name) for s in series], rows)
