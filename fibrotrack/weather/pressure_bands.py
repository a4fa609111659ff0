"""The progress chart's weather: a light band over each run of days when air pressure fell sharply.

A timeline provider (``diary/timeline.py``): the diary registers it, because
the weather app sits below the diary and never imports it. The bands are of
kind ``context``: lightest, behind treatments and trial phases, labelled once
("Pressure fell") after theirs; the full sentence is each band's tooltip.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from fibrotrack.lib import charts
from fibrotrack.weather.access import PRESSURE_DROP_HPA, weather_series_for_user


def provider(user: Any, start: dt.date, end: dt.date) -> list[charts.Band | charts.Marker]:
    series = weather_series_for_user(user, start, end)
    label = _("Air pressure fell %(hpa)g hPa or more since the day before") % {"hpa": PRESSURE_DROP_HPA}
    short = _("Pressure fell")

    def band(first: dt.date, last: dt.date) -> charts.Band:
        return charts.Band(first, last, label, charts.CONTEXT, short=short)

    bands: list[charts.Band | charts.Marker] = []
    run_start: dt.date | None = None
    previous: dt.date | None = None
    for day in sorted(d for d, w in series.items() if w.pressure_fell):
        if run_start is None or previous is None or day != previous + dt.timedelta(days=1):
            if run_start is not None and previous is not None:
                bands.append(band(run_start, previous))
            run_start = day
        previous = day
    if run_start is not None and previous is not None:
        bands.append(band(run_start, previous))
    return bands
