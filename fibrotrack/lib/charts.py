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
) -> SafeString:
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
            f'<text x="{bx0 + 3}" y="{PAD_TOP + 11}" font-size="10" fill="#333">{escape(band.label)}</text>'
        )
    # Horizontal grid and y labels.
    step = 2 if y_max - y_min >= 8 else 1
    tick = y_min
    while tick <= y_max:
        parts.append(
            f'<line x1="{PAD_LEFT}" x2="{width - PAD_RIGHT}" y1="{y(tick)}" y2="{y(tick)}" stroke="#ccc" stroke-width="0.5"/>'
            f'<text x="{PAD_LEFT - 6}" y="{y(tick) + 3}" font-size="10" text-anchor="end" fill="#333">{tick:g}</text>'
        )
        tick += step
    # X labels: about six dates.
    label_every = max(span_days // 6, 1)
    for offset in range(0, span_days + 1, label_every):
        day = start + dt.timedelta(days=offset)
        parts.append(
            f'<text x="{x(day)}" y="{height - 8}" font-size="10" text-anchor="middle" fill="#333">{day:%-d %b}</text>'
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
        for segment in _segments(s.values, start, end):
            if len(segment) == 1:
                day, value = segment[0]
                parts.append(f'<circle cx="{x(day)}" cy="{y(value)}" r="2.5" fill="{colour}"/>')
                continue
            points = " ".join(f"{x(d)},{y(v)}" for d, v in segment)
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="1" '
                f'stroke-opacity="0.55"{dash_attr}/>'
            )
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
