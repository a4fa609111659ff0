"""The "download all my data" ZIP: the JSON, the CSV, the FHIR bundle, the doctor's PDF and a README."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from fibrotrack.accounts.models import User
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.i18n import person_language
from fibrotrack.portability.export_csv import document_rows, write_rows
from fibrotrack.portability.export_json import build_document
from fibrotrack.portability.fhir import export_fhir

# The README and the PDF are for people: in the person's language. The data files are for programs
# and stay the same in every language (their column names, keys and codes never change).
README = gettext_noop(
    "Your FibroTrack data, exported {when}.\n"
    "\n"
    "fibrotrack.json   everything your account holds (FibroTrack can import it again)\n"
    "fibrotrack.csv    every value, one per row (for spreadsheets and statistics software)\n"
    "fibrotrack-fhir.json   a FHIR R4 Bundle for health record systems\n"
    "report.pdf        the doctor's report for your whole diary ({start} to {end})\n"
    "\n"
    "The columns, codes and fields are described in FibroTrack's docs/data-formats.md.\n"
    "This is private health information: keep it somewhere safe.\n"
)


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
    with translation.override(person_language(user, translation.get_language())):
        return _export_zip(user)


def _export_zip(user: User) -> bytes:
    document = build_document(user)
    start, end = _span(document, user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", gettext(README).format(when=document["exported_at"], start=start, end=end))
        archive.writestr("fibrotrack.json", json.dumps(document, ensure_ascii=False, default=str))
        archive.writestr("fibrotrack.csv", write_rows(document_rows(document)))
        archive.writestr("fibrotrack-fhir.json", export_fhir(user))
        archive.writestr("report.pdf", render_pdf(user, start, end))
    return buffer.getvalue()
