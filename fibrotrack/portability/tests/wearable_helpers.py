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
