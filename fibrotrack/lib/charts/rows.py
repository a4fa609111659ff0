"""Charts in rows, each row's label above it (a phone has no room for a label column).

``lanes_svg``: spans with daily bars whose height is a level (side effects).
``distribution_svg``: one box plot per group (a trial's phases).
``dose_svg``: a dose over time as a step line, with lanes under it.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Mapping, Sequence

from django.utils.translation import gettext

from fibrotrack.lib.charts import draw, layout
from fibrotrack.lib.charts.model import Lane
from fibrotrack.lib.charts.text import FONT_SIZE
from fibrotrack.lib.l10n import format_date

PAD_X, PAD_TOP, AXIS_H = 8, 6, 30
LABEL_H = 16  # a row's label line
LANE_H = 20  # the bars under it


def _lanes(
    parts: list[str],
    lanes: Sequence[Lane],
    start: dt.date,
    end: dt.date,
    top: float,
    left: float,
    width: float,
    max_level: int,
) -> float:
    """Draw lanes from ``top`` (bars from ``left``); return the y where they end."""
    span_days = max((end - start).days, 0) + 1
    plot_w = width - PAD_X - left
    day_w = max(plot_w / span_days, 1)

    def x(day: dt.date) -> float:
        return left + (day - start).days / span_days * plot_w

    for row, lane in enumerate(lanes):
        row_top = top + row * (LABEL_H + LANE_H)
        base = row_top + LABEL_H + LANE_H - 3
        parts.append(draw.text(PAD_X, row_top + 12.5, layout.fit(lane.label, width - 2 * PAD_X) or "…", tip=lane.label))
        parts.append(draw.line(left, base, width - PAD_X, base, "chart-grid", width=1))
        for span_start, span_end in lane.spans:
            s0, s1 = max(span_start, start), min(span_end, end)
            if s0 <= s1:
                parts.append(draw.line(x(s0), base - 1, x(s1) + day_w, base - 1, "chart-episode", width=2.5))
        for day, level in sorted(lane.levels.items()):
            if start <= day <= end and level > 0:
                level = min(level, max_level)
                bar_h = (LANE_H - 6) * level / max_level
                tip = f"{lane.label}, {format_date(day, 'j M Y')}"
                parts.append(
                    draw.rect(
                        x(day),
                        base - 2 - bar_h,
                        max(day_w - 0.4, 1),
                        bar_h,
                        f"chart-level chart-level-{level}",
                        tip=tip,
                    )
                )
    return top + len(lanes) * (LABEL_H + LANE_H)


def _date_axis(parts: list[str], start: dt.date, end: dt.date, y: float, left: float, width: float) -> None:
    span_days = max((end - start).days, 0) + 1
    plot_w = width - PAD_X - left

    def x(day: dt.date) -> float:
        return left + ((day - start).days + 0.5) / span_days * plot_w

    parts.append(draw.line(left, y, width - PAD_X, y, "chart-axis", width=1))
    for t in layout.date_ticks(start, end, x, 2, width - 2):
        parts.append(draw.text(t.x, y + 20, t.text, cls="chart-text chart-axis-label", anchor="middle"))


def lanes_svg(
    lanes: Sequence[Lane],
    start: dt.date,
    end: dt.date,
    *,
    title: str,
    max_level: int = 3,
    width: int = draw.WIDTH,
) -> str:
    """Rows of spans with daily bars whose *height* is the level, so it reads the same in black and white."""
    height = PAD_TOP + max(len(lanes), 1) * (LABEL_H + LANE_H) + AXIS_H
    parts = [draw.svg_open(width, height, title, "lanes")]
    bottom = _lanes(parts, lanes, start, end, PAD_TOP, PAD_X, width, max_level)
    _date_axis(parts, start, end, bottom + 2, PAD_X, width)
    parts.append("</svg>")
    return "".join(parts)


def _quartiles(values: Sequence[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        return values[0], values[0], values[0]
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], q[1], q[2]


def distribution_svg(
    groups: Sequence[tuple[str, Sequence[float]]],
    *,
    y_min: float,
    y_max: float,
    title: str,
    width: int = draw.WIDTH,
) -> str:
    """One box plot per group: box the middle half, bar the median, diamond the mean, line the range."""
    rows = [(name, list(values)) for name, values in groups]
    box_h = 24
    row_h = LABEL_H + box_h + 8
    height = PAD_TOP + max(len(rows), 1) * row_h + AXIS_H
    plot_w = width - 2 * PAD_X - 4
    span = (y_max - y_min) or 1

    def x(v: float) -> float:
        return PAD_X + 2 + (v - y_min) / span * plot_w

    parts = [draw.svg_open(width, height, title, "distribution")]
    axis_y = height - AXIS_H
    step = layout.value_step(y_min, y_max, plot_w, min_gap=3 * FONT_SIZE)
    tick = y_min
    while tick <= y_max + 1e-9:
        parts.append(draw.line(x(tick), PAD_TOP, x(tick), axis_y, "chart-grid", width=1))
        parts.append(draw.text(x(tick), axis_y + 20, f"{tick:g}", cls="chart-text chart-axis-label", anchor="middle"))
        tick += step
    parts.append(draw.line(PAD_X, axis_y, width - PAD_X, axis_y, "chart-axis", width=1))
    for i, (name, values) in enumerate(rows):
        row_top = PAD_TOP + i * row_h
        cy = row_top + LABEL_H + box_h / 2
        parts.append(draw.text(PAD_X, row_top + 12.5, layout.fit(name, plot_w) or "…", tip=name))
        if not values:
            parts.append(draw.text(PAD_X + 4, cy + 4.5, gettext("no values"), cls="chart-text chart-muted"))
            continue
        q1, med, q3 = _quartiles(values)
        lo, hi, mean = min(values), max(values), statistics.fmean(values)
        half = box_h / 2
        parts.append(draw.line(x(lo), cy, x(hi), cy, "chart-whisker", width=1.5))
        parts.append(draw.rect(x(q1), cy - half, x(q3) - x(q1), box_h, "chart-box", tip=f"{name}: {q1:g}–{q3:g}"))
        parts.append(draw.line(x(med), cy - half, x(med), cy + half, "chart-median", width=3.5))
        parts.append(draw.mark(x(mean), cy, "diamond", "chart-mean-mark", size=5))
    parts.append("</svg>")
    return "".join(parts)


def dose_svg(
    title: str,
    start: dt.date,
    end: dt.date,
    doses: Mapping[dt.date, float | None],
    *,
    unit: str = "",
    amount_label: Callable[[float], str] = lambda v: f"{v:g}",
    lanes: Sequence[Lane] = (),
    max_level: int = 3,
    width: int = draw.WIDTH,
    dose_height: int = 110,
) -> str:
    """The dose in force as a step line (broken where none is in force; a pause sits on 0), lanes under it."""
    amounts = [v for v in doses.values() if v is not None]
    top_value = max(amounts, default=1.0) or 1.0
    head = LABEL_H + 2
    left = 44
    span_days = max((end - start).days, 0) + 1
    plot_w = width - left - PAD_X
    axis_y = head + dose_height
    lanes_top = axis_y + AXIS_H
    height = lanes_top + len(lanes) * (LABEL_H + LANE_H) + (AXIS_H if lanes else 0) + PAD_TOP

    def x(day: dt.date) -> float:
        return left + (day - start).days / span_days * plot_w

    def y(v: float) -> float:
        return head + 6 + (1 - v / (top_value * 1.1)) * (dose_height - 6)

    parts = [draw.svg_open(width, height, title, "dose")]
    if unit:
        parts.append(draw.text(PAD_X, 14, unit, cls="chart-text chart-axis-label"))
    for value in (0.0, top_value / 2, top_value):
        parts.append(draw.line(left, y(value), width - PAD_X, y(value), "chart-grid", width=1))
        parts.append(
            draw.text(left - 5, y(value) + 4.5, amount_label(value), cls="chart-text chart-axis-label", anchor="end")
        )
    run: list[tuple[float, float]] = []
    runs: list[list[tuple[float, float]]] = []
    for offset in range(span_days):
        day = start + dt.timedelta(days=offset)
        dose = doses.get(day)
        if dose is None:
            if run:
                runs.append(run)
            run = []
        else:
            run += [(x(day), y(dose)), (x(day + dt.timedelta(days=1)), y(dose))]
    if run:
        runs.append(run)
    for points in runs:
        parts.append(draw.polyline(points, "chart-mean chart-dose s0", width=3, tip=gettext("Dose in force")))
    # The dates sit between the dose and the lanes, and again under the lanes when there are any.
    _date_axis(parts, start, end, axis_y, left, width)
    if lanes:
        bottom = _lanes(parts, lanes, start, end, lanes_top, left, width, max_level)
        _date_axis(parts, start, end, bottom + 2, left, width)
    parts.append("</svg>")
    return "".join(parts)
