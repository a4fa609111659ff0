"""Forms of the visit pages: the blinded assessor's lab measures, and a missed visit's reason."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fibrotrack.studies import designs
from fibrotrack.studies.actions.visits import COLD_PRESSOR, RANGES, UNITS
from fibrotrack.studies.forms_blinding import DATE_ERRORS


class MeasuresForm(forms.Form):
    measured_on = forms.DateField(
        label=_("Date measured"), widget=forms.DateInput(attrs={"type": "date"}), error_messages=DATE_ERRORS
    )
    at_cap = forms.BooleanField(
        label=_("The cold-pressor test was stopped at the cap (the true time is longer)"), required=False
    )

    def __init__(self, *args: Any, measures: tuple[str, ...], cap_s: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = [k for k in designs.MEASURES if k in measures] or list(designs.MEASURES)
        self.cap_s = cap_s
        for kind in self.kinds:
            low, high = RANGES[kind]
            self.fields[kind] = forms.DecimalField(
                label=designs.MEASURES[kind],
                required=False,
                max_digits=7,
                decimal_places=2,
                min_value=Decimal(low),
                max_value=Decimal(cap_s if kind == COLD_PRESSOR else high),
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
                error_messages={"invalid": _("Enter a number, like 250 or 44.5.")},
            )
        if COLD_PRESSOR in self.kinds:
            self.fields[COLD_PRESSOR].help_text = _(
                "In seconds. The protocol stops the test at %(cap)d seconds: a time of %(cap)d is kept as “at least”."
            ) % {"cap": cap_s}
        else:
            del self.fields["at_cap"]
        self.order_fields(["measured_on", *self.kinds, "at_cap"])

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        if not any(cd.get(k) is not None for k in self.kinds):
            raise forms.ValidationError(_("Enter at least one measure."))
        if cd.get("at_cap") and cd.get(COLD_PRESSOR) is None:
            self.add_error(COLD_PRESSOR, _("Enter the time at which the test was stopped."))
        return cd

    def values(self) -> dict[str, Decimal | None]:
        return {k: self.cleaned_data.get(k) for k in self.kinds}

    def unit(self, kind: str) -> str:
        return str(UNITS[kind])


class MissedForm(forms.Form):
    reason = forms.CharField(
        label=_("Why was the visit missed?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: unwell that week, could not travel. Do not write the participant’s name."),
        error_messages={"required": _("Say why: it is kept with the study’s data.")},
    )
