"""The "download all my data" ZIP: the JSON, the CSV, the FHIR bundle, the doctor's PDF and a README."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

from fibrotrack.accounts.models import User
from fibrotrack.lib.dates import diary_day
from fibrotrack.portability.export_csv import document_rows, write_rows
from fibrotrack.portability.export_json import build_document
from fibrotrack.portability.fhir import export_fhir

README = """Your FibroTrack data, exported {when}.

fibrotrack.json   everything your account holds (FibroTrack can import it again)
fibrotrack.csv    every value, one per row (for spreadsheets and statistics software)
fibrotrack-fhir.json   a FHIR R4 Bundle for health record systems
report.pdf        the doctor's report for your whole diary ({start} to {end})

The columns, codes and fields are described in FibroTrack's docs/data-formats.md.
This is private health information: keep it somewhere safe.
"""


def _span(document: dict[str, Any], user: User) -> tuple[dt.date, dt.date]:
    days = [c["day"] for c in document.get("checkins", [])]
    end = diary_day(user)
    start = dt.date.fromisoformat(min(days)) if days else end - dt.timedelta(days=27)
    return start, end


def render_pdf(user: User, start: dt.date, end: dt.date) -> bytes:
    # Imported here: the PDF module (WeasyPrint) is heavy and belongs to the reports pages.
    from fibrotrack.reports.pdf import render_report_pdf

    return bytes(render_report_pdf(user, start, end))


def export_zip(user: User) -> bytes:
    document = build_document(user)
    start, end = _span(document, user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(when=document["exported_at"], start=start, end=end))
        archive.writestr("fibrotrack.json", json.dumps(document, ensure_ascii=False, default=str))
        archive.writestr("fibrotrack.csv", write_rows(document_rows(document)))
        archive.writestr("fibrotrack-fhir.json", export_fhir(user))
        archive.writestr("report.pdf", render_pdf(user, start, end))
    return buffer.getvalue()
