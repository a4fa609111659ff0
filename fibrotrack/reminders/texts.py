"""What a reminder says. A dose in a blinded trial names only the bottle, never what is in it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from fibrotrack.treatments import catalogue, titration
from fibrotrack.treatments.schedule import Kind
from fibrotrack.trials import access as trial_access
from fibrotrack.trials import display
from fibrotrack.trials.models import Trial


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    # False: nothing to remind of that day (a planned pause, a washout, a regimen not running).
    due: bool = True


def checkin_message() -> Message:
    return Message(_("Time for your check-in"), _("How was today? It takes under a minute."))


def blinded_trial_for(regimen: Any) -> Trial | None:
    """The running or planned blinded trial this regimen is part of, while the blind holds."""
    for trial in Trial.objects.filter(phases__regimens=regimen, blinded=True).distinct():
        if not trial.is_closed and not trial.is_unblinded:
            return trial
    return None


def _when(regimen: Any, slot: int) -> str:
    if regimen.schedule == Kind.NIGHTLY:
        return _("tonight")
    times = list(regimen.times)
    return _("at %(time)s") % {"time": times[slot]} if slot < len(times) else _("today")


def trial_capsule(trial: Trial, day: dt.date) -> Message:
    """Today's bottle letter from the same view the check-in shows, or no reminder outside the blinded part."""
    today = display.today_view(trial, day, reveal=trial_access.may_see_allocation(trial, "participant"))
    if today is None or today.segment != display.BLINDED_LABEL:
        return Message("", "", due=False)
    if today.container:
        title = _("Trial capsule, bottle %(letter)s") % {"letter": today.container}
    else:
        title = _("Trial capsule")
    return Message(title, _("Take it from the bottle your trial shows today."))


def dose_message(regimen: Any, slot: int, day: dt.date) -> Message:
    """ "Naltrexone 2 mg tonight", with the day's dose from the titration plan and dose changes."""
    if not regimen.is_active_on(day):
        return Message("", "", due=False)
    trial = blinded_trial_for(regimen)
    if trial is not None:
        return trial_capsule(trial, day)
    dose = titration.expected_dose(regimen.dose_spec(), day)
    if dose is not None and dose.is_pause:
        return Message("", "", due=False)
    names = {"name": regimen.display_name, "when": _when(regimen, slot)}
    if dose is not None:
        title = _("%(name)s %(dose)s %(when)s") % {**names, "dose": catalogue.dose_text(dose.amount, dose.unit)}
    else:
        title = _("%(name)s %(when)s") % names
    return Message(title, _("Tap “Taken” when you have taken it."))


def calendar_dose_summary(regimen: Any, dose: titration.Dose | None) -> str:
    if blinded_trial_for(regimen) is not None:
        return _("Trial capsule: take it from the bottle your trial shows that day")
    if dose is not None and dose.amount:
        return f"{regimen.display_name} {catalogue.dose_text(dose.amount, dose.unit)}"
    return str(regimen.display_name)


def taken_label() -> str:
    return _("Taken")
