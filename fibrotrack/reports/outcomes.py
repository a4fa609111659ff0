"""Per-person estimates for "what worked for others": how each sharing person did on each catalogue treatment.

Plain DataFrames, one row per (person, treatment), for ``knowledge`` to turn into
k-anonymous cells. Everything is set-based: the diary means of the four weeks
before and the four weeks on a treatment come from one grouped SQL query (no
loop over people), the days on it and the side effects from one query each.

The estimate is the change in the person's primary symptom (pain when they
track it, else their first symptom), as a share of the room there was to
improve: ``(before - after) / (before - scale_min)`` when lower is better,
``(after - before) / (scale_max - before)`` when higher is better. +0.30 is the
usual "30% better"; a worsening larger than the starting level counts as -1.
It is a before/after comparison of self-selected people, not a controlled
trial: regression to the mean and everything else that changed at the time
are in it, and the pages say so.

``consenting`` is a queryset of user ids (``values("user_id")``): the caller
decides who shares; this module never imports the layer above.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import QuerySet

from fibrotrack.diary.models import CheckIn, SymptomScore, TrackedSymptom
from fibrotrack.treatments.models import Regimen, SideEffect, Treatment

WINDOW_DAYS = 28  # four weeks before, four weeks on it
MIN_SCORED_DAYS = 7  # in each window, or no estimate for that person
PRIMARY_KEY = "pain"

ESTIMATE_COLUMNS = ["user_id", "treatment_key", "improvement", "source"]


def _shift(column: str, days: int) -> str:
    """``column`` moved by ``days`` days, in this database's SQL (a date plus an integer)."""
    if connection.vendor == "postgresql":
        return f"({column} + {int(days)})"
    return f"date({column}, '{int(days):+d} days')"


def _window_sql(consenting_sql: str) -> str:
    # Only table names from model metadata, integer day shifts and the ORM's own compiled subquery are
    # formatted in; every value is a parameter.
    reg, trt = Regimen._meta.db_table, Treatment._meta.db_table
    sym, chk, sco = TrackedSymptom._meta.db_table, CheckIn._meta.db_table, SymptomScore._meta.db_table
    # The first course of each treatment per person: a second course starts from a changed baseline.
    first_course = f"""NOT EXISTS (SELECT 1 FROM {reg} r2 WHERE r2.user_id = r.user_id
        AND r2.treatment_id = r.treatment_id
        AND (r2.started_on < r.started_on OR (r2.started_on = r.started_on AND r2.id < r.id)))"""  # noqa: S608
    primary = f"""(SELECT ts.id FROM {sym} ts WHERE ts.user_id = r.user_id
        ORDER BY CASE WHEN ts.key = %s THEN 0 ELSE 1 END, ts.position, ts.id LIMIT 1)"""  # noqa: S608
    on_it = "c.day >= w.started_on AND (w.stopped_on IS NULL OR c.day <= w.stopped_on)"
    return f"""
SELECT w.user_id, w.treatment_key, sym.lower_is_better, sym.scale_min, sym.scale_max,
    SUM(CASE WHEN c.day < w.started_on THEN s.value END) AS before_sum,
    COUNT(CASE WHEN c.day < w.started_on THEN s.value END) AS before_n,
    SUM(CASE WHEN {on_it} THEN s.value END) AS after_sum,
    COUNT(CASE WHEN {on_it} THEN s.value END) AS after_n
FROM (
    SELECT r.user_id, r.started_on, r.stopped_on, t.key AS treatment_key, {primary} AS symptom_id
    FROM {reg} r JOIN {trt} t ON t.id = r.treatment_id
    WHERE t.user_id IS NULL AND r.started_on <= %s AND r.user_id IN ({consenting_sql}) AND {first_course}
) w
JOIN {sym} sym ON sym.id = w.symptom_id
JOIN {chk} c ON c.user_id = w.user_id
    AND c.day >= {_shift("w.started_on", -WINDOW_DAYS)} AND c.day <= {_shift("w.started_on", WINDOW_DAYS - 1)}
    AND c.day <= %s
JOIN {sco} s ON s.checkin_id = c.id AND s.symptom_id = w.symptom_id
GROUP BY w.user_id, w.treatment_key, sym.lower_is_better, sym.scale_min, sym.scale_max
"""  # noqa: S608


