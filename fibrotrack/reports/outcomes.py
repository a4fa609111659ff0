"""Per-person estimates for "what worked for others": how each sharing person did on each catalogue treatment.

Plain DataFrames, one row per (person, treatment), for ``knowledge`` to turn into
k-anonymous cells. Everything is set-based: one query reads the primary symptom's
scores of the days that fall in some four-week window (before or on a
course), and prefix sums over them give every window's mean at once (no loop
over people, no query per person); the courses and the side effects are one
query each.

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
import io
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


def _epoch_day(column: str) -> str:
    """``column`` as days since 1970-01-01 (an integer travels faster than a date)."""
    if connection.vendor == "postgresql":
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def _primary_sql() -> str:
    """Each person's primary symptom (pain, else their first), set-based: no symptom of theirs ranks before it."""
    sym = TrackedSymptom._meta.db_table
    rank = "CASE WHEN {0}.key = %s THEN 0 ELSE 1 END"
    before_it = f"""({rank.format("t2")} < {rank.format("ts")} OR ({rank.format("t2")} = {rank.format("ts")}
        AND (t2.position < ts.position OR (t2.position = ts.position AND t2.id < ts.id))))"""
    return f"""SELECT ts.user_id, ts.id, ts.lower_is_better, ts.scale_min, ts.scale_max FROM {sym} ts
        WHERE NOT EXISTS (SELECT 1 FROM {sym} t2 WHERE t2.user_id = ts.user_id AND {before_it})"""  # noqa: S608


def _scores_sql(consenting_sql: str) -> str:
    """The primary symptom's scores of sharing people, on days in some window of a catalogue course.

    Only table names from model metadata, integer day shifts and the ORM's own
    compiled subquery are formatted in; every value is a parameter.
    """
    reg, trt = Regimen._meta.db_table, Treatment._meta.db_table
    chk, sco = CheckIn._meta.db_table, SymptomScore._meta.db_table
    in_a_window = f"""EXISTS (SELECT 1 FROM {reg} r JOIN {trt} t ON t.id = r.treatment_id AND t.user_id IS NULL
        WHERE r.user_id = c.user_id AND c.day >= {_shift("r.started_on", -WINDOW_DAYS)}
        AND c.day <= {_shift("r.started_on", WINDOW_DAYS - 1)})"""  # noqa: S608
    return f"""
SELECT c.user_id, {_epoch_day("c.day")} AS day, s.value
FROM {chk} c
JOIN ({_primary_sql()} AND ts.user_id IN ({consenting_sql})) sym ON sym.user_id = c.user_id
JOIN {sco} s ON s.checkin_id = c.id AND s.symptom_id = sym.id
WHERE c.day <= %s AND {in_a_window}
"""  # noqa: S608


def _fetch(sql: str, params: list[Any], columns: list[str]) -> pd.DataFrame:
    """Rows into a DataFrame; on PostgreSQL through COPY as CSV, parsed in C (millions of rows, no tuples)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.BytesIO()
            with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
                for chunk in copy:
                    buffer.write(chunk)
            buffer.seek(0)
            if not buffer.getbuffer().nbytes:
                return pd.DataFrame(columns=columns)
            return pd.read_csv(buffer, names=columns, header=None, true_values=["t"], false_values=["f"])
        cursor.execute(sql, params)
        return pd.DataFrame(cursor.fetchall(), columns=columns)


def improvement(before: pd.Series, after: pd.Series, lower_is_better: pd.Series, lo: pd.Series, hi: pd.Series) -> Any:
    """The share of the room to improve that was gained (NaN when there was no room), clipped to [-1, 1]."""
    room = np.where(lower_is_better, before - lo, hi - before).astype(float)
    gained = np.where(lower_is_better, before - after, after - before).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(room > 0, gained / np.where(room > 0, room, 1.0), np.nan)
    return np.clip(share, -1.0, 1.0)


def _window_sums(keys: Any, cum: Any, lo: Any, hi: Any) -> tuple[Any, Any]:
    """Sum and count of the sorted ``keys``' values in [lo, hi] for every window at once (prefix sums)."""
    a = np.searchsorted(keys, lo, side="left")
    b = np.searchsorted(keys, np.maximum(hi, lo - 1), side="right")
    return cum[b] - cum[a], b - a


