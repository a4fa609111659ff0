"""Forms for the "Your data" page: what to download, and a file to import."""

from __future__ import annotations

from typing import Any

from django import forms

from fibrotrack.portability.imports import FORMATS

MAX_UPLOAD = 200 * 1024 * 1024  # a million Flaredown rows are about 60 MB

WEATHER_CHOICES = [
    ("note", "Add it to that day’s note"),
    ("skip", "Leave it out"),
]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="File to import",
        help_text="A CSV or JSON file, up to 200 MB. Nothing is saved until you have checked the preview.",
    )
    format = forms.ChoiceField(
        label="What kind of file is it?",
        choices=[(key, label) for key, (label, _) in FORMATS.items()],
        widget=forms.RadioSelect,
        initial="flaredown-research",
    )
    weather = forms.ChoiceField(
        label="Flaredown weather rows",
        choices=WEATHER_CHOICES,
        widget=forms.RadioSelect,
        initial="note",
        required=False,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                "This file is larger than 200 MB. Split it, or ask your administrator to import it."
            )
        return upload

    def clean_weather(self) -> str:
        return self.cleaned_data.get("weather") or "note"


class SourceForm(forms.Form):
    """Which person to import from a Flaredown research file that holds several."""

    source_user = forms.ChoiceField(label="Flaredown user_id to import")

    def __init__(self, *args: Any, sources: list[tuple[str, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["source_user"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = [(source, f"{source} ({rows:,} rows)") for source, rows in sources]
