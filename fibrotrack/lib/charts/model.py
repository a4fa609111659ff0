"""The charts' inputs: plain data, so that ``lib`` never needs an upper app's models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# Band kinds: a treatment's time on the chart, a trial's phase, and light context
# (such as weather) that sits behind everything and never competes with the data.
TREATMENT, PHASE, CONTEXT = "treatment", "phase", "context"
BAND_KINDS = (TREATMENT, PHASE, CONTEXT)


@dataclass
class Series:
    """One outcome's daily values (None or absent: no entry) and its 7-day mean.

    ``label`` is the short direct label drawn beside the line when several
    series share a chart (defaults to ``name``); ``y_min``/``y_max`` give the
    series its own scale in small multiples.
    """

    name: str
    values: Mapping[dt.date, float | None]
    smooth: Mapping[dt.date, float | None] = field(default_factory=dict)
    label: str = ""
    y_min: float | None = None
    y_max: float | None = None
    key: str = ""


@dataclass
class Band:
    """A labelled span: a treatment, a trial phase, or light context (``kind``)."""

    start: dt.date
    end: dt.date
    label: str
    kind: str = TREATMENT
    short: str = ""  # tried before the label is shortened with an ellipsis


@dataclass
class Marker:
    """A dated event drawn as a dashed vertical line (its label is the tooltip)."""

    day: dt.date
    label: str


@dataclass
class Lane:
    """One row of a lane chart: spans (such as a side effect episode) and graded days within them."""

    label: str
    spans: Sequence[tuple[dt.date, dt.date]]
    levels: Mapping[dt.date, int]  # 1..max_level


@dataclass
class Panel:
    """One small multiple: a series' name and its chart."""

    name: str
    key: str
    svg: str
