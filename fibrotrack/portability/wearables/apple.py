"""Apple Health's export (``export.zip`` or the ``export.xml`` inside it), streamed.

A year of a watch's heart-rate samples makes export.xml gigabytes long, so it
is never loaded: expat calls ``_start`` for each element and only the four
record types read here are kept, as per-day sums (``summary``). Memory is
bounded by the number of days and sleep segments, not by the file.

Safety: the file starts with an internal DTD (``<!DOCTYPE HealthData [...]>``,
element and attribute declarations), which is allowed; any entity declaration
(the "billion laughs" bomb, external entities reading local files or URLs) is
refused before it can expand, the same guard as defusedxml's
``forbid_entities`` and ``forbid_external``, on the C expat parser with no
tree built (a 2 GB file in well under the 3 minutes it is allowed).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import IO
from xml.parsers import expat

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fibrotrack.portability.imports.base import ImportRefused
from fibrotrack.portability.wearables import files
from fibrotrack.portability.wearables.summary import Means, SleepCollector, Steps, Summary, finite

STEPS = "HKQuantityTypeIdentifierStepCount"
RESTING_HR = "HKQuantityTypeIdentifierRestingHeartRate"
HRV = "HKQuantityTypeIdentifierHeartRateVariabilitySDNN"
SLEEP = "HKCategoryTypeIdentifierSleepAnalysis"
ASLEEP = frozenset(
    {
        "HKCategoryValueSleepAnalysisAsleep",  # before iOS 16
        "HKCategoryValueSleepAnalysisAsleepUnspecified",
        "HKCategoryValueSleepAnalysisAsleepCore",
        "HKCategoryValueSleepAnalysisAsleepDeep",
        "HKCategoryValueSleepAnalysisAsleepREM",
    }
)
IN_BED = "HKCategoryValueSleepAnalysisInBed"
ROOT = "HealthData"
NOT_APPLE = gettext_lazy("This is not an Apple Health export: export.xml should start with <HealthData>.")


class _Refused(Exception):
    """Raised inside an expat handler; turned into ImportRefused once the parser has stopped."""


def _refuse_entities(*args: object) -> None:
    raise _Refused(
        _(
            "This file declares XML entities, which Apple Health exports never do. It was refused for safety "
            "(entities can make a small file expand to gigabytes, or read other files)."
        )
    )


def _instant(text: str) -> dt.datetime:
    """ "2024-03-10 07:00:00 -0700" -> an aware datetime."""
    when = dt.datetime.fromisoformat(text[:19] + text[20:] if text[19:20] == " " else text)
    if when.tzinfo is None:
        raise ValueError("no time zone")
    return when


def member(archive_names: list[str]) -> str:
    """The export.xml inside Apple's zip (apple_health_export/export.xml; other languages name it otherwise)."""
    xml = [n for n in archive_names if n.lower().endswith(".xml") and "export_cda" not in n.lower()]
    xml = [n for n in xml if n.count("/") <= 1 and "/electrocardiograms/" not in n.lower()]
    for name in xml:
        if name.rsplit("/", 1)[-1].lower() == "export.xml":
            return name
    if len(xml) == 1:
        return xml[0]
    raise ImportRefused(_("This zip holds no Apple Health export.xml. Upload the export.zip the Health app made."))


class _Reader:
    def __init__(self, zone: zoneinfo.ZoneInfo, progress: Callable[[int], None] | None) -> None:
        self.zone, self.progress = zone, progress
        self.summary = Summary(source="Apple Health")
        self.sleep = SleepCollector()
        self.steps = Steps()
        self.resting = Means()
        self.hrv = Means()
        self.root_seen = False
        self.parser = expat.ParserCreate()
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.EntityDeclHandler = _refuse_entities
        self.parser.UnparsedEntityDeclHandler = _refuse_entities
        self.parser.ExternalEntityRefHandler = _refuse_entities  # type: ignore[assignment]
        self.parser.StartElementHandler = self._start

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        if not self.root_seen:
            if name != ROOT:
                raise _Refused(str(NOT_APPLE))
            self.root_seen = True
            return
        if name != "Record":
            return
        kind = attrs.get("type")
        if kind not in (STEPS, SLEEP, RESTING_HR, HRV):
            return
        summary = self.summary
        summary.records += 1
        if self.progress is not None and summary.records % 100_000 == 0:
            self.progress(summary.records)
        try:
            start = _instant(attrs["startDate"])
            if kind == SLEEP:
                value = attrs["value"]
                if value in ASLEEP or value == IN_BED:
                    end = _instant(attrs["endDate"])
                    self.sleep.add(start.timestamp(), end.timestamp(), asleep=value != IN_BED)
                    summary.used["sleep"] += 1
                return
            number = float(attrs["value"])
            day = start.astimezone(self.zone).date()
        except (KeyError, ValueError, OverflowError) as error:
            summary.problem(
                f"line {self.parser.CurrentLineNumber}", _("unreadable record ({error})").format(error=error)
            )
            return
        if kind == STEPS and finite(number, 0, 200_000):
            self.steps.add(day, attrs.get("sourceName", "")[:80], number)
            summary.used["steps"] += 1
        elif kind == RESTING_HR and finite(number, 20, 250):
            self.resting.add(day, number)
            summary.used["resting_hr"] += 1
        elif kind == HRV and finite(number, 1, 500):
            self.hrv.add(day, number)
            summary.used["hrv"] += 1
        else:
            summary.problem(
                f"line {self.parser.CurrentLineNumber}", _("a value out of range: {value}").format(value=number)
            )

    def feed(self, stream: IO[bytes]) -> Summary:
        try:
            for chunk in files.Counted(stream).chunks():
                self.parser.Parse(chunk, False)
            self.parser.Parse(b"", True)
        except _Refused as refused:
            raise ImportRefused(str(refused)) from None
        except expat.ExpatError as error:
            if not self.root_seen:
                raise ImportRefused(str(NOT_APPLE)) from None
            raise ImportRefused(
                _(
                    "This Apple Health export is cut short or damaged at line {line} ({reason}). Nothing was "
                    "imported. Export it again from the Health app."
                ).format(line=error.lineno, reason=expat.errors.messages.get(error.code, "")[:80] if error.code else "")
            ) from None
        summary = self.summary
        self.sleep.finish(self.zone, summary)
        self.steps.finish(summary)
        summary.resting_hr = self.resting.finish()
        summary.hrv = self.hrv.finish()
        return summary


def read(path: Path, zone: zoneinfo.ZoneInfo, progress: Callable[[int], None] | None = None) -> Summary:
    reader = _Reader(zone, progress)
    if files.is_zip(path):
        with files.open_zip(path) as archive:
            name = member(archive.namelist())
            try:
                stream = archive.open(name)
            except files.DAMAGED:
                raise files.damaged() from None
            with stream:
                return reader.feed(stream)
    with open(path, "rb") as handle:
        return reader.feed(handle)