def diary_estimates(consenting: QuerySet[Any], today: dt.date, courses: pd.DataFrame) -> pd.DataFrame:
    """One row per (person, catalogue treatment) with enough diary days before and on its first course.

    ``courses``: user_id, treatment_key, started_on, stopped_on (every course, as from :func:`courses`).
    The windows are summed with prefix sums over each person's sorted days: one pass, no loop over people.
    """
    sub_sql, sub_params = consenting.query.sql_with_params()
    scores = _fetch(_scores_sql(sub_sql), [PRIMARY_KEY] * 4 + [*sub_params, today], ["user_id", "day", "value"])
    primary = _fetch(
        f"SELECT p.user_id, p.lower_is_better, p.scale_min, p.scale_max FROM ({_primary_sql()}) p "  # noqa: S608
        f"WHERE p.user_id IN ({sub_sql})",
        [PRIMARY_KEY] * 4 + list(sub_params),
        ["user_id", "lower_is_better", "scale_min", "scale_max"],
    )
    if scores.empty or courses.empty:
        return pd.DataFrame(columns=ESTIMATE_COLUMNS)
    first = courses.sort_values(["started_on", "stopped_on"]).drop_duplicates(["user_id", "treatment_key"])
    first = first.merge(primary, on="user_id", how="inner")
    epoch = pd.Timestamp("1970-01-01")
    start = (pd.to_datetime(first.started_on) - epoch).dt.days.to_numpy(dtype=np.int64)
    today_day = (pd.Timestamp(today) - epoch).days
    stop = (pd.to_datetime(first.stopped_on.fillna(today)) - epoch).dt.days.to_numpy(dtype=np.int64)
    last_on = np.minimum(np.minimum(start + WINDOW_DAYS - 1, stop), today_day)

    scores = scores.sort_values(["user_id", "day"])
    shift = np.int64(1 << 20)  # days since 1970 stay below 2**20 until the year 4840
    keys = scores.user_id.to_numpy(dtype=np.int64) * shift + scores.day.to_numpy(dtype=np.int64)
    cum = np.concatenate([[0], np.cumsum(scores.value.to_numpy(dtype=np.int64))])
    base = first.user_id.to_numpy(dtype=np.int64) * shift
    before_sum, before_n = _window_sums(keys, cum, base + start - WINDOW_DAYS, base + start - 1)
    after_sum, after_n = _window_sums(keys, cum, base + start, base + last_on)
    enough = (before_n >= MIN_SCORED_DAYS) & (after_n >= MIN_SCORED_DAYS)
    with np.errstate(divide="ignore", invalid="ignore"):
        before = pd.Series(before_sum / before_n)
        after = pd.Series(after_sum / after_n)
    first = first.assign(
        improvement=improvement(
            before,
            after,
            pd.Series(first.lower_is_better.to_numpy(dtype=bool)),
            pd.Series(first.scale_min.to_numpy(dtype=float)),
            pd.Series(first.scale_max.to_numpy(dtype=float)),
        ),
        source="diary",
    )
    found: pd.DataFrame = first[enough][ESTIMATE_COLUMNS].reset_index(drop=True)
    return found


def courses(consenting: QuerySet[Any], today: dt.date) -> pd.DataFrame:
    """Every course of a catalogue treatment that sharing people started by ``today``."""
    rows = Regimen.objects.filter(treatment__user=None, user_id__in=consenting, started_on__lte=today).values_list(
        "user_id", "treatment__key", "started_on", "stopped_on"
    )
    return pd.DataFrame(list(rows), columns=["user_id", "treatment_key", "started_on", "stopped_on"])


def days_on(frame: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Days on each catalogue treatment per person (all courses, up to ``today``)."""
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


def _trial_improvement(trial: Any, raw: Any) -> float | None:
    """The trial's own estimate on its primary outcome, as a share of the room to improve (None if none)."""
    outcome = next((o for o in raw.outcomes if o.outcome.name == trial.primary_outcome.key), None)
    first = outcome.contrasts[0] if outcome is not None and outcome.contrasts else None
    if first is None or not first.estimable or first.reference_mean is None or first.observed_improvement is None:
        return None
    symptom = trial.primary_outcome
    room = (
        first.reference_mean - symptom.scale_min
        if symptom.lower_is_better
        else symptom.scale_max - first.reference_mean
    )
    return None if room <= 0 else float(np.clip(first.observed_improvement / room, -1.0, 1.0))


def trial_estimates(consenting: QuerySet[Any], today: dt.date) -> pd.DataFrame:
    """Sharing people's ended, unblinded personal trials of one catalogue treatment: their trial's estimate.

    A loop over trials, not people: trials are few, and each is analysed
    exactly as its own result page analyses it (``trials.result.compute``).
    """
    from fibrotrack.trials import result as trial_result
    from fibrotrack.trials.models import Trial

    trials = (
        Trial.objects.filter(user_id__in=consenting, phases__regimens__treatment__user=None)
        .exclude(status=Trial.Status.DRAFT)
        .distinct()
        .select_related("primary_outcome")
        .prefetch_related("unblindings", "phases__regimens__treatment")
    )
    rows = []
    for trial in trials:
        if not trial.has_ended(today) or trial.is_blind_now:
            continue
        keys = {r.treatment.key for p in trial.phases.all() for r in p.regimens.all() if r.treatment.user_id is None}
        if len(keys) != 1:
            continue  # a trial of several treatments at once cannot be credited to one of them
        raw = trial_result.compute(trial, today).raw
        found = _trial_improvement(trial, raw) if raw is not None else None
        if found is not None:
            rows.append((trial.user_id, keys.pop(), found, "trial"))
    return pd.DataFrame(rows, columns=ESTIMATE_COLUMNS)


def people(consenting: QuerySet[Any], today: dt.date, *, with_trials: bool = True) -> pd.DataFrame:
    """Everyone who tracked a catalogue treatment, with days on it and their estimate (NaN if none).

    A personal trial's estimate, when there is one, replaces the before/after
    estimate of the same person and treatment: it is the better design.
    """
    every_course = courses(consenting, today)
    table = days_on(every_course, today)
    estimates = diary_estimates(consenting, today, every_course)
    trials = trial_estimates(consenting, today) if with_trials else None
    if trials is not None and not trials.empty:
        estimates = pd.concat([trials, estimates], ignore_index=True)
        estimates = estimates.drop_duplicates(["user_id", "treatment_key"], keep="first")
    merged = table.merge(estimates, on=["user_id", "treatment_key"], how="left")
    return merged.astype({"improvement": float})
