"""Where the text goes: band labels in rows, date ticks, value ticks, direct labels.

Pure functions over numbers, so the promise "labels never overlap" is tested
on its own (with Hypothesis) as well as in the browser.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fibrotrack.lib.charts.text import FONT_SIZE, fit, text_width

# The person's month names and date order (lib/l10n.py): Python's strftime writes English only.
from fibrotrack.lib.l10n import format_date

LABEL_GAP = 6  # between two labels (or brackets) in one row
MIN_LABEL_CHARS = 3  # shorter than "Pl…" says nothing: the band keeps only its tooltip


@dataclass(frozen=True)
class Span:
    """A band's horizontal extent in user units and its label choices, in order of preference."""

    x0: float
    x1: float
    texts: tuple[str, ...]
    # Light context (weather) is labelled after treatments and phases, so it never takes
    # their room, and only once per ``group``: ten "Pressure fell" labels would say nothing more.
    priority: int = 0
    group: str = ""


@dataclass(frozen=True)
class Placed:
    index: int  # position in the input list
    row: int
    x: float  # the label's left edge
    text: str
    width: float

    @property
    def left(self) -> float:
        return self.x

    @property
    def right(self) -> float:
        return self.x + self.width


def _candidates(texts: Sequence[str], band_width: float, limit: float) -> list[str]:
    """The label's forms, best first: the full text, or the short form first when the full one overflows its band."""
    out: list[str] = []
    for text in texts:
        if text and text not in out:
            out.append(text)
    if len(out) > 1 and text_width(out[0]) > band_width:
        out = [out[1], out[0], *out[2:]]
    base = min(out, key=len) if out else ""
    # Then ever shorter forms, down to a few characters and an ellipsis.
    for cut in range(len(base) - 1, MIN_LABEL_CHARS - 1, -1):
        shorter = base[:cut].rstrip() + "…"
        if shorter not in out:
            out.append(shorter)
    return [t for t in out if text_width(t) <= limit]


def place_band_labels(spans: Sequence[Span], left: float, right: float, *, max_rows: int = 3) -> list[Placed]:
    """Each band's label in the first row where it and its bracket touch nothing else.

    A label starts at its band's left edge (moved left only to stay inside
    ``left``..``right``). A row holds a label and the bracket under it (the
    band's width), so a row never has two overlapping items. When no row has
    room the label is shortened (its ``short`` form, then with an ellipsis);
    when even that does not fit it is left out and the band keeps its tooltip
    and its line in the list under the chart.
    """
    rows: list[list[tuple[float, float]]] = [[] for _ in range(max_rows)]
    placed: list[Placed] = []
    order = sorted(range(len(spans)), key=lambda i: (spans[i].priority, spans[i].x0, -spans[i].x1))
    groups_done: set[str] = set()
    for index in order:
        span = spans[index]
        if span.group and span.group in groups_done:
            continue
        x0, x1 = max(span.x0, left), min(span.x1, right)
        if x1 < x0:
            continue
        done = False
        for text in _candidates(span.texts, x1 - x0, right - left):
            width = text_width(text)
            x = min(x0, right - width)
            lo, hi = min(x, x0), max(x + width, x1)
            for row, taken in enumerate(rows):
                if all(hi + LABEL_GAP <= a or lo >= b + LABEL_GAP for a, b in taken):
                    taken.append((lo, hi))
                    placed.append(Placed(index, row, round(x, 1), text, width))
                    if span.group:
                        groups_done.add(span.group)
                    done = True
                    break
            if done:
                break
    return sorted(placed, key=lambda p: p.index)


def rows_used(placed: Sequence[Placed]) -> int:
    return max((p.row + 1 for p in placed), default=0)


@dataclass(frozen=True)
class Tick:
    x: float  # the label's centre
    text: str


def date_ticks(
    start: dt.date,
    end: dt.date,
    x_of: Callable[[dt.date], float],
    left: float,
    right: float,
    *,
    size: float = FONT_SIZE,
) -> list[Tick]:
    """Dates along the bottom: the finest of day, week or month steps whose labels do not touch."""
    span = (end - start).days
    sample = text_width("28 Sep", size) + 2 * LABEL_GAP
    room = max(int((right - left) // sample), 1)
    for step in (1, 2, 7, 14):
        if span // step + 1 <= room:
            days = [start + dt.timedelta(days=o) for o in range(0, span + 1, step)]
            return _spread([(x_of(d), format_date(d, "j M")) for d in days], left, right, size)
    months = []
    cursor = dt.date(start.year, start.month, 1)
    while cursor <= end:
        if cursor >= start:
            months.append(cursor)
        cursor = dt.date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    for step in (1, 2, 3, 4, 6, 12, 24, 60):
        chosen = months[::step]
        if len(chosen) <= room:
            labels = [(x_of(d), format_date(d, "M Y" if d.month == 1 or i == 0 else "M")) for i, d in enumerate(chosen)]
            return _spread(labels, left, right, size)
    return _spread([(x_of(start), format_date(start, "M Y"))], left, right, size)


def _spread(labels: Sequence[tuple[float, str]], left: float, right: float, size: float) -> list[Tick]:
    """Centre each label on its tick, pulled inside the chart, dropping any that would touch the previous one."""
    out: list[Tick] = []
    last_right = -1e9
    for x, text in labels:
        width = text_width(text, size)
        centre = min(max(x, left + width / 2), right - width / 2)
        if centre - width / 2 >= last_right + LABEL_GAP:
            out.append(Tick(round(centre, 1), text))
            last_right = centre + width / 2
    return out


def value_step(y_min: float, y_max: float, plot_h: float, *, min_gap: float) -> float:
    """The gridline step: 1, 2 or 5 on a 0–10 scale, coarser when labels would be closer than ``min_gap``."""
    span = y_max - y_min
    if span <= 0:
        return 1
    steps = [2, 5, 10, 20, 50, 100, 200, 500, 1000] if span >= 8 else [1, 2, 5, 10]
    for step in steps:
        if plot_h * step / span >= min_gap:
            return step
    return steps[-1]


def spread_vertically(wanted: Sequence[float], top: float, bottom: float, gap: float) -> list[float]:
    """Baselines for direct labels near ``wanted``, at least ``gap`` apart, kept inside ``top``..``bottom``."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    out = [0.0] * len(wanted)
    previous = top - gap
    for i in order:
        out[i] = max(wanted[i], previous + gap, top)
        previous = out[i]
    # Pushed past the bottom: slide the whole stack up as one, keeping the gaps.
    overflow = previous - bottom
    if overflow > 0:
        out = [v - overflow for v in out]
    return [round(v, 1) for v in out]


__all__ = [
    "Placed",
    "Span",
    "Tick",
    "date_ticks",
    "fit",
    "place_band_labels",
    "rows_used",
    "spread_vertically",
    "value_step",
]