def improvement(before: pd.Series, after: pd.Series, lower_is_better: pd.Series, lo: pd.Series, hi: pd.Series) -> Any:
    """The share of the room to improve that was gained (NaN when there was no room), clipped to [-1, 1]."""
    room = np.where(lower_is_better, before - lo, hi - before).astype(float)
    gained = np.where(lower_is_better, before - after, after - before).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(room > 0, gained / np.where(room > 0, room, 1.0), np.nan)
    return np.clip(share, -1.0, 1.0)


def diary_estimates(consenting: QuerySet[Any], today: dt.date) -> pd.DataFrame:
    """One row per (person, catalogue treatment) with enough diary days before and on it."""
    sub_sql, sub_params = consenting.query.sql_with_params()
    params = [PRIMARY_KEY, today, *sub_params, today]
    with connection.cursor() as cursor:
        cursor.execute(_window_sql(sub_sql), params)
        columns = [c[0] for c in cursor.description]
        frame = pd.DataFrame(cursor.fetchall(), columns=columns)
    if frame.empty:
        return pd.DataFrame(columns=ESTIMATE_COLUMNS)
    frame = frame[(frame.before_n >= MIN_SCORED_DAYS) & (frame.after_n >= MIN_SCORED_DAYS)]
    before = frame.before_sum.astype(float) / frame.before_n
    after = frame.after_sum.astype(float) / frame.after_n
    frame = frame.assign(
        improvement=improvement(
            before, after, frame.lower_is_better.astype(bool), frame.scale_min.astype(float), frame.scale_max
        ),
        source="diary",
    )
    return frame[ESTIMATE_COLUMNS].reset_index(drop=True)


def days_on(consenting: QuerySet[Any], today: dt.date) -> pd.DataFrame:
    """Days on each catalogue treatment per person (all courses, up to ``today``)."""
    rows = Regimen.objects.filter(treatment__user=None, user_id__in=consenting, started_on__lte=today).values_list(
        "user_id", "treatment__key", "started_on", "stopped_on"
    )
    frame = pd.DataFrame(list(rows), columns=["user_id", "treatment_key", "started_on", "stopped_on"])
    if frame.empty:
        return pd.DataFrame(columns=["user_id", "treatment_key", "days_on"])
    start = pd.to_datetime(frame.started_on)
    last = pd.Timestamp(today)
    stop = pd.to_datetime(frame.stopped_on.fillna(today))
    stop = stop.where(stop <= last, last)
    frame = frame.assign(days_on=(stop - start).dt.days + 1)
    summed: pd.DataFrame = frame.groupby(["user_id", "treatment_key"], as_index=False)[["days_on"]].sum()
    return summed


def side_effects(consenting: QuerySet[Any]) -> pd.DataFrame:
    """Who reported which side effect while suspecting a catalogue treatment (one row per person and effect)."""
    rows = (
        SideEffect.objects.filter(regimen__treatment__user=None, user_id__in=consenting)
        .values_list("user_id", "regimen__treatment__key", "key", "name")
        .distinct()
    )
    return pd.DataFrame(list(rows), columns=["user_id", "treatment_key", "effect_key", "effect_name"])


def people(consenting: QuerySet[Any], today: dt.date, trial_estimates: pd.DataFrame | None = None) -> pd.DataFrame:
    """Everyone who tracked a catalogue treatment, with days on it and their estimate (NaN if none).

    A personal trial's estimate, when there is one, replaces the before/after
    estimate of the same person and treatment: it is the better design.
    """
    table = days_on(consenting, today)
    estimates = diary_estimates(consenting, today)
    if trial_estimates is not None and not trial_estimates.empty:
        estimates = pd.concat([trial_estimates[ESTIMATE_COLUMNS], estimates], ignore_index=True)
        estimates = estimates.drop_duplicates(["user_id", "treatment_key"], keep="first")
    merged = table.merge(estimates, on=["user_id", "treatment_key"], how="left")
    return merged.astype({"improvement": float})
