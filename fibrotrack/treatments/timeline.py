"""Treatments on the diary timeline: a band per regimen, a marker per change of dose.

Registered with ``fibrotrack.diary.timeline`` in ``TreatmentsConfig.ready()``.
Two queries (regimens with their treatment and plan, then their dose changes),
whatever the number of regimens.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fibrotrack.lib import charts
from fibrotrack.treatments import access, titration


def provider(user: Any, start: dt.date, end: dt.date) -> list[charts.Band | charts.Marker]:
    out: list[charts.Band | charts.Marker] = []
    regimens = access.regimens_for_user(user).filter(started_on__lte=end).exclude(stopped_on__lt=start)
    for regimen in sorted(regimens, key=lambda r: (r.started_on, r.pk)):
        name = regimen.treatment.name
        band_end = min(regimen.stopped_on or end, end)
        until = f" to {regimen.stopped_on:%-d %b %Y}" if regimen.stopped_on else ", ongoing"
        out.append(
            charts.Band(max(regimen.started_on, start), band_end, f"{name} from {regimen.started_on:%-d %b %Y}{until}")
        )
        for step in titration.transitions(regimen.dose_spec(), end):
            if step.day == regimen.started_on and step.day >= start:
                out.append(charts.Marker(step.day, f"{name} started at {step.label}"))
            elif start <= step.day <= end and step.day != regimen.started_on:
                out.append(charts.Marker(step.day, f"{name} changed to {step.label}"))
        if regimen.stopped_on and start <= regimen.stopped_on <= end:
            out.append(
                charts.Marker(
                    regimen.stopped_on,
                    f"{name} stopped ({regimen.get_stop_reason_display().lower() or 'no reason given'})",
                )
            )
    return out
