"""An SVG of one regimen's dose over time, with side effects in rows underneath.

Server-side SVG with presentation attributes only (the CSP forbids inline
style and script). Severity is shown by bar height as well as by shade, so
it does not depend on colour; every mark has a <title>, and the page offers
the same data as a table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from fibrotrack.treatments import titration

WIDTH = 720
PAD_LEFT, PAD_RIGHT, PAD_TOP = 44, 12, 14
DOSE_HEIGHT = 150
ROW_HEIGHT = 34
AXIS_HEIGHT = 26
SEVERITY_BAR = {"mild": (6, "#e3a587"), "moderate": (12, "#c8683f"), "severe": (18, "#8a2f0f")}


def dose_chart(
    title: str,
    start: dt.date,
    end: dt.date,
    doses: Mapping[dt.date, titration.Dose | None],
    effects: Sequence[tuple[str, Mapping[dt.date, str]]] = (),
) -> SafeString:
    span = max((end - start).days + 1, 1)
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    height = PAD_TOP + DOSE_HEIGHT + AXIS_HEIGHT + ROW_HEIGHT * len(effects) + 6
    amounts = [d.amount for d in doses.values() if d is not None and d.amount is not None]
    top = max(amounts, default=Decimal(1)) * Decimal("1.15")
    unit = next((d.unit for d in doses.values() if d is not None), "")

    def x(day: dt.date) -> float:
        return round(PAD_LEFT + (day - start).days / span * plot_w, 1)

    def y(amount: Decimal) -> float:
        return round(PAD_TOP + (1 - float(amount / top)) * DOSE_HEIGHT, 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" class="chart" role="img" '
        f'aria-label="{escape(title)}" preserveAspectRatio="xMidYMid meet"><title>{escape(title)}</title>',
    ]
    for fraction in (0, 0.5, 1):
        value = (top / Decimal("1.15")) * Decimal(str(fraction))
        label = titration.format_amount(value.quantize(Decimal("0.01")))
        parts.append(
            f'<line x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{y(value)}" y2="{y(value)}" stroke="#ccc" '
            f'stroke-width="0.5"/><text x="{PAD_LEFT - 4}" y="{y(value) + 3}" font-size="10" text-anchor="end" '
            f'fill="#333">{escape(label)}</text>'
        )
    parts.append(f'<text x="2" y="{PAD_TOP - 3}" font-size="10" fill="#333">{escape(unit)}</text>')

    # The dose: a step line, broken where there is no dose in force; pauses sit on zero.
    segment: list[str] = []
    segments: list[list[str]] = []
    day = start
    while day <= end:
        dose = doses.get(day)
        if dose is None:
            if segment:
                segments.append(segment)
            segment = []
        else:
            level = y(dose.amount if dose.amount is not None else Decimal(0))
            segment += [f"{x(day)},{level}", f"{x(day + dt.timedelta(days=1))},{level}"]
        day += dt.timedelta(days=1)
    if segment:
        segments.append(segment)
    for points in segments:
        parts.append(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="#1f5fa8" stroke-width="2.5">'
            f"<title>Dose in force</title></polyline>"
        )

    axis_y = PAD_TOP + DOSE_HEIGHT
    parts.append(f'<line x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{axis_y}" y2="{axis_y}" stroke="#333"/>')
    every = max(span // 6, 1)
    for offset in range(0, span, every):
        tick = start + dt.timedelta(days=offset)
        parts.append(
            f'<text x="{x(tick)}" y="{axis_y + 16}" font-size="10" text-anchor="middle" fill="#333">'
            f"{tick:%-d %b}</text>"
        )

    bar_w = max(plot_w / span - 0.5, 1)
    for index, (name, days) in enumerate(effects):
        row_top = axis_y + AXIS_HEIGHT + index * ROW_HEIGHT
        base = row_top + ROW_HEIGHT - 6
        parts.append(
            f'<text x="{PAD_LEFT}" y="{row_top + 8}" font-size="11" fill="#333">{escape(name)}</text>'
            f'<line x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{base}" y2="{base}" stroke="#ccc"/>'
        )
        for when, severity in sorted(days.items()):
            if not start <= when <= end or severity not in SEVERITY_BAR:
                continue
            bar_h, fill = SEVERITY_BAR[severity]
            parts.append(
                f'<rect x="{x(when)}" y="{base - bar_h}" width="{round(bar_w, 1)}" height="{bar_h}" fill="{fill}">'
                f"<title>{escape(name)}, {when:%-d %b %Y}: {severity}</title></rect>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every interpolated text is escaped above)
