"""The trial's data as fibrostats wants it: one plain row per calendar day.

Columns: ``date``, ``phase`` (the phase kind, or ``<kind> (not counted)`` for
run-in and washout days left out of the analysis), one column per outcome
(the symptom's key, or ``device:<kind>`` for a watch's daily measure; NaN = not recorded) and ``taken`` (1/0/NaN from the
treatments app's dose log). Reads go through scoped querysets: the diary
scores of this trial's owner only.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from fibrotrack.diary.models import SymptomScore
from fibrotrack.lib.series import days
from fibrotrack.treatments import queries
from fibrotrack.trials import device_outcomes
from fibrotrack.trials.models import Trial
from fibrotrack.trials.schedule import ScheduledPhase
from fibrotrack.weather.access import weather_series_for_user

NOT_COUNTED = " (not counted)"
# The covariate column when the plan allows for the weather (docs/analysis-methods.md, "Optional covariates").
WEATHER_COLUMN = "weather_pressure_change"


def analysis_label(s: ScheduledPhase) -> str:
    return s.phase.kind if s.phase.counts else s.phase.kind + NOT_COUNTED


def scores_by_symptom(
    user: Any, symptoms: Sequence[Any], start: dt.date, end: dt.date
) -> dict[int, dict[dt.date, int]]:
    """symptom id -> {day: value}, in one query."""
    out: dict[int, dict[dt.date, int]] = {s.pk: {} for s in symptoms}
    rows = SymptomScore.objects.filter(
        checkin__user=user, checkin__day__range=(start, end), symptom__in=[s.pk for s in symptoms]
    ).values_list("symptom_id", "checkin__day", "value")
    for symptom_id, day, value in rows:
        out[symptom_id][day] = value
    return out


def adherence_by_day(trial: Trial, sched: Sequence[ScheduledPhase], today: dt.date) -> dict[dt.date, float | None]:
    """day -> share of the expected doses of the phase's regimens that were taken (None: nothing expected)."""
    if not sched:
        return {}
    start, end = sched[0].start, min(sched[-1].end, today)
    if end < start:
        return {}
    phases = {p.position: p for p in trial.phases.all()}
    per_regimen: dict[int, dict[dt.date, float | None]] = {}
    out: dict[dt.date, float | None] = {}
    for s in sched:
        regimens = list(phases[s.phase.position].regimens.all())
        for regimen in regimens:
            if regimen.pk not in per_regimen:
                per_regimen[regimen.pk] = queries.adherence_by_day(regimen, start, end, today=today)
        for day in days(s.start, min(s.end, end)):
            shares = [v for r in regimens if (v := per_regimen[r.pk].get(day)) is not None]
            out[day] = sum(shares) / len(shares) if shares else None
    return out


@dataclass
class TrialData:
    frame: pd.DataFrame
    values: dict[Any, dict[dt.date, Any]]  # outcome pk (a symptom's id, a device measure's key) -> {day: value}
    adherence: dict[dt.date, float | None]
    start: dt.date
    end: dt.date


def build(trial: Trial, sched: Sequence[ScheduledPhase], today: dt.date) -> TrialData | None:
    """The data frame up to the last day that has happened (or the trial's last day)."""
    if not sched:
        return None
    start = sched[0].start
    end = min(sched[-1].end, today)
    if end < start:
        return None
    outcomes = trial.analysis_outcomes()
    symptoms = [o for o in outcomes if not isinstance(o, device_outcomes.DeviceOutcome)]
    devices = [o for o in outcomes if isinstance(o, device_outcomes.DeviceOutcome)]
    values: dict[Any, dict[dt.date, Any]] = dict(scores_by_symptom(trial.user, symptoms, start, end))
    values.update(device_outcomes.values(trial.user, devices, start, end))
    adherence = adherence_by_day(trial, sched, today)
    weather = weather_series_for_user(trial.user, start, end) if trial.weather_covariate else None
    rows: list[dict[str, Any]] = []
    for s in sched:
        label = analysis_label(s)
        for day in days(s.start, min(s.end, end)):
            row: dict[str, Any] = {"date": day, "phase": label}
            for symptom in outcomes:
                v = values[symptom.pk].get(day)
                row[symptom.key] = float(v) if v is not None else math.nan
            share = adherence.get(day)
            row["taken"] = math.nan if share is None else (1.0 if share >= 0.5 else 0.0)
            if weather is not None:
                change = weather[day].pressure_change if day in weather else None
                row[WEATHER_COLUMN] = math.nan if change is None else change
            rows.append(row)
    extra = [WEATHER_COLUMN] if weather is not None else []
    frame = pd.DataFrame(rows, columns=["date", "phase", *[o.key for o in outcomes], "taken", *extra])
    return TrialData(frame, values, adherence, start, end)


def days_by_label(sched: Sequence[ScheduledPhase], end: dt.date) -> dict[str, int]:
    """Days of each analysis label up to ``end`` (what fibrostats should count as planned)."""
    out: dict[str, int] = defaultdict(int)
    for s in sched:
        last = min(s.end, end)
        if last >= s.start:
            out[analysis_label(s)] += (last - s.start).days + 1
    return dict(out)
