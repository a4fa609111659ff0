"""What a device export comes down to: per diary day, hours asleep, steps, resting heart rate and HRV.

The rules, in one place:

* **Sleep** belongs to the day you wake up into: a night is assigned to the
  local date (in the person's time zone) on which it ends. Waking at 03:30
  with the diary day turning over at 4 a.m. still counts for that new date,
  not for the diary day that is ending (that day's check-in already holds the
  night before it). Segments less than ``SESSION_GAP`` apart are one night, so
  a night's many stage records never split at midnight or at the turnover.
  Durations are real elapsed time (UTC), so a night across a DST change counts
  the hours actually slept (7 on the spring-forward night from 23:00 to 07:00).
  Overlapping records (a watch and a sleep app both recording) are merged,
  never added twice. Only "asleep" records count (core, deep, REM, or plain
  asleep); "in bed" counts only on a day with no asleep record at all (an
  iPhone on its own records only time in bed), and the preview says so.
* **Steps**: per local date, summed per source; the day's value is the source
  with the most steps that day. A phone and a watch worn together both count
  the same steps, and adding them would double the day.
* **Resting heart rate and HRV**: the mean of that day's readings.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from fibrotrack.diary.models import DailyMeasure

SESSION_GAP = 2 * 3600  # seconds between two sleep segments of the same night
MAX_DAY_STEPS = 500_000  # far beyond any day walked; the trials' analysis scale ends here too
MAX_PROBLEMS = 50
Kind = DailyMeasure.Kind


@dataclass
class Summary:
    source: str  # "Apple Health", "Fitbit", "Google Fit"
    sleep: dict[dt.date, float] = field(default_factory=dict)  # hours asleep
    in_bed_only: set[dt.date] = field(default_factory=set)
    steps: dict[dt.date, float] = field(default_factory=dict)
    step_sources: dict[dt.date, str] = field(default_factory=dict)
    resting_hr: dict[dt.date, float] = field(default_factory=dict)
    hrv: dict[dt.date, float] = field(default_factory=dict)
    records: int = 0  # records read
    used: Counter[str] = field(default_factory=Counter)  # records read per kind
    problems: list[tuple[str, str]] = field(default_factory=list)
    problem_count: int = 0

    def problem(self, location: str, reason: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append((location, reason))

    def values(self) -> dict[tuple[dt.date, str], float]:
        """(day, kind) -> value, every measure the file gives."""
        out: dict[tuple[dt.date, str], float] = {}
        for kind, days in (
            (Kind.SLEEP, self.sleep),
            (Kind.STEPS, self.steps),
            (Kind.RESTING_HR, self.resting_hr),
            (Kind.HRV, self.hrv),
        ):
            for day, value in days.items():
                out[(day, str(kind))] = value
        return out

    def days(self) -> set[dt.date]:
        return {day for day, _ in self.values()}


def finite(value: float, low: float, high: float) -> bool:
    return math.isfinite(value) and low <= value <= high


class SleepCollector:
    """Asleep and in-bed intervals (UTC seconds), turned into hours per wake-up date."""

    def __init__(self) -> None:
        self.asleep: list[tuple[float, float]] = []
        self.in_bed: list[tuple[float, float]] = []

    def add(self, start: float, end: float, *, asleep: bool) -> None:
        if 0 < end - start <= 24 * 3600:  # a record longer than a day is a clock error, not sleep
            (self.asleep if asleep else self.in_bed).append((start, end))

    def finish(self, zone: zoneinfo.ZoneInfo, summary: Summary) -> None:
        asleep = nights(self.asleep, zone)
        for day, hours in nights(self.in_bed, zone).items():
            if day not in asleep:
                asleep[day] = hours
                summary.in_bed_only.add(day)
        summary.sleep.update({day: hours for day, hours in asleep.items() if hours <= 24})


def merged(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The union of intervals, sorted: overlapping records from two sources count once."""
    out: list[tuple[float, float]] = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def nights(intervals: list[tuple[float, float]], zone: zoneinfo.ZoneInfo) -> dict[dt.date, float]:
    """Hours per wake-up date: segments closer than SESSION_GAP are one night, dated by the local date it ends."""
    out: dict[dt.date, float] = defaultdict(float)
    session: list[tuple[float, float]] = []

    def close() -> None:
        if session:
            woke = dt.datetime.fromtimestamp(session[-1][1], tz=dt.UTC).astimezone(zone)
            out[woke.date()] += sum(end - start for start, end in session) / 3600

    for start, end in merged(intervals):
        if session and start - session[-1][1] > SESSION_GAP:
            close()
            session = []
        session.append((start, end))
    close()
    return dict(out)


