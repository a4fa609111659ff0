"""Google Fit's "Daily activity metrics" table from Google Takeout (Takeout/Fit/Daily activity metrics/).

One row per day: ``Date`` (2024-01-31) and ``Step count`` are read; the other
columns (calories, distance, move minutes, heart points, average heart rate)
are not FibroTrack measures. The average heart rate is not a resting heart
rate, so it is left out rather than passed off as one. Upload the Takeout zip
or the CSV itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo
from collections.abc import Callable
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fibrotrack.portability.imports.base import ImportRefused
from fibrotrack.portability.wearables import files
from fibrotrack.portability.wearables.summary import Summary, finite

MAX_TABLE = 64 * 1024 * 1024  # a day a row: decades fit in a few MB
NOT_FIT = gettext_lazy(
    "This is not Google Fit’s “Daily activity metrics.csv”: its first row should have a “Date” and a "
    "“Step count” column."
)
SOURCE = "Google Fit"


def member(names: list[str]) -> str:
    for name in names:
        base = name.rsplit("/", 1)[-1].lower()
        if base in ("daily activity metrics.csv", "métricas de actividad diaria.csv"):
            return name
    raise ImportRefused(_("This zip holds no Google Fit “Daily activity metrics.csv”."))


def _day(text: str) -> dt.date:
    text = text.strip()
    if "/" in text:
        return dt.datetime.strptime(text, "%m/%d/%Y").replace(tzinfo=dt.UTC).date()
    return dt.date.fromisoformat(text)


def parse(data: bytes) -> Summary:
    try:
        text = data.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except (UnicodeDecodeError, csv.Error):
        raise ImportRefused(str(NOT_FIT)) from None
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    if "date" not in header or "step count" not in header:
        raise ImportRefused(str(NOT_FIT))
    date_at, steps_at = header.index("date"), header.index("step count")
    summary = Summary(source=SOURCE)
    for line, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        summary.records += 1
        try:
            if len(row) != len(header):
                raise ValueError(_("expected {n} columns, found {found}").format(n=len(header), found=len(row)))
            day = _day(row[date_at])
            if not row[steps_at].strip():
                continue  # no steps recorded that day
            steps = float(row[steps_at])
            if not finite(steps, 0, 200_000):
                raise ValueError(_("steps out of range"))
        except ValueError as error:
            summary.problem(f"row {line}", str(error))
            continue
        summary.steps[day] = summary.steps.get(day, 0) + steps
        summary.step_sources[day] = SOURCE
        summary.used["steps"] += 1
    return summary


def read(path: Path, zone: zoneinfo.ZoneInfo, progress: Callable[[int], None] | None = None) -> Summary:
    if files.is_zip(path):
        with files.open_zip(path) as archive:
            name = member(archive.namelist())
            try:
                stream = archive.open(name)
            except files.DAMAGED:
                raise files.damaged() from None
            with stream:
                return parse(files.Counted(stream).read_all(MAX_TABLE))
    with open(path, "rb") as handle:
        return parse(files.Counted(handle).read_all(MAX_TABLE))
