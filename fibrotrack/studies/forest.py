"""A forest plot as server-rendered SVG: each participant's own estimate with its interval, the pooled one last.

Drawn at a phone's width with presentation attributes only (``currentColor``:
no ``style=``, which the CSP blocks, and it prints the same in WeasyPrint).
The SVG is ``role="img"`` with a label; the page puts the same numbers in a
table beside it for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 360
ROW = 18
LABEL_W = 92
PAD = 12
AXIS_H = 34


@dataclass(frozen=True)
class ForestLine:
    label: str
    estimate: float
    low: float | None
    high: float | None
    pooled: bool = False


def _ticks(lo: float, hi: float) -> list[float]:
    span = hi - lo
    step = next(s for s in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 50, 100, 1e9) if span / s <= 6)
    first = int(lo // step) * step
    out, t = [], first
    while t <= hi + 1e-9:
        if t >= lo - 1e-9:
            out.append(round(t, 6))
        t += step
    return out


def forest_svg(lines: Sequence[ForestLine], *, title: str, axis_label: str) -> SafeString:
    values = [v for line in lines for v in (line.estimate, line.low, line.high) if v is not None] + [0.0]
    lo, hi = min(values), max(values)
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * 0.05
    lo, hi = lo - pad, hi + pad
    plot_w = WIDTH - LABEL_W - PAD

    def x(v: float) -> float:
        return round(LABEL_W + (v - lo) / (hi - lo) * plot_w, 1)

    height = PAD + ROW * len(lines) + AXIS_H
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="forest" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    bottom = PAD + ROW * len(lines)
    parts.append(
        f'<line x1="{x(0)}" y1="{PAD - 4}" x2="{x(0)}" y2="{bottom}" stroke="currentColor" '
        'stroke-dasharray="3 3" stroke-width="1"/>'
    )
    for i, line in enumerate(lines):
        cy = PAD + ROW * i + ROW / 2
        weight = "bold" if line.pooled else "normal"
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{cy + 4}" text-anchor="end" font-size="12" font-weight="{weight}" '
            f'fill="currentColor">{escape(line.label)}</text>'
        )
        if line.low is not None and line.high is not None:
            parts.append(
                f'<line x1="{x(line.low)}" y1="{cy}" x2="{x(line.high)}" y2="{cy}" stroke="currentColor" '
                'stroke-width="1.5"/>'
            )
        cx = x(line.estimate)
        if line.pooled:
            lx = x(line.low) if line.low is not None else cx - 4
            hx = x(line.high) if line.high is not None else cx + 4
            parts.append(f'<polygon points="{lx},{cy} {cx},{cy - 6} {hx},{cy} {cx},{cy + 6}" fill="currentColor"/>')
        else:
            parts.append(f'<rect x="{cx - 3}" y="{cy - 3}" width="6" height="6" fill="currentColor"/>')
    parts.append(
        f'<line x1="{LABEL_W}" y1="{bottom}" x2="{WIDTH - PAD}" y2="{bottom}" stroke="currentColor" stroke-width="1"/>'
    )
    for t in _ticks(lo, hi):
        parts.append(
            f'<line x1="{x(t)}" y1="{bottom}" x2="{x(t)}" y2="{bottom + 4}" stroke="currentColor"/>'
            f'<text x="{x(t)}" y="{bottom + 16}" text-anchor="middle" font-size="12" fill="currentColor">{t:g}</text>'
        )
    parts.append(
        f'<text x="{LABEL_W + plot_w / 2}" y="{bottom + 30}" text-anchor="middle" font-size="12" '
        f'fill="currentColor">{escape(axis_label)}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)
