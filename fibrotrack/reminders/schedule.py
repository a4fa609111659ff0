"""When a reminder is next due: pure arithmetic on the local wall clock, no Django.

A reminder at 20:00 in Europe/Berlin is due at 20:00 local time every day,
whatever the UTC offset that day: each occurrence is the local date combined
with the local time, then converted. A time that does not exist on the day
the clocks go forward (02:30) comes an hour later by the old offset; a time
that happens twice when they go back is the first one (``fold=0``).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

UTC = dt.UTC


def zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def occurrence(day: dt.date, at: dt.time, tz: dt.tzinfo) -> dt.datetime:
    """The UTC instant of ``at`` on the local date ``day``."""
    return dt.datetime.combine(day, at.replace(tzinfo=None), tzinfo=tz).astimezone(UTC)


def next_occurrence(at: dt.time, tz: dt.tzinfo, after: dt.datetime) -> tuple[dt.datetime, dt.date]:
    """The first occurrence strictly after ``after``: its UTC instant and its local date."""
    day = after.astimezone(tz).date() - dt.timedelta(days=1)
    for offset in range(4):
        candidate = day + dt.timedelta(days=offset)
        instant = occurrence(candidate, at, tz)
        if instant > after:
            return instant, candidate
    raise AssertionError("unreachable: a local time recurs every day")  # pragma: no cover
