"""The diary day: a person's local calendar date, with a configurable turnover.

People with fibromyalgia often fill in "last night" after midnight. With the
day turning over at 4 a.m. (the default), a check-in at 1 a.m. belongs to the
previous calendar date. The rule works on the local wall clock, so a DST jump
never moves an entry to the wrong day.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Protocol

from django.utils import timezone


class HasDiaryClock(Protocol):
    time_zone: str
    day_starts_at_hour: int


def user_zone(user: HasDiaryClock) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def diary_day(user: HasDiaryClock, at: dt.datetime | None = None) -> dt.date:
    """The diary date that the instant ``at`` (default: now) belongs to."""
    instant = at if at is not None else timezone.now()
    if timezone.is_naive(instant):
        raise ValueError("diary_day needs an aware datetime")
    local = instant.astimezone(user_zone(user))
    if local.hour < user.day_starts_at_hour:
        return local.date() - dt.timedelta(days=1)
    return local.date()


def parse_iso_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
