from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fibrotrack.accounts.forms import time_zone_choices
from fibrotrack.accounts.models import validate_time_zone
from fibrotrack.lib.dates import diary_day
from fibrotrack.reminders import sync
from fibrotrack.treatments.models import Regimen


class ReminderSettingsForm(forms.Form):
    reminder_time = forms.TimeField(
        label=_("Remind me to check in at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Only on days you have not checked in yet. Leave empty for no daily reminder."),
        error_messages={"invalid": _("Write the time like 20:30.")},
    )
    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        choices=time_zone_choices,
        help_text=_("Reminders come at this time where you are, also when the clocks change."),
        error_messages={"invalid_choice": _("That is not a time zone we know. Pick one from the list.")},
    )
    by_email = forms.BooleanField(label=_("Send reminders by e-mail"), required=False)
    paused_until = forms.DateField(
        label=_("Pause all reminders until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a holiday. Reminders start again on this day. Leave empty to keep them on."),
        error_messages={"invalid": _("Write the date like 2026-08-31.")},
    )

    def __init__(self, *args: Any, user: Any, regimens: list[Regimen], enabled: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.regimens = regimens
        for regimen in regimens:
            times = ", ".join(t.strftime("%H:%M") for t in sync.dose_times(regimen))
            self.fields[f"dose_{regimen.pk}"] = forms.BooleanField(
                label=_("%(name)s at %(times)s") % {"name": regimen.display_name, "times": times},
                required=False,
                initial=regimen.pk in enabled,
            )

    def clean_time_zone(self) -> str:
        value: str = self.cleaned_data["time_zone"]
        try:
            validate_time_zone(value)
        except ValidationError:
            raise ValidationError(_("That is not a time zone we know. Pick one from the list.")) from None
        return value

    def clean_paused_until(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("paused_until")
        if value is not None and value <= diary_day(self.user):
            raise ValidationError(_("Pick a day after today, or leave it empty."))
        return value

    def dose_choices(self) -> dict[Regimen, bool]:
        return {r: bool(self.cleaned_data.get(f"dose_{r.pk}")) for r in self.regimens}

    def dose_fields(self) -> list[forms.BoundField]:
        return [self[f"dose_{r.pk}"] for r in self.regimens]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("reminder_time", "time_zone", "by_email", "paused_until")]
