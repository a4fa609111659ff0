"""One entry point for every export format, used by the page and by ``fibrotrack export-data``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from fibrotrack.accounts.models import User
from fibrotrack.portability.archive import export_zip
from fibrotrack.portability.export_csv import export_csv
from fibrotrack.portability.export_json import export_json
from fibrotrack.portability.fhir import export_fhir


@dataclass(frozen=True)
class ExportFormat:
    key: str
    label: StrOrPromise  # the machine-readable parts (key, extension) stay the same in every language
    description: StrOrPromise
    extension: str
    content_type: str
    build: Callable[[User], bytes]


FORMATS: dict[str, ExportFormat] = {
    f.key: f
    for f in (
        ExportFormat(
            "zip",
            _("Everything (ZIP)"),
            _("All of the below plus the doctor’s report as a PDF, in one file."),
            "zip",
            "application/zip",
            export_zip,
        ),
        ExportFormat(
            "json",
            _("FibroTrack JSON"),
            _("Everything your account holds. FibroTrack (this one or another) can import it again."),
            "json",
            "application/json",
            export_json,
        ),
        ExportFormat(
            "csv",
            _("Spreadsheet (CSV)"),
            _("One row per value, for Excel, LibreOffice, R or SPSS."),
            "csv",
            "text/csv; charset=utf-8",
            lambda user: export_csv(user),
        ),
        ExportFormat(
            "fhir",
            _("FHIR R4 (for health records)"),
            _("A FHIR Bundle your clinic’s record system may be able to read."),
            "json",
            "application/fhir+json",
            export_fhir,
        ),
    )
}


def filename(export: ExportFormat, when: object = None) -> str:
    today = timezone.localdate() if when is None else when
    suffix = "-fhir" if export.key == "fhir" else ""
    return f"fibrotrack-{today}{suffix}.{export.extension}"
