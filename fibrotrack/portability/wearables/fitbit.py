"""Fitbit's files from Google Takeout (or fitbit.com's data export): the JSON of "Global Export Data".

* ``sleep-YYYY-MM-DD.json``: a list of sleep logs, each with ``dateOfSleep`` (the
  day Fitbit gives the night: the day you woke up) and ``minutesAsleep``. Naps
  are logs of their own; a day's logs are added up, as for Apple Health.
* ``steps-YYYY-MM-DD.json``: a list of ``{"dateTime": "01/31/24 07:01:00", "value": "12"}``
  per minute. Fitbit writes these times in UTC, so each is moved to the person's
  time zone before it is added to its local date.
* ``resting_heart_rate-YYYY-MM-DD.json``: ``{"dateTime": ..., "value": {"date": "01/31/24",
  "value": 61.4, "error": 6.8}}`` per day; a value of 0 means none was computed.

Upload the Takeout zip, or one of these files on its own (its content tells
which it is). Each file is a month or so, read whole (``MAX_MEMBER``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fibrotrack.portability.imports.base import ImportRefused
from fibrotrack.portability.wearables import files
from fibrotrack.portability.wearables.summary import Means, Steps, Summary, finite

MAX_MEMBER = 256 * 1024 * 1024
MAX_TOTAL = 8 * 1024**3  # years of minute steps are a few GB at most
NAMES = re.compile(r"(^|/)(sleep|steps|resting_heart_rate)-\d{4}-\d{2}-\d{2}\.json$")
NOT_FITBIT = gettext_lazy(
    "This is not one of Fitbit’s files: FibroTrack reads sleep-…, steps-… and resting_heart_rate-… .json "
    "from the Takeout’s “Global Export Data” folder, or the Takeout zip itself."
)
SOURCE = "Fitbit"


def _day(text: Any) -> dt.date:
    """ "01/31/24" or "2024-01-31" (with or without a time) -> the date."""
    if not isinstance(text, str):
        raise ValueError("no date")
    text = text.strip()
    if "/" in text[:8]:
        return dt.datetime.strptime(text[:8], "%m/%d/%y").replace(tzinfo=dt.UTC).date()
    return dt.date.fromisoformat(text[:10])


def _instant(text: Any) -> dt.datetime:
    if not isinstance(text, str):
        raise ValueError("no time")
    return dt.datetime.strptime(text.strip()[:17], "%m/%d/%y %H:%M:%S").replace(tzinfo=dt.UTC)


def kind_of(records: Any) -> str | None:
    """Which Fitbit file this content is, from its shape; None if it is none of them."""
    if not isinstance(records, list) or not records or not all(isinstance(r, dict) for r in records[:20]):
        return None
    first = records[0]
    if "dateOfSleep" in first and "minutesAsleep" in first:
        return "sleep"
    if "dateTime" in first and isinstance(first.get("value"), dict) and "date" in first["value"]:
        return "resting_heart_rate"
    if "dateTime" in first and isinstance(first.get("value"), str | int | float):
        return "steps"
    return None


class _Reader:
    def __init__(self, zone: zoneinfo.ZoneInfo) -> None:
        self.zone = zone
        self.summary = Summary(source=SOURCE)
        self.sleep: dict[dt.date, float] = {}
        self.steps = Steps()
        self.resting = Means()

    def add(self, name: str, records: Any) -> None:
        kind = kind_of(records)
        if kind is None:
            raise ImportRefused(str(NOT_FITBIT) + " " + _("({name} is not.)").format(name=name[-80:]))
        summary = self.summary
        for index, record in enumerate(records):
            summary.records += 1
            try:
                if not isinstance(record, dict):
                    raise ValueError("not an object")
                if kind == "sleep":
                    minutes = float(record["minutesAsleep"])
                    if not finite(minutes, 0, 24 * 60):
                        raise ValueError("minutesAsleep out of range")
                    day = _day(record["dateOfSleep"])
                    self.sleep[day] = self.sleep.get(day, 0.0) + minutes / 60
                elif kind == "steps":
                    steps = float(record["value"])
                    if not finite(steps, 0, 100_000):
                        raise ValueError("steps out of range")
                    self.steps.add(_instant(record["dateTime"]).astimezone(self.zone).date(), SOURCE, steps)
                else:
                    value = record["value"]
                    bpm = float(value["value"])
                    if bpm == 0:
                        continue  # Fitbit's "not computed that day"
                    if not finite(bpm, 20, 250):
                        raise ValueError("resting heart rate out of range")
                    self.resting.add(_day(value["date"]), bpm)
                summary.used[kind] += 1
            except (KeyError, TypeError, ValueError, OverflowError) as error:
                summary.problem(f"{name[-60:]} #{index + 1}", _("unreadable record ({error})").format(error=error))

    def finish(self) -> Summary:
        summary = self.summary
        summary.sleep = {day: hours for day, hours in self.sleep.items() if 0 < hours <= 24}  # 0: a failed log
        self.steps.finish(summary)
        summary.resting_hr = self.resting.finish()
        return summary


def _load(data: bytes, name: str) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        raise ImportRefused(str(NOT_FITBIT) + " " + _("({name} is not JSON.)").format(name=name[-80:])) from None


def read(path: Path, zone: zoneinfo.ZoneInfo, progress: Callable[[int], None] | None = None) -> Summary:
    reader = _Reader(zone)
    if files.is_zip(path):
        with files.open_zip(path) as archive:
            names = sorted(n for n in archive.namelist() if NAMES.search(n))
            if not names:
                raise ImportRefused(str(NOT_FITBIT))
            total = 0
            for name in names:
                try:
                    stream = archive.open(name)
                except files.DAMAGED:
                    raise files.damaged() from None
                with stream:
                    data = files.Counted(stream).read_all(MAX_MEMBER)
                total += len(data)
                if total > MAX_TOTAL:  # many members that each inflate a lot: a zip bomb
                    raise ImportRefused(_("This file unpacks to far more data than any export holds: it was refused."))
                reader.add(name, _load(data, name))
                if progress is not None:
                    progress(reader.summary.records)
    else:
        with open(path, "rb") as handle:
            reader.add(path.name, _load(files.Counted(handle).read_all(MAX_MEMBER), "the file"))
    return reader.finish()
