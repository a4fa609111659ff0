"""Adherence: doses taken out of doses expected. Pure, no Django.

* A dose taken at a different amount still counts as taken (and is counted
  separately too, so it is not hidden).
* A slot nobody answered counts as expected but not taken ("not recorded"),
  shown apart from "skipped" so that a gap in logging is not mistaken for a
  decision.
* Today's slots count only once they are answered: the day is not over.
* As-needed regimens have no expected doses, so no adherence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

TAKEN = "taken"
SKIPPED = "skipped"
DIFFERENT = "different"


@dataclass
class Tally:
    expected: int = 0
    taken: int = 0
    different: int = 0
    skipped: int = 0
    unrecorded: int = 0

    @property
    def taken_any(self) -> int:
        return self.taken + self.different

    @property
    def rate(self) -> float | None:
        return self.taken_any / self.expected if self.expected else None

    @property
    def percent(self) -> int | None:
        rate = self.rate
        return None if rate is None else round(rate * 100)

    def add(self, status: str | None) -> None:
        self.expected += 1
        if status == TAKEN:
            self.taken += 1
        elif status == DIFFERENT:
            self.different += 1
        elif status == SKIPPED:
            self.skipped += 1
        else:
            self.unrecorded += 1


def _counted(day: dt.date, slot: int, logged: Mapping[tuple[dt.date, int], str], today: dt.date) -> bool:
    return day < today or (day == today and (day, slot) in logged)


def tally(expected: Mapping[dt.date, int], logged: Mapping[tuple[dt.date, int], str], today: dt.date) -> Tally:
    """``expected``: day -> number of expected doses; ``logged``: (day, slot) -> status."""
    result = Tally()
    for day, count in expected.items():
        for slot in range(count):
            if _counted(day, slot, logged, today):
                result.add(logged.get((day, slot)))
    return result


def week_start(day: dt.date) -> dt.date:
    """The Monday of the ISO week that holds ``day``."""
    return day - dt.timedelta(days=day.weekday())


def weekly(
    expected: Mapping[dt.date, int], logged: Mapping[tuple[dt.date, int], str], today: dt.date
) -> list[tuple[dt.date, Tally]]:
    """One tally per ISO week (Monday first), newest week first; weeks with nothing expected are left out."""
    weeks: dict[dt.date, Tally] = {}
    for day, count in expected.items():
        for slot in range(count):
            if _counted(day, slot, logged, today):
                weeks.setdefault(week_start(day), Tally()).add(logged.get((day, slot)))
    return sorted(((w, t) for w, t in weeks.items() if t.expected), key=lambda item: item[0], reverse=True)


def daily(
    expected: Mapping[dt.date, int], logged: Mapping[tuple[dt.date, int], str], today: dt.date
) -> dict[dt.date, float | None]:
    """day -> share of that day's expected doses taken (None when nothing was expected)."""
    out: dict[dt.date, float | None] = {}
    for day, count in expected.items():
        day_tally = Tally()
        for slot in range(count):
            if _counted(day, slot, logged, today):
                day_tally.add(logged.get((day, slot)))
        out[day] = day_tally.rate
    return out
