"""Building Apple Health exports for the tests: the real header (with its internal DTD) and records."""

from __future__ import annotations

import zipfile
from pathlib import Path

SAMPLES = Path(__file__).parent / "samples"
APPLE_SAMPLE = SAMPLES / "apple_export.xml"
HEADER = APPLE_SAMPLE.read_text(encoding="utf-8").split("<HealthData", 1)[0]
OPEN = '<HealthData locale="en_GB">\n <ExportDate value="2024-03-13 09:00:00 +0100"/>\n'
CLOSE = "</HealthData>\n"


def record(kind: str, start: str, end: str, value: str, source: str = "Jo’s Apple Watch") -> str:
    return (
        f' <Record type="{kind}" sourceName="{source}" sourceVersion="10.3" unit="count" '
        f'creationDate="{end}" startDate="{start}" endDate="{end}" value="{value}"/>\n'
    )


def sleep(start: str, end: str, value: str = "HKCategoryValueSleepAnalysisAsleepCore") -> str:
    return record("HKCategoryTypeIdentifierSleepAnalysis", start, end, value)


def steps(start: str, value: int, source: str = "Jo’s Apple Watch") -> str:
    return record("HKQuantityTypeIdentifierStepCount", start, start, str(value), source)


def apple_xml(*records: str) -> str:
    return HEADER + OPEN + "".join(records) + CLOSE


def write_apple(path: Path, *records: str, zipped: bool = False) -> Path:
    text = apple_xml(*records)
    if not zipped:
        path.write_text(text, encoding="utf-8")
        return path
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("apple_health_export/export.xml", text)
        archive.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>")
    return path


# --- Large exports (the memory test and benchmarks/bench_wearables.py) ---------------------------------

WATCH_DEVICE = (
    "&lt;&lt;HKDevice: 0x28133b610&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, "
    "hardware:Watch6,2, software:10.3&gt;"
)
PHONE_DEVICE = (
    "&lt;&lt;HKDevice: 0x28133b4d0&gt;, name:iPhone, manufacturer:Apple Inc., model:iPhone, "
    "hardware:iPhone14,5, software:17.3.1&gt;"
)
HEART_RATES_PER_DAY = 700  # a watch samples every few minutes, more during exercise
WATCH_STEPS, PHONE_STEPS = 60, 48  # step records a day from each
STEP_VALUE_WATCH, STEP_VALUE_PHONE = 110, 120  # a day: 6,600 from the watch, 5,760 from the phone


def _r(kind: str, start: str, end: str, value: str, *, watch: bool = True, unit: str = "count", extra: str = "") -> str:
    source, device, version = (
        ("Jo’s Apple Watch", WATCH_DEVICE, "10.3") if watch else ("Jo’s iPhone", PHONE_DEVICE, "17.3.1")
    )
    head = (
        f' <Record type="{kind}" sourceName="{source}" sourceVersion="{version}" device="{device}" unit="{unit}" '
        f'creationDate="{end}" startDate="{start}" endDate="{end}" value="{value}"'
    )
    return head + (f">\n{extra} </Record>\n" if extra else "/>\n")


def _day_template() -> str:
    """One day of records; @D0@ is the day before (the night starts then), @D1@ the day."""
    parts = []
    for i in range(HEART_RATES_PER_DAY):
        t = f"@D1@ {i * 2 // 60 % 24:02d}:{i * 2 % 60:02d}:{i % 60:02d} +0100"
        meta = '  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>\n'
        parts.append(_r("HKQuantityTypeIdentifierHeartRate", t, t, str(55 + i % 40), unit="count/min", extra=meta))
    for i in range(WATCH_STEPS):
        t = f"@D1@ {8 + i // 6:02d}:{i % 6 * 10:02d}:00 +0100"
        parts.append(_r("HKQuantityTypeIdentifierStepCount", t, t, str(STEP_VALUE_WATCH)))
    for i in range(PHONE_STEPS):
        t = f"@D1@ {8 + i // 4:02d}:{i % 4 * 15:02d}:00 +0100"
        parts.append(_r("HKQuantityTypeIdentifierStepCount", t, t, str(STEP_VALUE_PHONE), watch=False))
    sleep_kind = "HKCategoryTypeIdentifierSleepAnalysis"
    parts.append(
        _r(sleep_kind, "@D0@ 22:50:00 +0100", "@D1@ 07:10:00 +0100", "HKCategoryValueSleepAnalysisInBed", watch=False)
    )
    stages = ["AsleepCore", "AsleepDeep", "AsleepCore", "AsleepREM", "Awake"]
    minute = 23 * 60  # 23:00 on D0; 24 segments of 20 minutes: 8 hours, to 07:00
    for i in range(24):
        start, end = minute + 20 * i, minute + 20 * (i + 1)
        s_day, e_day = ("@D0@" if start < 1440 else "@D1@"), ("@D0@" if end < 1440 else "@D1@")
        s = f"{s_day} {start % 1440 // 60:02d}:{start % 60:02d}:00 +0100"
        e = f"{e_day} {end % 1440 // 60:02d}:{end % 60:02d}:00 +0100"
        parts.append(_r(sleep_kind, s, e, f"HKCategoryValueSleepAnalysis{stages[i % 5]}"))
    parts.append(
        _r(
            "HKQuantityTypeIdentifierRestingHeartRate",
            "@D1@ 00:01:00 +0100",
            "@D1@ 23:50:00 +0100",
            "58",
            unit="count/min",
        )
    )
    for i, value in enumerate((38, 42, 46, 50)):
        t = f"@D1@ {6 + i * 4:02d}:00:00 +0100"
        parts.append(_r("HKQuantityTypeIdentifierHeartRateVariabilitySDNN", t, t, str(value), unit="ms"))
    return "".join(parts)


# What each generated day holds (24 segments, every 5th awake: 20 asleep x 20 min).
EXPECTED_DAY = {"steps": WATCH_STEPS * STEP_VALUE_WATCH, "sleep_hours": 20 * 20 / 60, "resting_hr": 58, "hrv": 44}


def generate_apple(path: Path, size: int, first_day: str = "2005-01-01") -> int:
    """An export.xml of about ``size`` bytes, streamed to disk; returns the number of days in it."""
    import datetime as dt

    template = _day_template()
    per_day = len(template.replace("@D0@", first_day).replace("@D1@", first_day).encode("utf-8"))
    day = dt.date.fromisoformat(first_day)
    days = 0
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(HEADER + OPEN)
        written = len((HEADER + OPEN).encode("utf-8"))
        while written < size:
            handle.write(
                template.replace("@D0@", (day - dt.timedelta(days=1)).isoformat()).replace("@D1@", day.isoformat())
            )
            written += per_day
            day += dt.timedelta(days=1)
            days += 1
        handle.write(CLOSE)
    return days
