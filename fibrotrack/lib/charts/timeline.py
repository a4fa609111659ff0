"""Daily series over time: the light daily line, the strong 7-day mean, labelled bands above."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.utils.translation import gettext

from fibrotrack.lib.charts import draw, layout
from fibrotrack.lib.charts.model import BAND_KINDS, CONTEXT, Band, Marker, Series
from fibrotrack.lib.charts.text import FONT_SIZE, text_width

HEIGHT = 180  # the plot and its axes; the band label rows come on top
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 30, 8, 10, 30
ROW_H = 20  # one row of band labels
MIN_LABEL_GAP = FONT_SIZE + 5  # value labels closer than this would touch

# Series: a colour class (charts.css), a dash pattern and a point shape, so that
# neither colour vision nor a greyscale print is needed to tell them apart.
PALETTE: tuple[tuple[str, str, str], ...] = (
    ("s0", "", "circle"),
    ("s1", "6 3", "square"),
    ("s2", "2 3", "triangle"),
    ("s3", "8 3 2 3", "diamond"),
    ("s4", "1 3", "circle"),
    ("s5", "10 4", "square"),
)


def style(index: int) -> tuple[str, str, str]:
    return PALETTE[index % len(PALETTE)]


def segments(values: Mapping[dt.date, float | None], start: dt.date, end: dt.date) -> list[list[tuple[dt.date, float]]]:
    """Runs of consecutive days with a value: a day without an entry ends a run, so it shows as a gap."""
    out: list[list[tuple[dt.date, float]]] = []
    current: list[tuple[dt.date, float]] = []
    for offset in range((end - start).days + 1):
        day = start + dt.timedelta(days=offset)
        value = values.get(day)
        if value is None:
            if current:
                out.append(current)
            current = []
        else:
            current.append((day, float(value)))
    if current:
        out.append(current)
    return out


def y_step(y_min: float, y_max: float, plot_h: float) -> float:
    return layout.value_step(y_min, y_max, plot_h, min_gap=MIN_LABEL_GAP)


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
    width: int = draw.WIDTH,
    height: int = HEIGHT,
    connect_gaps: bool = False,
    max_label_rows: int = 3,
    band_labels: bool = True,
) -> str:
    """See the package docstring. Returns the SVG markup (the caller marks it safe)."""
    end = max(end, start)
    span_days = max((end - start).days, 1)
    several = len(series) > 1
    direct = [s.label or s.name for s in series] if several else []
    pad_right = PAD_RIGHT + (max(text_width(t) for t in direct) + 6 if direct else 0)
    pad_right = min(pad_right, width * 0.4)
    left, right = PAD_LEFT, width - pad_right

    def x(day: dt.date) -> float:
        return left + (day - start).days / span_days * (right - left)

    # Band labels first: their rows decide where the plot starts. A kind the stylesheet does
    # not know is drawn as light context rather than in the default black.
    visible = [
        b if b.kind in BAND_KINDS else Band(b.start, b.end, b.label, CONTEXT, b.short)
        for b in bands
        if b.start <= end and b.end >= start
    ]
    spans = [
        layout.Span(
            x(max(b.start, start)),
            x(min(b.end, end)),
            (b.label, b.short),
            priority=int(b.kind == CONTEXT),
            group=b.label if b.kind == CONTEXT else "",
        )
        for b in visible
    ]
    # Without labels (small multiples that share another chart's), bands keep their tooltips.
    placed = layout.place_band_labels(spans, 2, width - 2, max_rows=max_label_rows) if band_labels else []
    strip = layout.rows_used(placed) * ROW_H
    top = strip + PAD_TOP
    plot_h = max(height - PAD_TOP - PAD_BOTTOM, 40)
    bottom = top + plot_h
    total_h = bottom + PAD_BOTTOM
    y_span = (y_max - y_min) or 1

    def y(value: float) -> float:
        return top + (1 - (value - y_min) / y_span) * plot_h

    parts = [draw.svg_open(width, total_h, title, "timeline")]
    # Context first and lightest, then treatments and phases. Two shades per kind, by label:
    # every "Placebo" phase has the same shade, and the next label the other one.
    shades: dict[tuple[str, str], int] = {}
    for band in visible:
        key = (band.kind, band.label)
        shades.setdefault(key, sum(1 for k in shades if k[0] == band.kind))
    order = sorted(range(len(visible)), key=lambda i: visible[i].kind != CONTEXT)
    for i in order:
        band = visible[i]
        n = shades[(band.kind, band.label)]
        x0, x1 = spans[i].x0, spans[i].x1
        cls = f"chart-band chart-band-{band.kind} chart-band-{'ab'[n % 2]}"
        parts.append(draw.rect(x0, top, x1 - x0, plot_h, cls, tip=band.label))
    for p in placed:
        band, span = visible[p.index], spans[p.index]
        row_top = p.row * ROW_H + 2
        parts.append(draw.text(p.x, row_top + 13, p.text, cls="chart-text chart-band-label", tip=band.label))
        bracket_y = row_top + 17.5
        parts.append(
            draw.line(
                span.x0,
                bracket_y,
                max(span.x1, span.x0 + 1),
                bracket_y,
                f"chart-bracket chart-bracket-{band.kind}",
                width=2,
            )
        )
    # Value gridlines and labels.
    step = y_step(y_min, y_max, plot_h)
    tick = y_min
    while tick <= y_max + 1e-9:
        ty = y(tick)
        parts.append(draw.line(left, ty, right, ty, "chart-grid", width=1))
        parts.append(draw.text(left - 5, ty + 4.5, f"{tick:g}", cls="chart-text chart-axis-label", anchor="end"))
        tick += step
    parts.append(draw.line(left, bottom, right, bottom, "chart-axis", width=1))
    for t in layout.date_ticks(start, end, x, 2, width - 2):
        parts.append(draw.text(t.x, bottom + 22, t.text, cls="chart-text chart-axis-label", anchor="middle"))
    for m in markers:
        if start <= m.day <= end:
            mx = x(m.day)
            parts.append(draw.line(mx, top, mx, bottom, "chart-marker", width=1.5, dash="4 3", tip=m.label))
    label_wanted: list[float] = []
    for index, s in enumerate(series):
        cls, dash, shape = style(index)
        dash = dash if several else ""
        runs = segments(s.values, start, end)
        if connect_gaps:
            # Occasional measurements (a questionnaire): join them, and mark each one
            # so the line never suggests values in between.
            points = [pt for run in runs for pt in run]
            if len(points) > 1:
                parts.append(
                    draw.polyline(
                        [(x(d), y(v)) for d, v in points], f"chart-mean {cls}", width=2.5, dash=dash, tip=s.name
                    )
                )
            parts += [draw.mark(x(d), y(v), shape, f"chart-point {cls}", size=4) for d, v in points]
            last = points[-1][1] if points else None
        else:
            for run in runs:
                if len(run) == 1:
                    d, v = run[0]
                    parts.append(draw.mark(x(d), y(v), "circle", f"chart-point chart-daily-point {cls}", size=2.5))
                else:
                    parts.append(draw.polyline([(x(d), y(v)) for d, v in run], f"chart-daily {cls}", width=1.5))
            mean_runs = segments(s.smooth, start, end)
            for run in mean_runs:
                parts.append(
                    draw.polyline(
                        [(x(d), y(v)) for d, v in run],
                        f"chart-mean {cls}",
                        width=3.5,
                        dash=dash,
                        tip=gettext("%(name)s, 7-day mean") % {"name": s.name},
                    )
                )
            last_run = mean_runs[-1] if mean_runs else (runs[-1] if runs else [])
            last = last_run[-1][1] if last_run else None
        label_wanted.append(y(last) + 4.5 if last is not None else bottom)
    if direct:
        # Direct labels at the right end of each line, pushed apart so they never touch.
        ys = layout.spread_vertically(label_wanted, top + 9, bottom + 4.5, FONT_SIZE + 4)
        for index, (label, ly) in enumerate(zip(direct, ys, strict=True)):
            cls = style(index)[0]
            shown = layout.fit(label, pad_right - 6)
            if shown:
                parts.append(
                    draw.text(right + 5, ly, shown, cls=f"chart-text chart-direct {cls}", tip=series[index].name)
                )
    if series and not any(v is not None for s in series for v in s.values.values()):
        parts.append(draw.text((left + right) / 2, top + plot_h / 2 + 4.5, gettext("No entries in this period"),
                               cls="chart-text chart-muted", anchor="middle"))  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)
