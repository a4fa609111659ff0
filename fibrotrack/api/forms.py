"""The token form: a name, what the token may do, and how long it lasts (a year at most)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fibrotrack.api.models import ApiToken

LIFETIMES = [
    ("7", _("1 week")),
    ("30", _("1 month")),
    ("90", _("3 months")),
    ("366", _("1 year")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What is it for?"),
        max_length=60,
        help_text=_("For example “my step counter script”. Only you see it."),
        error_messages={"required": _("Give the token a name, so you can tell it apart later.")},
    )
    scope = forms.ChoiceField(
        label=_("What may it do?"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text=_("Read only is safest. Choose “Read and write” only for an app that saves check-ins."),
    )
    days = forms.TypedChoiceField(
        label=_("How long should it work?"),
        choices=LIFETIMES,
        coerce=int,
        initial="90",
        widget=forms.RadioSelect,
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name, so you can tell it apart later."))
        return name
