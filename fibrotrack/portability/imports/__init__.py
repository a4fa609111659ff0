"""Imports: a preview (nothing written) and an apply step, for each supported format.

``FORMATS`` maps the format name used on the command line and in the form to
the module that reads it. Each module offers ``preview(path, user, options)``
and ``apply(path, user, options)``; see ``base`` for what they return.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

FORMATS: dict[str, tuple[StrOrPromise, str]] = {
    "flaredown-research": (_("Flaredown research export (long format)"), "flaredown_research"),
    "flaredown-personal": (_("Flaredown personal export (data.csv)"), "flaredown_personal"),
    "fibrotrack-csv": (_("FibroTrack CSV"), "fibrotrack_csv"),
    "fibrotrack-json": (_("FibroTrack JSON"), "fibrotrack_json"),
    "apple-health": (_("Apple Health (export.zip or export.xml)"), "apple_health"),
    "fitbit": (
        _("Fitbit, from Google Takeout (the zip, or a sleep-, steps- or resting_heart_rate- .json)"),
        "fitbit_takeout",
    ),
    "google-fit": (_("Google Fit, from Google Takeout (the zip, or Daily activity metrics.csv)"), "google_fit"),
}
# Watches and phones: large files, streamed (forms.MAX_WEARABLE_UPLOAD), read into daily measures.
WEARABLE_FORMATS = frozenset({"apple-health", "fitbit", "google-fit"})


def reader(format_name: str) -> Any:
    if format_name not in FORMATS:
        raise ValueError(f"unknown import format {format_name!r}; choose one of {', '.join(FORMATS)}")
    return import_module(f"{__name__}.{FORMATS[format_name][1]}")
