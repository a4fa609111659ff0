"""Trial phases on the diary chart, as shaded bands.

Registered with ``fibrotrack.diary.timeline`` in ``TrialsConfig.ready()``.
While a trial is blinded its blinded phases appear as one neutral
"blinded part" band, so the chart reveals nothing the trial page does not.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext

from fibrotrack.lib import charts
from fibrotrack.trials import access, display
from fibrotrack.trials.schedule import segments


def provider(user: Any, start: dt.date, end: dt.date) -> list[charts.Band | charts.Marker]:
    out: list[charts.Band | charts.Marker] = []
    for trial in access.trials_for_user(user).exclude(status="draft").filter(start_date__lte=end):
        last = trial.last_day
        if last is None or last < start:
            continue
        reveal = access.may_see_allocation(trial, "participant")
        for seg in segments(trial.actual_schedule(), reveal=reveal):
            if seg.end < start or seg.start > end:
                continue
            name = str(display.BLINDED_LABEL) if seg.blinded else trial.label_for(seg.phases[0].phase.kind)
            label = gettext("Trial: %(phase)s") % {"phase": name}
            out.append(charts.Band(max(seg.start, start), min(seg.end, end), label, charts.PHASE, short=name))
    return out
