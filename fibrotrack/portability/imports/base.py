"""What every import reports: the preview shown before confirming, and the result after."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MAX_PROBLEMS = 200  # listed; the total is always counted
FIRST_ROWS = 10

# How a long import tells the background job how far it is: (phase, rows so far, rows in all or None).
# ``apply(path, user, options, progress=None)`` calls it now and then; the command line passes none.
Progress = Callable[[str, int, "int | None"], None]
READING = "reading"  # the first pass: checking every row (what the preview does)
SAVING = "saving"  # the second pass: writing, in one transaction
PROGRESS_EVERY = 10_000


class ImportRefused(Exception):
    """The file as a whole cannot be imported (wrong format, several people, unknown version)."""

    def __init__(self, message: str, sources: list[tuple[str, int]] | None = None) -> None:
        super().__init__(message)
        self.sources = sources or []


@dataclass(frozen=True)
class Options:
    source_user: str | None = None  # the Flaredown user_id to import, when a file holds several
    weather: str = "note"  # "note" or "skip"
    # The new Flaredown scales (casefolded names) the person ticked for the daily check-in; the
    # rest are kept in history only. None: nobody chose (the command line), so the defaults apply.
    daily: frozenset[str] | None = None
    # Watches and phones: replace hours slept the person typed with the device's (the preview's explicit choice).
    replace_sleep: bool = False


@dataclass(frozen=True)
class NewScale:
    """A Flaredown condition or symptom that no scale of the person's matches: the preview asks about it."""

    key: str  # the casefolded name, which the confirm form sends back when ticked
    name: str
    condition: bool  # a diagnosis (Flaredown's "Condition", or a name like Fibromyalgia), not a symptom
    daily: bool  # ticked by default: symptoms yes, diagnoses no


@dataclass
class Problem:
    location: str  # "row 12" (the line in the file, header = row 1) or "checkins #3"
    reason: str


@dataclass
class Preview:
    format: str
    rows: int = 0
    counts: list[tuple[str, int]] = field(default_factory=list)  # what the file holds
    changes: list[tuple[str, int]] = field(default_factory=list)  # what applying would do
    mapping: list[str] = field(default_factory=list)  # how the file's values become FibroTrack's
    columns: list[str] = field(default_factory=list)
    first_rows: list[list[str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    first_day: Any = None
    last_day: Any = None
    new_scales: list[NewScale] = field(default_factory=list)  # Flaredown names that would become new scales
    joined: list[tuple[str, str]] = field(default_factory=list)  # (name in the file, the scale it joins)
    conflicts: list[tuple[Any, str, str]] = field(default_factory=list)  # (day, typed, the device's): hours slept

    def problem(self, location: str, reason: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(location, reason))


@dataclass
class Result:
    written: list[tuple[str, int]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0

    @property
    def total(self) -> int:
        return sum(n for _, n in self.written)