class Means:
    """Per-day mean of readings (resting heart rate, HRV)."""

    def __init__(self) -> None:
        self.total: dict[dt.date, float] = defaultdict(float)
        self.count: Counter[dt.date] = Counter()

    def add(self, day: dt.date, value: float) -> None:
        self.total[day] += value
        self.count[day] += 1

    def finish(self) -> dict[dt.date, float]:
        return {day: self.total[day] / n for day, n in self.count.items()}


class Steps:
    """Per-day steps per source; the day's value is the source with the most (no double counting)."""

    def __init__(self) -> None:
        self.by_source: dict[tuple[dt.date, str], float] = defaultdict(float)

    def add(self, day: dt.date, source: str, steps: float) -> None:
        self.by_source[(day, source)] += steps

    def finish(self, summary: Summary) -> None:
        for (day, source), steps in sorted(self.by_source.items()):
            if steps > MAX_DAY_STEPS:
                summary.problem(day.isoformat(), f"{steps:,.0f} steps in a day (from {source[:40]}) is not possible")
            elif steps > summary.steps.get(day, -1):
                summary.steps[day] = steps
                summary.step_sources[day] = source


def to_json(summary: Summary, zone: str) -> dict[str, object]:
    """A summary as JSON (kept beside the upload, so the import need not read a large file twice)."""

    def days(values: dict[dt.date, float]) -> dict[str, float]:
        return {day.isoformat(): value for day, value in values.items()}

    return {
        "zone": zone,
        "source": summary.source,
        "sleep": days(summary.sleep),
        "in_bed_only": sorted(day.isoformat() for day in summary.in_bed_only),
        "steps": days(summary.steps),
        "step_sources": {day.isoformat(): source for day, source in summary.step_sources.items()},
        "resting_hr": days(summary.resting_hr),
        "hrv": days(summary.hrv),
        "records": summary.records,
        "used": dict(summary.used),
        "problems": summary.problems,
        "problem_count": summary.problem_count,
    }


def from_json(data: dict[str, object]) -> Summary:
    def days(key: str) -> dict[dt.date, float]:
        found = data[key]
        assert isinstance(found, dict)  # noqa: S101  (written by to_json)
        return {dt.date.fromisoformat(day): float(value) for day, value in found.items()}

    sources = data["step_sources"]
    problems = data["problems"]
    in_bed = data["in_bed_only"]
    assert isinstance(sources, dict) and isinstance(problems, list) and isinstance(in_bed, list)  # noqa: S101
    used = data["used"]
    assert isinstance(used, dict)  # noqa: S101
    return Summary(
        source=str(data["source"]),
        sleep=days("sleep"),
        in_bed_only={dt.date.fromisoformat(day) for day in in_bed},
        steps=days("steps"),
        step_sources={dt.date.fromisoformat(day): str(source) for day, source in sources.items()},
        resting_hr=days("resting_hr"),
        hrv=days("hrv"),
        records=int(str(data["records"])),
        used=Counter({str(k): int(v) for k, v in used.items()}),
        problems=[(str(location), str(reason)) for location, reason in problems],
        problem_count=int(str(data["problem_count"])),
    )
