"""Read models for the history and chart pages (a constant number of queries)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from fibrotrack.accounts.models import User
from fibrotrack.diary.access import checkins_for_user
from fibrotrack.diary.models import CheckIn, SymptomScore, TrackedSymptom
from fibrotrack.lib import charts
from fibrotrack.lib.series import rolling_mean


def values_by_day(
    user: User, symptoms: list[TrackedSymptom], start: dt.date, end: dt.date
) -> dict[int, dict[dt.date, float]]:
    """symptom id -> {day: value}, in one query."""
    out: dict[int, dict[dt.date, float]] = {s.pk: {} for s in symptoms}
    rows = SymptomScore.objects.filter(
        checkin__user=user, checkin__day__range=(start, end), symptom__in=symptoms
    ).values_list("symptom_id", "checkin__day", "value")
    for symptom_id, day, value in rows:
        out[symptom_id][day] = float(value)
    return out


@dataclass
class HeatCell:
    day: dt.date | None
    value: int | None
    label: str

    @property
    def bucket(self) -> str:
        return "none" if self.value is None else str(self.value)


@dataclass
class HeatMonth:
    title: str
    weeks: list[list[HeatCell]]


def heatmap(symptom: TrackedSymptom, values: dict[dt.date, float], start: dt.date, end: dt.date) -> list[HeatMonth]:
    """Calendar months, Monday-first, newest month first."""
    months: list[HeatMonth] = []
    cal = calendar.Calendar(firstweekday=0)
    year, month = end.year, end.month
    while (year, month) >= (start.year, start.month):
        weeks = []
        for week in cal.monthdatescalendar(year, month):
            row = []
            for day in week:
                if day.month != month or day > end or day < start:
                    row.append(HeatCell(None, None, ""))
                    continue
                raw = values.get(day)
                value = int(raw) if raw is not None else None
                text = f"{day:%A %-d %B}: {symptom.name} {value}" if value is not None else f"{day:%A %-d %B}: no entry"
                row.append(HeatCell(day, value, text))
            weeks.append(row)
        months.append(HeatMonth(dt.date(year, month, 1).strftime("%B %Y"), weeks))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def checkin_page(user: User, start: dt.date, end: dt.date) -> list[CheckIn]:
    return list(
        checkins_for_user(user)
        .filter(day__range=(start, end))
        .prefetch_related(
            Prefetch("scores", queryset=SymptomScore.objects.only("checkin_id", "symptom_id", "value")), "tags"
        )
        .order_by("-day")
    )


def timeline(
    user: User, symptoms: list[TrackedSymptom], start: dt.date, end: dt.date
) -> tuple[list[charts.Series], list[dt.date]]:
    data = values_by_day(user, symptoms, start - dt.timedelta(days=6), end)
    series = []
    for s in symptoms:
        daily = data[s.pk]
        series.append(
            charts.Series(
                name=s.name,
                values={d: v for d, v in daily.items() if d >= start},
                smooth=rolling_mean(daily, start, end),
            )
        )
    return series, [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
