"""Forms: the period, the report's contents, share links and clinician invitations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from fibrotrack.reports import report_sections
from fibrotrack.reports.dashboard import DEFAULT_PERIOD, MAX_CUSTOM_DAYS, PERIODS
from fibrotrack.reports.models import ShareLink

PERIOD_CHOICES = [(key, label) for key, (label, _) in PERIODS.items()] + [("custom", _("Custom dates"))]


def section_choices() -> list[tuple[str, StrOrPromise]]:
    return [(s.key, s.label) for s in report_sections.all_sections()]


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"), choices=PERIOD_CHOICES, widget=forms.RadioSelect, initial=DEFAULT_PERIOD
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For custom dates."),
    )
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        key = data.get("period") or DEFAULT_PERIOD
        if key == "custom":
            start, end = data.get("start"), data.get("end")
            if start is None or end is None:
                raise ValidationError(_("For custom dates, choose both the first and the last day."))
            if end < start:
                raise ValidationError(_("The last day must be on or after the first day."))
            if (end - start).days + 1 > MAX_CUSTOM_DAYS:
                raise ValidationError(_("Choose ten years or less."))
            if start > self.today:
                raise ValidationError(_("The first day cannot be in the future."))
            data["range"] = (start, min(end, self.today))
        else:
            length = PERIODS[key][1]
            data["range"] = (self.today - dt.timedelta(days=length - 1), self.today)
        return data

    def period_range(self) -> tuple[dt.date, dt.date]:
        """The chosen range; the default period when the form is invalid or empty."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["range"]  # type: ignore[no-any-return]
        return self.today - dt.timedelta(days=PERIODS[DEFAULT_PERIOD][1] - 1), self.today


class ReportForm(PeriodForm):
    include = forms.MultipleChoiceField(
        label=_("What to include"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The summary comes first, then the daily values."),
    )
    page_size = forms.ChoiceField(
        label=_("Paper size"),
        choices=[("a4", _("A4")), ("letter", _("US Letter"))],
        widget=forms.RadioSelect,
        required=False,
    )
    name = forms.CharField(
        label=_("Name on the report"),
        max_length=80,
        required=False,
        help_text=_("How your doctor knows you. It is printed on the report only, never stored."),
    )

    def __init__(self, *args: Any, default_page_size: str = "a4", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["include"].choices = section_choices()  # type: ignore[attr-defined]
        self.fields["include"].initial = sorted(report_sections.default_keys())
        self.fields["page_size"].initial = default_page_size
        self.default_page_size = default_page_size

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.is_bound and "include" not in self.data:
            # A report URL without choices (e.g. a bookmark) gets the default sections.
            data["include"] = sorted(report_sections.default_keys())
        data["page_size"] = data.get("page_size") or self.default_page_size
        return data


class ShareLinkForm(PeriodForm):
    label = forms.CharField(
        label=_("Who is it for?"),
        max_length=80,
        required=False,
        help_text=_("For example “Dr Patel, rheumatology”. Only you see this, in your list of links and your log."),
    )
    patient_name = forms.CharField(
        label=_("Your name on the shared pages"),
        max_length=80,
        required=False,
        help_text=_("Leave empty to show your display name."),
    )
    include = forms.MultipleChoiceField(
        label=_("What they can see"), widget=forms.CheckboxSelectMultiple, required=True
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("The link stops working after"),
        choices=ShareLink.EXPIRY_CHOICES,
        coerce=int,
        initial=30,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["include"].choices = section_choices()  # type: ignore[attr-defined]
        self.fields["include"].initial = sorted(report_sections.default_keys())


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Your clinician's e-mail address"),
        help_text=_("We send them one e-mail with a link. They sign in or create an account to accept."),
    )
    patient_name = forms.CharField(
        label=_("Your name, as your clinician knows you"),
        max_length=80,
        required=False,
        help_text=_("Shown only to this clinician, so they know who you are."),
    )

    def __init__(self, *args: Any, patient: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.patient = patient

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if email == self.patient.email.lower():
            raise ValidationError(_("That is your own address. Enter your clinician's."))
        return email
