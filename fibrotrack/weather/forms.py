"""The weather settings' forms: a place search, a chosen place or typed coordinates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fibrotrack.weather.cells import BadCoordinates, to_cell


class PlaceSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Your town or postcode"),
        max_length=80,
        min_length=2,
        help_text=_("We look it up on Open-Meteo and keep only the 10 km square it is in, not the place."),
        error_messages={
            "required": _("Type a town, city or postcode."),
            "min_length": _("Type at least two letters."),
        },
    )


class CoordinatesForm(forms.Form):
    """Latitude and longitude as text, so that a bad value gets our own plain message."""

    latitude = forms.CharField(
        label=_("Latitude"),
        max_length=20,
        help_text=_("Between -90 and 90, like 53.8. Rounded to one decimal (about 10 km)."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": _("Type the latitude, like 53.8.")},
    )
    longitude = forms.CharField(
        label=_("Longitude"),
        max_length=20,
        help_text=_("Between -180 and 180, like -1.5. Rounded to one decimal."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": _("Type the longitude, like -1.5.")},
    )

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        if "latitude" in cd and "longitude" in cd:
            try:
                cd["cell"] = to_cell(cd["latitude"], cd["longitude"])
            except BadCoordinates as error:
                raise forms.ValidationError(str(error)) from None
        return cd
