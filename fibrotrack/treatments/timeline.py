"""Treatments on the diary timeline: a band per regimen, a marker per change of dose.

Registered with ``fibrotrack.diary.timeline`` in ``TreatmentsConfig.ready()``.
Two queries (regimens with their treatment and plan, then their dose changes),
whatever the number of regimens.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import formats
from django.utils.translation import gettext

from fibrotrack.lib import charts
from fibrotrack.treatments import access, catalogue, titration


def _day(day: dt.date) -> str:
    return formats.date_format(day, "j M Y")


def provider(user: Any, start: dt.date, end: dt.date) -> list[charts.Band | charts.Marker]:
    out: list[charts.Band | charts.Marker] = []
    regimens = access.regimens_for_user(user).filter(started_on__lte=end).exclude(stopped_on__lt=start)
    for regimen in sorted(regimens, key=lambda r: (r.started_on, r.pk)):
        name = regimen.display_name
        band_end = min(regimen.stopped_on or end, end)
        if regimen.stopped_on:
            band = gettext("%(name)s from %(start)s to %(stop)s") % {
                "name": name,
                "start": _day(regimen.started_on),
                "stop": _day(regimen.stopped_on),
            }
        else:
            band = gettext("%(name)s from %(start)s, ongoing") % {"name": name, "start": _day(regimen.started_on)}
        out.append(charts.Band(max(regimen.started_on, start), band_end, band))
        for step in titration.transitions(regimen.dose_spec(), end):
            if step.day == regimen.started_on and step.day >= start:
                text = gettext("%(name)s started at %(dose)s") % {"name": name, "dose": step.label}
                out.append(charts.Marker(step.day, text))
            elif start <= step.day <= end and step.day != regimen.started_on:
                text = gettext("%(name)s changed to %(dose)s") % {"name": name, "dose": step.label}
                out.append(charts.Marker(step.day, text))
        if regimen.stopped_on and start <= regimen.stopped_on <= end:
            reason = catalogue.in_sentence(regimen.get_stop_reason_display()) or gettext("no reason given")
            out.append(
                charts.Marker(
                    regimen.stopped_on, gettext("%(name)s stopped (%(reason)s)") % {"name": name, "reason": reason}
                )
            )
    return out
