"""Reading a diary CSV file with precise, one-line error messages.

Format: a header line with ``date``, ``phase``, one or more outcome columns
and optionally ``taken``; then one line per day.  Dates are ISO 8601
(``2024-01-31``).  An empty cell, ``NA``, ``NaN`` or ``.`` is a missing
value.  ``taken`` is 1/0 (also yes/no, true/false).  Every error names the
line of the file (the header is line 1) and the column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .types import AnalysisInputError

RESERVED = ("date", "phase", "taken")
MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "."})
TAKEN_TOKENS = {
    "1": 1.0, "0": 0.0, "yes": 1.0, "no": 0.0, "y": 1.0, "n": 0.0,
    "true": 1.0, "false": 0.0,
}  # fmt: skip


@dataclass(frozen=True)
class DiaryTable:
    """A parsed diary: the data, the file line of each row, the outcome columns."""

    df: pd.DataFrame
    lines: list[int]
    outcome_columns: list[str]
    has_taken: bool

    @property
    def phases(self) -> list[str]:
        return list(dict.fromkeys(str(p) for p in self.df["phase"]))


def _parse_date(text: str, line: int) -> dt.date:
    s = text.strip()
    try:
        if len(s) != 10:
            raise ValueError
        return dt.date.fromisoformat(s)
    except ValueError:
        raise AnalysisInputError(
            f"cannot read {text!r} as a date (expected YYYY-MM-DD)",
            line=line,
            column="date",
        ) from None


def _parse_number(text: str, line: int, column: str) -> float:
    s = text.strip()
    if s.lower() in MISSING_TOKENS:
        return math.nan
    try:
        v = float(s)
    except ValueError:
        raise AnalysisInputError(f"{text!r} is not a number", line=line, column=column) from None
    if not math.isfinite(v):
        raise AnalysisInputError(f"{text!r} is not a finite number", line=line, column=column)
    return v


def parse_diary(text: str) -> DiaryTable:
    """Parse diary CSV text.  Raises :class:`AnalysisInputError`."""
    if not text.strip():
        raise AnalysisInputError("the file is empty", line=1)
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            # line_num is the file line on which this record ends, which is
            # its only line unless a quoted cell spans lines.
            records.append((reader.line_num, row))
    except csv.Error as exc:
        raise AnalysisInputError(f"the file is not valid CSV ({exc})", line=reader.line_num or None) from None
    records = [(n, r) for n, r in records if any(c.strip() for c in r)]
    if not records:
        raise AnalysisInputError("the file is empty", line=1)
    header_line, header_row = records[0]
    header = [c.strip() for c in header_row]
    for i, name in enumerate(header):
        if not name:
            raise AnalysisInputError(f"column {i + 1} has no name", line=header_line)
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise AnalysisInputError("the column name appears twice", line=header_line, column=name)
        seen.add(name)
    for required in ("date", "phase"):
        if required not in header:
            raise AnalysisInputError(
                f"missing column '{required}' (the header is: {','.join(header)})",
                line=header_line,
                column=required,
            )
    outcomes = [c for c in header if c not in RESERVED]
    if not outcomes:
        raise AnalysisInputError(
            "no outcome column: add at least one column of daily values (e.g. pain)",
            line=header_line,
        )
    idx = {name: i for i, name in enumerate(header)}
    dates: list[dt.date] = []
    phases: list[str] = []
    values: dict[str, list[float]] = {c: [] for c in outcomes}
    taken: list[float] = []
    lines: list[int] = []
    first_line: dict[dt.date, int] = {}
    for line, row in records[1:]:
        if len(row) != len(header):
            raise AnalysisInputError(f"expected {len(header)} values, found {len(row)}", line=line)
        d = _parse_date(row[idx["date"]], line)
        if d in first_line:
            raise AnalysisInputError(
                f"duplicate date {d.isoformat()} (also on line {first_line[d]})",
                line=line,
                column="date",
            )
        first_line[d] = line
        phase = row[idx["phase"]].strip()
        if not phase:
            raise AnalysisInputError("the phase is empty", line=line, column="phase")
        for c in outcomes:
            values[c].append(_parse_number(row[idx[c]], line, c))
        if "taken" in idx:
            token = row[idx["taken"]].strip().lower()
            if token in MISSING_TOKENS:
                taken.append(math.nan)
            elif token in TAKEN_TOKENS:
                taken.append(TAKEN_TOKENS[token])
            else:
                raise AnalysisInputError(
                    f"{row[idx['taken']]!r} is not 1 (taken) or 0 (not taken)",
                    line=line,
                    column="taken",
                )
        dates.append(d)
        phases.append(phase)
        lines.append(line)
    if not dates:
        raise AnalysisInputError("the file has a header but no data rows", line=header_line + 1)
    data: dict[str, object] = {
        "date": pd.to_datetime(pd.Series(dates)),
        "phase": phases,
    }
    data.update(values)
    if "taken" in idx:
        data["taken"] = taken
    df = pd.DataFrame(data)
    return DiaryTable(df=df, lines=lines, outcome_columns=outcomes, has_taken="taken" in idx)


def read_diary(path: str | Path) -> DiaryTable:
    """Read and parse a diary CSV file (UTF-8, optional byte-order mark)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise AnalysisInputError(f"no such file: {p}") from None
    except IsADirectoryError:
        raise AnalysisInputError(f"{p} is a directory, not a CSV file") from None
    except OSError as exc:
        raise AnalysisInputError(f"cannot read {p}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise AnalysisInputError("the file is not UTF-8 text", line=line) from None
    return parse_diary(text)
