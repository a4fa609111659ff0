"""Schedule arithmetic for a trial: pure functions over dates, no Django.

A trial's phases are planned in an order (``position``). Phases that share a
randomization ``block`` (a pair of periods, or the two conditions of a
crossover) are run in an order drawn at the start and sealed in the
allocation; everything else runs as planned. The schedule is then laid out
on calendar dates from the start date: phase *n* starts the day after phase
*n - 1* ends. Only ``date + timedelta(days=...)`` is used, so month ends,
leap days and daylight-saving changes cannot shift a phase (the diary day is
a local calendar date, see ``fibrotrack.lib.dates``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PlannedPhase:
    position: int
    kind: str
    days: int
    counts: bool = True
    blinded: bool = False
    block: int | None = None


@dataclass(frozen=True)
class ScheduledPhase:
    """A phase on the calendar; ``index`` is its place in the actual order (0-based)."""

    phase: PlannedPhase
    index: int
    start: dt.date
    end: dt.date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def blocks(phases: Sequence[PlannedPhase]) -> dict[int, list[int]]:
    """block -> positions in planned order. Raises ValueError if a block is not contiguous."""
    ordered = sorted(phases, key=lambda p: p.position)
    out: dict[int, list[int]] = {}
    last_block: int | None = None
    for p in ordered:
        if p.block is not None:
            if p.block in out and last_block != p.block:
                raise ValueError(f"randomization block {p.block} is split by another phase")
            out.setdefault(p.block, []).append(p.position)
        last_block = p.block
    return out


def actual_order(phases: Sequence[PlannedPhase], order: Mapping[int, Sequence[int]] | None) -> list[PlannedPhase]:
    """The phases in the order they are run: each block's slots filled in its drawn order."""
    ordered = sorted(phases, key=lambda p: p.position)
    by_position = {p.position: p for p in ordered}
    planned_blocks = blocks(ordered)
    result = list(ordered)
    for block, positions in planned_blocks.items():
        drawn = list((order or {}).get(block, positions))
        if sorted(drawn) != sorted(positions):
            raise ValueError(f"the drawn order of block {block} is not a permutation of its phases")
        slots = [i for i, p in enumerate(ordered) if p.block == block]
        for slot, position in zip(slots, drawn, strict=True):
            result[slot] = by_position[position]
    return result


def lay_out(phases_in_order: Sequence[PlannedPhase], start: dt.date) -> list[ScheduledPhase]:
    out: list[ScheduledPhase] = []
    day = start
    for index, phase in enumerate(phases_in_order):
        if phase.days < 1:
            raise ValueError("every phase needs at least one day")
        end = day + dt.timedelta(days=phase.days - 1)
        out.append(ScheduledPhase(phase, index, day, end))
        day = end + dt.timedelta(days=1)
    return out


def build(
    phases: Sequence[PlannedPhase], start: dt.date, order: Mapping[int, Sequence[int]] | None = None
) -> list[ScheduledPhase]:
    return lay_out(actual_order(phases, order), start)


def total_days(phases: Sequence[PlannedPhase]) -> int:
    return sum(p.days for p in phases)


def end_date(start: dt.date, phases: Sequence[PlannedPhase]) -> dt.date:
    return start + dt.timedelta(days=total_days(phases) - 1)


def phase_on(schedule: Sequence[ScheduledPhase], day: dt.date) -> ScheduledPhase | None:
    return next((s for s in schedule if s.covers(day)), None)


def day_number(start: dt.date, day: dt.date) -> int:
    """1 on the start date."""
    return (day - start).days + 1


def days_left(end: dt.date, day: dt.date) -> int:
    """Days still to go after ``day`` (0 on the last day)."""
    return max((end - day).days, 0)


@dataclass(frozen=True)
class Segment:
    """What the participant may see of the schedule: open phases, and blinded parts merged."""

    start: dt.date
    end: dt.date
    phases: tuple[ScheduledPhase, ...]
    blinded: bool

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def segments(schedule: Sequence[ScheduledPhase], *, reveal: bool) -> list[Segment]:
    """Consecutive blinded phases become one segment unless ``reveal``.

    While a trial is blinded the participant must not learn where one blinded
    period ends and the next begins from the plan view (the container letter
    changes on the day, which is unavoidable), nor which condition each is.
    """
    out: list[Segment] = []
    for s in schedule:
        merge = not reveal and s.phase.blinded and out and out[-1].blinded
        if merge:
            last = out[-1]
            out[-1] = Segment(last.start, s.end, (*last.phases, s), True)
        else:
            out.append(Segment(s.start, s.end, (s,), s.phase.blinded and not reveal))
    return out


def truncate(schedule: Sequence[ScheduledPhase], last_day: dt.date | None) -> list[ScheduledPhase]:
    """The schedule as actually run when the trial stopped early on ``last_day`` (inclusive)."""
    if last_day is None:
        return list(schedule)
    out = []
    for s in schedule:
        if s.start > last_day:
            break
        out.append(ScheduledPhase(s.phase, s.index, s.start, min(s.end, last_day)))
    return out
