"""Study forms. Topics add theirs here or in a module of their own when this grows."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fibrotrack.studies.models import AdverseEvent


class AdverseEventForm(forms.Form):
    description = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("In your own words. Please do not write your name or other people's names."),
    )
    onset_on = forms.DateField(label=_("When did it start?"), widget=forms.DateInput(attrs={"type": "date"}))
    severity = forms.ChoiceField(
        label=_("How bad is it?"),
        choices=AdverseEvent.Severity.choices,
        initial=AdverseEvent.Severity.MILD,
        widget=forms.RadioSelect,
    )
    criteria = forms.MultipleChoiceField(
        label=_("Was it serious? Tick any that apply"),
        choices=AdverseEvent.Criterion.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("If you are unwell now, call your doctor or emergency services first."),
    )
