"""Daily measures from a watch or phone (steps, resting heart rate, HRV, hours asleep) as secondary outcomes.

A trial's symptoms are ``TrackedSymptom`` rows; a device measure is a kind of
``diary.DailyMeasure`` named in ``Trial.secondary_measures``. ``DeviceOutcome``
has the few attributes the analysis reads from a symptom (key, name,
direction, scale, and a ``pk`` to file its values under), so the dataset and
the result treat both alike. Directions: more steps, a lower resting heart
rate, a higher HRV and more sleep are better. The scale runs from 0 to a
bound no real day reaches (fibrostats refuses values outside it); percent
changes are relative to the reference phase's level.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from fibrotrack.diary.measures import KINDS, measure_series

SCALE_MAX = {"sleep_hours": 24.0, "steps": 500_000.0, "resting_hr": 250.0, "hrv_sdnn": 500.0}
PREFIX = "device:"  # the data frame's column: never a symptom key (a slug has no colon)


@dataclass(frozen=True)
class DeviceOutcome:
    kind: str
    name: str
    lower_is_better: bool
    scale_min: float
    scale_max: float

    @property
    def key(self) -> str:
        return PREFIX + self.kind

    @property
    def pk(self) -> str:  # where ``dataset.TrialData.values`` files its days
        return self.key


def outcome(kind: str) -> DeviceOutcome:
    meta = KINDS[kind]
    return DeviceOutcome(kind, str(meta.label), not meta.higher_is_better, 0.0, SCALE_MAX[kind])


def display_range(spec: Any, values: list[float]) -> tuple[float, float, str]:
    """(low, high, words) for a chart and the scale line: a symptom's own scale; a device measure's days.

    A device measure's analysis scale only bounds what is possible (500,000 steps):
    drawn on it, a person's 4,000-8,000 steps would be a flat line at the bottom.
    """
    if spec.name.removeprefix(PREFIX) not in KINDS or not spec.name.startswith(PREFIX):
        return spec.scale_min, spec.scale_max, f"{spec.scale_min:g}–{spec.scale_max:g}"
    meta = KINDS[spec.name.removeprefix(PREFIX)]
    top = max(values, default=1.0) * 1.1 or 1.0
    return 0.0, top, _("as measured by the device, in {unit}").format(unit=meta.unit or _("steps"))


def outcomes_of(kinds: Any) -> list[DeviceOutcome]:
    return [outcome(kind) for kind in kinds or [] if kind in KINDS]


def choices() -> list[tuple[str, str]]:
    """For the plan's checkboxes: each kind with its direction, in plain words."""
    better = {True: _("higher is better"), False: _("lower is better")}
    return [(key, f"{meta.label} ({better[meta.higher_is_better]})") for key, meta in KINDS.items()]


def values(user: Any, kinds: list[DeviceOutcome], start: dt.date, end: dt.date) -> dict[str, dict[dt.date, float]]:
    """key -> {day: value}, one query per kind chosen (at most four)."""
    return {o.pk: dict(measure_series(user, o.kind, start, end)) for o in kinds}
