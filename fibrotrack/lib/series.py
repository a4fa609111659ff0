"""Small helpers over daily series, shared by the diary and the reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping


def days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """Every calendar date from start to end inclusive."""
    for offset in range((end - start).days + 1):
        yield start + dt.timedelta(days=offset)


def rolling_mean(
    values: Mapping[dt.date, float],
    start: dt.date,
    end: dt.date,
    *,
    window: int = 7,
    min_periods: int = 4,
) -> dict[dt.date, float | None]:
    """Trailing mean over ``window`` calendar days.

    Missing days are skipped, not treated as zero; with fewer than
    ``min_periods`` answers in the window the mean is None, so a sparse week
    shows as a gap instead of a confident-looking line.
    """
    out: dict[dt.date, float | None] = {}
    for day in days(start, end):
        window_values = [v for d in days(day - dt.timedelta(days=window - 1), day) if (v := values.get(d)) is not None]
        out[day] = sum(window_values) / len(window_values) if len(window_values) >= min_periods else None
    return out
