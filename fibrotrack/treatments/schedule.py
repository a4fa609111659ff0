"""When doses are due: the schedule kinds and the slots on a day. Pure, no Django."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext, pgettext


class Kind(StrEnum):
    DAILY = "daily"
    NIGHTLY = "nightly"
    SEVERAL = "several"
    WEEKLY = "weekly"
    AS_NEEDED = "as_needed"


KIND_LABELS: dict[str, str] = {
    Kind.DAILY: "Daily, at set times",
    Kind.NIGHTLY: "Nightly",
    Kind.SEVERAL: "Several times a day",
    Kind.WEEKLY: "Weekly sessions",
    Kind.AS_NEEDED: "As needed",
}

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_TIMES = 6
_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Slot:
    index: int
    label: str


@dataclass(frozen=True)
class Schedule:
    kind: str
    times: tuple[str, ...] = ()  # "HH:MM", for DAILY
    doses_per_day: int = 1  # for SEVERAL
    weekdays: tuple[int, ...] = ()  # 0 = Monday, for WEEKLY

    @property
    def has_expected_doses(self) -> bool:
        return self.kind != Kind.AS_NEEDED

    def slots(self, day: dt.date) -> list[Slot]:
        """The expected doses on ``day`` (none for as-needed, or a weekday off)."""
        if self.kind == Kind.DAILY:
            return [Slot(i, gettext("at %(time)s") % {"time": t}) for i, t in enumerate(self.times or ("",))]
        if self.kind == Kind.NIGHTLY:
            return [Slot(0, gettext("at night"))]
        if self.kind == Kind.SEVERAL:
            n = max(self.doses_per_day, 1)
            return [Slot(i, gettext("dose %(number)d of %(count)d") % {"number": i + 1, "count": n}) for i in range(n)]
        if self.kind == Kind.WEEKLY:
            return (
                [Slot(0, pgettext("a treatment session, e.g. physiotherapy", "session"))]
                if day.weekday() in self.weekdays
                else []
            )
        return []

    def describe(self) -> str:
        if self.kind == Kind.DAILY:
            return "daily at " + ", ".join(self.times) if self.times else "daily"
        if self.kind == Kind.NIGHTLY:
            return "nightly"
        if self.kind == Kind.SEVERAL:
            return f"{self.doses_per_day} times a day"
        if self.kind == Kind.WEEKLY:
            days = [WEEKDAYS[d] + "s" for d in sorted(self.weekdays)]
            return "weekly on " + _join(days) if days else "weekly"
        return "as needed"


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def parse_times(text: str) -> list[str]:
    """ "8:00, 20:00" or "8am, 8pm" -> ["08:00", "20:00"], sorted and unique.

    Raises ValueError with a plain sentence for anything it cannot read.
    """
    out: set[str] = set()
    for raw in re.split(r"[,;\s]+(?![ap]\.?m)", text.strip()):
        part = raw.strip()
        if not part:
            continue
        match = _TIME.match(part)
        if not match:
            raise ValueError(f"“{part}” is not a time. Write times like 08:00 or 20:30, separated by commas.")
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        suffix = (match.group(3) or "").lower().replace(".", "")
        if suffix:
            if not 1 <= hour <= 12:
                raise ValueError(f"“{part}” is not a time. With am or pm, the hour is from 1 to 12.")
            hour = hour % 12 + (12 if suffix == "pm" else 0)
        if hour > 23 or minute > 59:
            raise ValueError(f"“{part}” is not a time. Hours go from 0 to 23 and minutes from 0 to 59.")
        out.add(f"{hour:02d}:{minute:02d}")
    if len(out) > MAX_TIMES:
        raise ValueError(f"Up to {MAX_TIMES} times a day. For more, choose “Several times a day”.")
    return sorted(out)
