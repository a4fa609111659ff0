"""Validation and normalisation of the daily input table.

Both the Python API (a pandas DataFrame) and the CSV reader end up here, so
every rule about what a valid series is lives in one place.  Errors are
:class:`~fibrostats.types.AnalysisInputError` and name the row (or the CSV
line, when the caller passes line numbers) and the column.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from .types import AnalysisConfig, AnalysisInputError, OutcomeSpec

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# A value may exceed the scale by this much before it is rejected, so that
# floating-point noise from upstream arithmetic (0.1 + 0.2) is not an error.
_SCALE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Run:
    """Consecutive rows (in date order) that carry the same phase label."""

    phase: str
    start: int  # first row index
    stop: int  # one past the last row index
    first_day: int
    last_day: int


@dataclass(frozen=True)
class Series:
    """A validated daily series, sorted by date, one row per observed date.

    ``t`` is the day number counted from ``first_date``; calendar gaps
    (days without a row) show up as jumps in ``t``.
    """

    first_date: dt.date
    t: IntArray
    phase: npt.NDArray[np.object_]
    values: dict[str, FloatArray]
    taken: FloatArray | None
    phase_order: list[str]
    runs: list[Run]
    lines: IntArray | None
    covariates: dict[str, FloatArray] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return int(self.t.size)

    def date_of(self, day: int) -> dt.date:
        return self.first_date + dt.timedelta(days=int(day))

    def where(self, row: int) -> int | None:
        return None if self.lines is None else int(self.lines[row])


def _locate(row: int, lines: IntArray | None, date: str | None = None) -> tuple[int | None, str]:
    if lines is not None:
        return int(lines[row]), ""
    label = f"row {row + 1}"
    if date:
        label += f" ({date})"
    return None, label + ": "


def _fail(message: str, row: int, lines: IntArray | None, column: str, date: str | None = None) -> AnalysisInputError:
    line, prefix = _locate(row, lines, date)
    return AnalysisInputError(prefix + message, line=line, column=column)


def _normalise_dates(col: pd.Series, lines: IntArray | None) -> npt.NDArray[np.datetime64]:
    """Calendar dates as ``datetime64[D]``; times of day must be midnight."""
    try:
        # Text dates must be ISO 8601 (2024-01-31): guessing between 01/02 and
        # 02/01 would silently swap days and months.
        parsed = pd.to_datetime(col, errors="coerce", format="ISO8601")
    except (TypeError, ValueError) as exc:  # e.g. mixed time zones
        raise AnalysisInputError(f"column 'date': cannot read dates ({exc})") from exc
    if getattr(parsed.dt, "tz", None) is not None:
        # A time-zone-aware timestamp is read in its own zone: the diary day is
        # the local calendar day on which the entry was made.
        parsed = parsed.dt.tz_localize(None)
    bad = np.flatnonzero(parsed.isna().to_numpy())
    if bad.size:
        i = int(bad[0])
        raise _fail(f"cannot read {col.iloc[i]!r} as a date", i, lines, "date")
    values = parsed.to_numpy(dtype="datetime64[ns]")
    days = values.astype("datetime64[D]")
    off = np.flatnonzero(values != days.astype("datetime64[ns]"))
    if off.size:
        i = int(off[0])
        raise _fail(
            f"{col.iloc[i]!r} has a time of day; give one row per calendar day",
            i,
            lines,
            "date",
        )
    return days


def _numeric(col: pd.Series, name: str, lines: IntArray | None) -> FloatArray:
    if pd.api.types.is_bool_dtype(col.dtype):
        return np.asarray(
            col.astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan),
            dtype=np.float64,
        )
    converted = pd.Series(pd.to_numeric(col, errors="coerce"))
    values = np.asarray(
        converted.astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan),
        dtype=np.float64,
    )
    was_missing = col.isna().to_numpy()
    bad = np.flatnonzero(np.isnan(values) & ~was_missing)
    if bad.size:
        i = int(bad[0])
        raise _fail(f"{col.iloc[i]!r} is not a number", i, lines, name)
    inf = np.flatnonzero(np.isinf(values))
    if inf.size:
        i = int(inf[0])
        raise _fail(f"{col.iloc[i]!r} is not a finite number", i, lines, name)
    return values


def check_scale(
    values: FloatArray,
    outcome: OutcomeSpec,
    lines: IntArray | None,
    dates: Sequence[str],
) -> None:
    tol = _SCALE_TOLERANCE * outcome.scale_range
    outside = np.flatnonzero((values < outcome.scale_min - tol) | (values > outcome.scale_max + tol))
    if outside.size:
        i = int(outside[0])
        raise _fail(
            f"value {values[i]:g} is outside the scale {outcome.scale_min:g}-{outcome.scale_max:g}",
            i,
            lines,
            outcome.name,
            dates[i] if dates else None,
        )


def _runs(phase: npt.NDArray[np.object_], t: IntArray) -> list[Run]:
    runs: list[Run] = []
    start = 0
    for i in range(1, phase.size + 1):
        if i == phase.size or phase[i] != phase[start]:
            runs.append(Run(str(phase[start]), start, i, int(t[start]), int(t[i - 1])))
            start = i
    return runs


def prepare(df: pd.DataFrame, config: AnalysisConfig, *, lines: Sequence[int] | None = None) -> Series:
    """Validate ``df`` against ``config`` and return a sorted :class:`Series`.

    ``lines`` optionally gives, for each row of ``df``, the line of the file
    it came from, so that errors can point at it.
    """
    if not isinstance(df, pd.DataFrame):
        raise AnalysisInputError("expected a pandas DataFrame")
    if len(df) == 0:
        raise AnalysisInputError("the data has no rows")
    required = ["date", "phase", *(o.name for o in config.outcomes), *config.covariates]
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise AnalysisInputError(
            f"missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}",
            column=missing[0],
        )
    line_arr = None if lines is None else np.asarray(lines, dtype=np.int64)
    if line_arr is not None and line_arr.size != len(df):
        raise ValueError("lines must have one entry per row")

    days = _normalise_dates(df["date"], line_arr)
    order = np.argsort(days, kind="stable")
    days = days[order]
    if line_arr is not None:
        line_arr = line_arr[order]
    dup = np.flatnonzero(days[1:] == days[:-1])
    if dup.size:
        i = int(dup[0]) + 1
        first = _locate(i - 1, line_arr)[0]
        also = f" (also on line {first})" if first is not None else ""
        raise _fail(f"duplicate date {days[i]}{also}", i, line_arr, "date", str(days[i]))

    date_strings = [str(d) for d in days]
    phase_raw = df["phase"].to_numpy(dtype=object)[order]
    phase = np.empty(phase_raw.size, dtype=object)
    for i, p in enumerate(phase_raw):
        if p is None or (isinstance(p, float) and math.isnan(p)) or not str(p).strip():
            raise _fail("the phase is empty", i, line_arr, "phase", date_strings[i])
        phase[i] = str(p).strip()

    first = days[0]
    t = (days - first).astype(np.int64)
    values: dict[str, FloatArray] = {}
    for outcome in config.outcomes:
        col = df[outcome.name].iloc[order].reset_index(drop=True)
        v = _numeric(col, outcome.name, line_arr)
        check_scale(v, outcome, line_arr, date_strings)
        values[outcome.name] = v

    covariates: dict[str, FloatArray] = {}
    for name in config.covariates:
        col = df[name].iloc[order].reset_index(drop=True)
        covariates[name] = _numeric(col, name, line_arr)

    taken: FloatArray | None = None
    if "taken" in df.columns:
        col = df["taken"].iloc[order].reset_index(drop=True)
        taken = _numeric(col, "taken", line_arr)
        bad = np.flatnonzero(~np.isnan(taken) & (taken != 0.0) & (taken != 1.0))
        if bad.size:
            i = int(bad[0])
            raise _fail("taken must be 1 (yes), 0 (no) or empty", i, line_arr, "taken")

    phase_order: list[str] = []
    for p in phase:
        if p not in phase_order:
            phase_order.append(str(p))
    _check_phase_names(config, phase_order)
    first_date = dt.date.fromisoformat(str(first))
    return Series(
        first_date=first_date,
        t=t,
        phase=phase,
        values=values,
        taken=taken,
        phase_order=phase_order,
        runs=_runs(phase, t),
        lines=line_arr,
        covariates=covariates,
    )


def _check_phase_names(config: AnalysisConfig, phases: list[str]) -> None:
    known = ", ".join(phases)

    def need(name: str, what: str) -> None:
        if name not in phases:
            raise AnalysisInputError(f"unknown phase '{name}' in {what}; the data has: {known}", column="phase")

    need(config.reference, "reference")
    if config.treatment is not None:
        need(config.treatment, "treatment")
    for a, b in config.comparisons or ():
        need(a, "comparisons")
        need(b, "comparisons")
    for p in config.exclude_phases:
        need(p, "exclude_phases")
    for p in config.adherence_phases or ():
        need(p, "adherence_phases")
    for p in config.planned_days or {}:
        need(p, "planned_days")
    excluded = set(config.exclude_phases)
    used: list[str | None] = [
        config.reference,
        config.treatment,
        *(x for c in config.comparisons or () for x in c),
    ]
    for name in used:
        if name is not None and name in excluded:
            raise AnalysisInputError(f"phase '{name}' is compared but also excluded")
