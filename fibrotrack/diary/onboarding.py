"""The diary's part of the welcome page: what the person wants to track.

Registered with ``fibrotrack.accounts.onboarding_steps`` in ``DiaryConfig.ready()``.
The defaults all start ticked; one custom symptom can be added straight
away, and at least one thing must be chosen. Everything can be changed later
on the symptoms page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fibrotrack.diary.actions import do_setup_symptoms
from fibrotrack.diary.defaults import DEFAULT_SYMPTOMS
from fibrotrack.diary.forms import DIRECTION_CHOICES, SCALE_CHOICES, SymptomChoiceForm

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User


class OnboardingSymptomsForm(SymptomChoiceForm):
    custom_name = forms.CharField(label=_("Something else you want to track (optional)"), max_length=40, required=False)
    custom_direction = forms.ChoiceField(
        label=_("Which way is better?"), choices=DIRECTION_CHOICES, initial="lower", required=False
    )
    custom_scale = forms.TypedChoiceField(
        label=_("Its scale"), choices=SCALE_CHOICES, coerce=int, initial="10", required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("defaults") and not (cleaned.get("custom_name") or "").strip():
            raise ValidationError(gettext("Choose at least one thing to track. You can change this later."))
        return cleaned

    def custom(self) -> list[tuple[str, bool, int]]:
        """The custom symptom, if one was named, as ``do_setup_symptoms`` takes it."""
        cd = self.cleaned_data
        name = (cd.get("custom_name") or "").strip()
        if not name:
            return []
        return [(name, cd.get("custom_direction", "lower") != "higher", cd.get("custom_scale") or 10)]


class SymptomsStep:
    key = "diary.symptoms"
    order = 10
    template_name = "diary/_onboarding_symptoms.html"

    def get_form(self, user: User, data: Mapping[str, Any] | None) -> forms.Form:
        return OnboardingSymptomsForm(data, initial={"defaults": [s.key for s in DEFAULT_SYMPTOMS]})

    def save(self, user: User, form: forms.Form) -> None:
        assert isinstance(form, OnboardingSymptomsForm)  # noqa: S101  (get_form made it)
        do_setup_symptoms(user, form.cleaned_data["defaults"], form.custom())


STEP = SymptomsStep()
