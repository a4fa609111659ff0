"""Forms for the "Your data" page: what to download, and a file to import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from fibrotrack.portability.imports import FORMATS, WEARABLE_FORMATS

MAX_UPLOAD = 200 * 1024 * 1024  # a million Flaredown rows are about 60 MB
# FibroTrack's own files are read whole into memory, and the preview checks every record in the
# request: 40 MB is decades of a busy diary (ten years are a few MB) and previews in several seconds.
MAX_DOCUMENT_UPLOAD = 40 * 1024 * 1024
DOCUMENT_FORMATS = frozenset({"fibrotrack-csv", "fibrotrack-json"})
# A watch's export is large (years of Apple Watch heart-rate samples make export.xml several GB; the zip
# is about a tenth). It is streamed to disk as it arrives (Django's temporary-file upload handler, in
# FILE_UPLOAD_TEMP_DIR) and read as a stream, never whole, so the limit is about disk and time, not memory.
MAX_WEARABLE_UPLOAD = 4 * 1024**3

WEATHER_CHOICES = [
    ("note", gettext_lazy("Add it to that day’s note")),
    ("skip", gettext_lazy("Leave it out")),
]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File to import"),
        help_text=gettext_lazy(
            "A CSV, JSON, XML or zip file, up to 200 MB (a watch’s export up to 4 GB). Nothing is saved until "
            "you have checked the preview."
        ),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("What kind of file is it?"),
        choices=[(key, label) for key, (label, _) in FORMATS.items()],
        widget=forms.RadioSelect,
        initial="flaredown-research",
    )
    weather = forms.ChoiceField(
        label=gettext_lazy("Flaredown weather rows"),
        choices=WEATHER_CHOICES,
        widget=forms.RadioSelect,
        initial="note",
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        wearable = data.get("format") in WEARABLE_FORMATS
        if upload is not None and upload.size > (MAX_WEARABLE_UPLOAD if wearable else MAX_UPLOAD):
            self.add_error(
                "file",
                _("This export is larger than 4 GB. Upload the zip the app made rather than the unzipped file.")
                if wearable
                else _("This file is larger than 200 MB. Split it, or ask your administrator to import it."),
            )
            return data
        if upload is not None and data.get("format") in DOCUMENT_FORMATS and upload.size > MAX_DOCUMENT_UPLOAD:
            self.add_error(
                "file",
                _(
                    "A FibroTrack export can be up to 40 MB here (ten years of diary take a few MB). This file "
                    "is larger: check it is the right file, or ask your administrator to import it with "
                    "fibrotrack import-data."
                ),
            )
        return data

    def clean_weather(self) -> str:
        return self.cleaned_data.get("weather") or "note"


class SourceForm(forms.Form):
    """Which person to import from a Flaredown research file that holds several."""

    source_user = forms.ChoiceField(label=gettext_lazy("Flaredown user_id to import"))

    def __init__(self, *args: Any, sources: list[tuple[str, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["source_user"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = [
            (
                source,
                ngettext("{user} ({rows} row)", "{user} ({rows} rows)", rows).format(user=source, rows=f"{rows:,}"),
            )
            for source, rows in sources
        ]
