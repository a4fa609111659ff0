"""Server-side SVG charts.

SVG renders the same in the browser and in WeasyPrint's PDF, needs no
script (the CSP forbids inline script anyway) and loads nothing from a third
party. Styling uses SVG presentation attributes, not ``style=``, which the
CSP would block. Series differ by dash pattern as well as colour so that
the charts survive black-and-white printing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
HEIGHT = 260
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 36, 12, 12, 28
# Labels closer than this (in SVG units) would touch: a 10-unit font needs about 1.5 lines.
MIN_LABEL_GAP = 15
CHAR_WIDTH = 6  # about the width of one character of a 10-unit label, to tell whether it fits


def y_step(y_min: float, y_max: float, plot_h: float) -> float:
    """The gridline step: 1 or 2 on a 0–10 scale, coarser when the labels would overlap (0–31 on a short chart)."""
    span = y_max - y_min
    steps = [2, 5, 10, 20, 50, 100] if span >= 8 else [1, 2, 5, 10]
    for step in steps:
        if plot_h * step / span >= MIN_LABEL_GAP:
            return step
    return steps[-1]


PALETTE: tuple[tuple[str, str], ...] = (
    ("#1f5fa8", ""),
    ("#b5451b", "6 3"),
    ("#2e7d32", "2 3"),
    ("#6a3d9a", "8 3 2 3"),
    ("#8c6d00", "1 2"),
    ("#00707a", "10 4"),
)


@dataclass
class Series:
    name: str
    values: Mapping[dt.date, float | None]
    smooth: Mapping[dt.date, float | None] = field(default_factory=dict)


@dataclass
class Band:
    """A shaded span, such as a treatment or a trial phase."""

    start: dt.date
    end: dt.date
    label: str


@dataclass
class Marker:
    day: dt.date
    label: str


def _segments(
    values: Mapping[dt.date, float | None], start: dt.date, end: dt.date
) -> list[list[tuple[dt.date, float]]]:
    """Split a series at missing days: a gap in the diary is a gap in the line."""
    segments: list[list[tuple[dt.date, float]]] = []
    current: list[tuple[dt.date, float]] = []
    for offset in range((end - start).days + 1):
        day = start + dt.timedelta(days=offset)
        value = values.get(day)
        if value is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append((day, float(value)))
    if current:
        segments.append(current)
    return segments


def timeline_svg(
    series: Sequence[Series],
    start: dt.date,
    end: dt.date,
    *,
    y_min: float = 0,
    y_max: float = 10,
    title: str,
    bands: Sequence[Band] = (),
    markers: Sequence[Marker] = (),
    width: int = WIDTH,
    height: int = HEIGHT,
    connect_gaps: bool = False,
) -> SafeString:
    """Daily values as thin lines, 7-day means as thick ones, over shaded bands.

    ``connect_gaps`` joins values across missing days: right for occasional
    measurements such as a monthly questionnaire, wrong for a daily diary
    (where a gap means "no entry" and must stay visible).
    """
    span_days = max((end - start).days, 1)
    plot_w = width - PAD_LEFT - PAD_RIGHT
    plot_h = height - PAD_TOP - PAD_BOTTOM

    def x(day: dt.date) -> float:
        return round(PAD_LEFT + (day - start).days / span_days * plot_w, 1)

    def y(value: float) -> float:
        return round(PAD_TOP + (1 - (value - y_min) / (y_max - y_min)) * plot_h, 1)

    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="chart" '
        f'role="img" aria-label="{escape(title)}" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title>",
    ]
    for i, band in enumerate(bands):
        bx0, bx1 = x(max(band.start, start)), x(min(band.end, end))
        fill = "#e8e8e8" if i % 2 == 0 else "#d4d4d4"
        parts.append(
            f'<rect x="{bx0}" y="{PAD_TOP}" width="{max(bx1 - bx0, 1)}" height="{plot_h}" fill="{fill}">'
            f"<title>{escape(band.label)}</title></rect>"
        )
        if bx1 - bx0 >= len(band.label) * CHAR_WIDTH + 6:  # a narrow band's label would run into the next one's
            parts.append(
                f'<text x="{bx0 + 3}" y="{PAD_TOP + 11}" font-size="10" fill="#333">{escape(band.label)}</text>'
            )
    # Horizontal grid and y labels.
    step = y_step(y_min, y_max, plot_h)
    tick = y_min
    while tick <= y_max:
        parts.append(
            f'<line x1="{PAD_LEFT}" x2="{width - PAD_RIGHT}" y1="{y(tick)}" y2="{y(tick)}" stroke="#ccc" stroke-width="0.5"/>'
            f'<text x="{PAD_LEFT - 6}" y="{y(tick) + 3}" font-size="10" text-anchor="end" fill="#333">{tick:g}</text>'
        )
        tick += step
    # X labels: about six dates. The last one sits on the right edge: centred, half of it would be cut off.
    label_every = max(span_days // 6, 1)
    for offset in range(0, span_days + 1, label_every):
        day = start + dt.timedelta(days=offset)
        anchor = "end" if x(day) + 3 * CHAR_WIDTH > width else "middle"
        parts.append(
            f'<text x="{x(day)}" y="{height - 8}" font-size="10" text-anchor="{anchor}" fill="#333">{day:%-d %b}</text>'
        )
    for marker in markers:
        if start <= marker.day <= end:
            mx = x(marker.day)
            parts.append(
                f'<line x1="{mx}" x2="{mx}" y1="{PAD_TOP}" y2="{PAD_TOP + plot_h}" stroke="#000" '
                f'stroke-width="1" stroke-dasharray="3 2"><title>{escape(marker.label)}</title></line>'
            )
    for index, s in enumerate(series):
        colour, dash = PALETTE[index % len(PALETTE)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        value_segments = _segments(s.values, start, end)
        if connect_gaps:
            value_segments = [[point for segment in value_segments for point in segment]]
        for segment in value_segments:
            if len(segment) == 1:
                day, value = segment[0]
                parts.append(f'<circle cx="{x(day)}" cy="{y(value)}" r="2.5" fill="{colour}"/>')
                continue
            if not segment:
                continue
            points = " ".join(f"{x(d)},{y(v)}" for d, v in segment)
            opacity = "" if connect_gaps else ' stroke-opacity="0.55"'
            width_attr = "2" if connect_gaps else "1"
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="{width_attr}"'
                f"{opacity}{dash_attr}/>"
            )
            if connect_gaps:
                # Occasional measurements: mark each one, so a line never implies data in between.
                parts += [f'<circle cx="{x(d)}" cy="{y(v)}" r="3" fill="{colour}"/>' for d, v in segment]
        for segment in _segments(s.smooth, start, end):
            points = " ".join(f"{x(d)},{y(v)}" for d, v in segment)
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}>'
                f"<title>{escape(s.name)}, 7-day mean</title></polyline>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every interpolated text is escaped above)


def legend(series: Sequence[Series]) -> list[dict[str, str]]:
    return [
        {"name": s.name, "colour": PALETTE[i % len(PALETTE)][0], "dash": PALETTE[i % len(PALETTE)][1]}
        for i, s in enumerate(series)
    ]


def legend_swatch(colour: str, dash: str) -> SafeString:
    dash_attr = f' stroke-dasharray="{escape(dash)}"' if dash else ""
    return mark_safe(  # noqa: S308
        f'<svg width="28" height="10" aria-hidden="true" focusable="false"><line x1="0" x2="28" y1="5" y2="5" '
        f'stroke="{escape(colour)}" stroke-width="3"{dash_attr}/></svg>'
    )


@dataclass
class Lane:
    """One row of a lane chart: a span (such as a side effect episode) and graded days within it."""

    label: str
    spans: Sequence[tuple[dt.date, dt.date]]
    levels: Mapping[dt.date, int]  # 1..max_level


def lanes_svg(
    lanes: Sequence[Lane],
    start: dt.date,
    end: dt.date,
    *,
    title: str,
    max_level: int = 3,
    width: int = WIDTH,
    lane_height: int = 26,
) -> SafeString:
    """Rows of spans with daily bars whose *height* is the level.

    Height, not colour, carries the level, so the chart reads the same in
    black and white; the thin line under each row is the whole episode.
    """
    label_w = 150
    height = PAD_TOP + lane_height * max(len(lanes), 1) + PAD_BOTTOM
    span_days = max((end - start).days, 1)
    plot_w = width - label_w - PAD_RIGHT
    day_w = max(plot_w / (span_days + 1), 0.6)

    def x(day: dt.date) -> float:
        return round(label_w + (day - start).days / (span_days + 1) * plot_w, 1)

    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="chart" '
        f'role="img" aria-label="{escape(title)}" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title>",
    ]
    label_every = max(span_days // 6, 1)
    for offset in range(0, span_days + 1, label_every):
        day = start + dt.timedelta(days=offset)
        parts.append(
            f'<text x="{x(day)}" y="{height - 8}" font-size="10" text-anchor="middle" fill="#333">{day:%-d %b}</text>'
        )
    for row, lane in enumerate(lanes):
        top = PAD_TOP + row * lane_height
        base = top + lane_height - 4
        name = lane.label if len(lane.label) <= 24 else lane.label[:23] + "…"
        parts.append(
            f'<text x="4" y="{base - 4}" font-size="11" fill="#111">{escape(name)}<title>{escape(lane.label)}</title></text>'
            f'<line x1="{label_w}" x2="{width - PAD_RIGHT}" y1="{base}" y2="{base}" stroke="#ccc" stroke-width="0.5"/>'
        )
        for span_start, span_end in lane.spans:
            s0, s1 = max(span_start, start), min(span_end, end)
            if s0 > s1:
                continue
            parts.append(
                f'<line x1="{x(s0)}" x2="{round(x(s1) + day_w, 1)}" y1="{base - 1}" y2="{base - 1}" '
                f'stroke="#333" stroke-width="2"/>'
            )
        for day, level in sorted(lane.levels.items()):
            if not start <= day <= end or level <= 0:
                continue
            bar_h = round((lane_height - 8) * min(level, max_level) / max_level, 1)
            parts.append(
                f'<rect x="{x(day)}" y="{round(base - bar_h, 1)}" width="{round(day_w, 2)}" height="{bar_h}" fill="#b5451b"/>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every interpolated text is escaped above)
