"""Per-phase distributions as SVG: one box plot per phase (with a table alternative on the page).

Like ``fibrotrack.lib.charts``: presentation attributes only (the CSP blocks
inline styles), every interpolated text escaped, and shapes that survive
black-and-white printing (a box, a median bar, a mean diamond).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, ROW, PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 720, 46, 150, 16, 10, 30


def _quartiles(values: Sequence[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        v = values[0]
        return v, v, v
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], q[1], q[2]


def distribution_svg(
    groups: Sequence[tuple[str, Sequence[float]]], *, y_min: float, y_max: float, title: str
) -> SafeString:
    groups = [(name, list(values)) for name, values in groups]
    height = PAD_TOP + PAD_BOTTOM + ROW * max(len(groups), 1)
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT

    def x(v: float) -> float:
        return round(PAD_LEFT + (v - y_min) / (y_max - y_min) * plot_w, 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" class="chart" role="img" '
        f'aria-label="{escape(title)}" preserveAspectRatio="xMidYMid meet"><title>{escape(title)}</title>'
    ]
    step = 2 if y_max - y_min >= 8 else 1
    tick = y_min
    axis_y = height - PAD_BOTTOM
    while tick <= y_max:
        parts.append(
            f'<line x1="{x(tick)}" x2="{x(tick)}" y1="{PAD_TOP}" y2="{axis_y}" stroke="#ccc" stroke-width="0.5"/>'
            f'<text x="{x(tick)}" y="{axis_y + 16}" font-size="11" text-anchor="middle" fill="#333">{tick:g}</text>'
        )
        tick += step
    for i, (name, values) in enumerate(groups):
        cy = PAD_TOP + ROW * i + ROW / 2
        parts.append(
            f'<text x="{PAD_LEFT - 8}" y="{cy + 4}" font-size="12" text-anchor="end" fill="#1b1b1b">{escape(name)}</text>'
        )
        if not values:
            parts.append(f'<text x="{PAD_LEFT + 4}" y="{cy + 4}" font-size="11" fill="#555">no values</text>')
            continue
        q1, med, q3 = _quartiles(values)
        lo, hi, mean = min(values), max(values), statistics.fmean(values)
        parts.append(
            f'<line x1="{x(lo)}" x2="{x(hi)}" y1="{cy}" y2="{cy}" stroke="#1b1b1b" stroke-width="1"/>'
            f'<rect x="{x(q1)}" y="{cy - 12}" width="{max(x(q3) - x(q1), 1)}" height="24" fill="#dbe7f5" '
            f'stroke="#1f5fa8" stroke-width="1.5"><title>{escape(name)}: middle half {q1:g} to {q3:g}</title></rect>'
            f'<line x1="{x(med)}" x2="{x(med)}" y1="{cy - 12}" y2="{cy + 12}" stroke="#1f5fa8" stroke-width="3"/>'
            f'<path d="M{x(mean)},{cy - 6} l6,6 l-6,6 l-6,-6 z" fill="#b5451b"><title>{escape(name)}: mean '
            f"{mean:.1f}</title></path>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every interpolated text is escaped)
