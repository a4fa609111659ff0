"""Forms of the allocation, dispensing, unblinding and blinding-question pages (one module per topic,
so that the study's other forms live beside these without touching them)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from fibrotrack.studies.models import BlindingGuess, Participant

DATE_ERRORS = {"invalid": _("Enter a date, like 2026-05-31."), "required": _("Enter the date.")}


class RandomiseForm(forms.Form):
    start_date = forms.DateField(
        label=_("First study day"),
        required=False,
        help_text=_("Leave it empty to start on the participant’s next diary day (tomorrow for them)."),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE_ERRORS,
    )
    confirm = forms.BooleanField(
        label=_("I have checked that this person is eligible and has signed the current consent"),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_start_date(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get("start_date")
        if day is not None and not self.today <= day <= self.today + dt.timedelta(days=90):
            raise forms.ValidationError(_("Choose a day from today to 90 days ahead."))
        return day


class UnblindForm(forms.Form):
    reason = forms.CharField(
        label=_("Why must the blind be broken now?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example: a serious side effect, and the treating doctor needs to know. It is kept and reported."
        ),
        error_messages={"required": _("Say why: it is kept with the study’s record.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand this is recorded, and the principal investigator and the monitor are told at once"),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class StudyUnblindForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("The dataset is locked and I want to reveal every participant’s allocation"),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class DispensingForm(forms.Form):
    participant = forms.ModelChoiceField(
        label=_("Participant"),
        queryset=Participant.objects.none(),
        empty_label=_("Choose…"),
        error_messages={"required": _("Choose the participant."), "invalid_choice": _("Choose the participant.")},
    )
    bottle = forms.TypedChoiceField(
        label=_("Bottle"), coerce=int, error_messages={"required": _("Choose the bottle.")}, widget=forms.RadioSelect
    )
    dispensed_on = forms.DateField(
        label=_("Dispensed on"), widget=forms.DateInput(attrs={"type": "date"}), error_messages=DATE_ERRORS
    )
    capsules = forms.IntegerField(
        label=_("Number of capsules (optional)"),
        required=False,
        min_value=1,
        max_value=1000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)

    def __init__(self, *args: Any, participants: Any, bottle_count: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["participant"])  # type: ignore[type-arg]
        field.queryset = participants
        field.label_from_instance = lambda p: str(p.code)  # type: ignore[method-assign,assignment]
        bottle = cast(forms.TypedChoiceField, self.fields["bottle"])
        bottle.choices = [(n, _("Bottle %(number)d") % {"number": n}) for n in range(1, bottle_count + 1)]


class BlindingGuessForm(forms.Form):
    """One question per bottle: what do you think it held?"""

    def __init__(self, *args: Any, bottle_count: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, bottle_count + 1):
            self.fields[f"bottle_{n}"] = forms.ChoiceField(
                label=_("Bottle %(number)d") % {"number": n},
                choices=BlindingGuess.Guess.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer (“I don’t know” is fine).")},
            )

    def answers(self) -> dict[int, str]:
        return {int(name.split("_")[1]): value for name, value in self.cleaned_data.items()}
