"""Server-side SVG charts, phone first: the one chart module of the project.

Public functions (all return SVG markup marked safe; every text is escaped):

* ``timeline_svg(series, start, end, *, title, y_min=0, y_max=10, bands=(), markers=(),
  height=HEIGHT, connect_gaps=False)``: daily values as a light line, the 7-day mean
  (``Series.smooth``) as a strong one, gaps where a day has no entry; bands (treatments,
  trial phases, light ``context`` such as weather) shaded with their labels in rows above
  the plot, never overlapping (shortened or left to the tooltip when there is no room);
  several series get dash patterns, point shapes and direct labels instead of a legend.
* ``small_multiples(series, start, end, *, title_for, first=None, ...)``: one
  ``timeline_svg`` per series (each on its own scale), the chosen one (``first``: a
  series' key or name) first. Returns ``Panel(name, key, svg)`` items.
* ``lanes_svg(lanes, start, end, *, title)``: rows of spans with daily bars whose height
  is a level (side effects).
* ``distribution_svg(groups, *, y_min, y_max, title)``: one box plot per group.
* ``dose_svg(title, start, end, doses, *, unit, amount_label, lanes)``: a dose as a step line.
* ``legend(series)`` / ``legend_swatch(cls, dash)``: only where a legend cannot be avoided.
* ``print_css()``: the chart colours for WeasyPrint, which cannot resolve CSS variables
  (``print_page_css()``: just the charts' size on the report's pages).

Inputs are plain data (``Series``, ``Band``, ``Marker``, ``Lane`` in ``model.py``), so
``lib`` never imports an upper app. Charts are drawn at a phone's layout width
(``WIDTH`` user units = CSS px) with 13-unit text, so the text is never smaller than
12 CSS px on a 390 px screen; ``static/css/charts.css`` caps their size on wide screens
and gives every colour, light and dark, as a custom property (classes only: the CSP
blocks ``style=``). Every chart on a page needs its table beside it for screen readers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from fibrotrack.lib.charts import rows as _rows
from fibrotrack.lib.charts import timeline as _timeline
from fibrotrack.lib.charts.draw import WIDTH
from fibrotrack.lib.charts.model import BAND_KINDS, CONTEXT, PHASE, TREATMENT, Band, Lane, Marker, Panel, Series
from fibrotrack.lib.charts.text import FONT_SIZE
from fibrotrack.lib.charts.timeline import (
    HEIGHT,
    MIN_LABEL_GAP,
    PAD_BOTTOM,
    PAD_LEFT,
    PAD_RIGHT,
    PAD_TOP,
    PALETTE,
    segments,
    y_step,
)

__all__ = [
    "BAND_KINDS",
    "CONTEXT",
    "FONT_SIZE",
    "HEIGHT",
    "MIN_LABEL_GAP",
    "PAD_BOTTOM",
    "PAD_LEFT",
    "PAD_RIGHT",
    "PAD_TOP",
    "PALETTE",
    "PHASE",
    "TREATMENT",
    "WIDTH",
    "Band",
    "Lane",
    "Marker",
    "Panel",
    "Series",
    "distribution_svg",
    "dose_svg",
    "lanes_svg",
    "legend",
    "legend_swatch",
    "print_css",
    "print_page_css",
    "segments",
    "small_multiples",
    "timeline_svg",
    "y_step",
]

_segments = segments  # the old name, still used by older tests


def timeline_svg(series: Sequence[Series], start: dt.date, end: dt.date, **options: Any) -> SafeString:
    return mark_safe(_timeline.timeline_svg(series, start, end, **options))  # noqa: S308 (texts escaped in draw.py)


def small_multiples(
    series: Sequence[Series],
    start: dt.date,
    end: dt.date,
    *,
    title_for: Callable[[Series], str],
    first: str | None = None,
    y_min: float = 0,
    y_max: float = 10,
    **options: Any,
) -> list[Panel]:
    """One chart per series, the chosen one first; each on its own scale when the series has one."""
    ordered = sorted(series, key=lambda s: first is None or first not in {s.key, s.name})
    return [
        Panel(
            s.name,
            s.key,
            timeline_svg(
                [s],
                start,
                end,
                title=title_for(s),
                y_min=y_min if s.y_min is None else s.y_min,
                y_max=y_max if s.y_max is None else s.y_max,
                **options,
            ),
        )
        for s in ordered
    ]


def lanes_svg(lanes: Sequence[Lane], start: dt.date, end: dt.date, **options: Any) -> SafeString:
    return mark_safe(_rows.lanes_svg(lanes, start, end, **options))  # noqa: S308


def distribution_svg(groups: Sequence[tuple[str, Sequence[float]]], **options: Any) -> SafeString:
    return mark_safe(_rows.distribution_svg(groups, **options))  # noqa: S308


def dose_svg(
    title: str, start: dt.date, end: dt.date, doses: Mapping[dt.date, float | None], **options: Any
) -> SafeString:
    return mark_safe(_rows.dose_svg(title, start, end, doses, **options))  # noqa: S308


def legend(series: Sequence[Series]) -> list[dict[str, str]]:
    return [
        {"name": s.name, "colour": _timeline.style(i)[0], "dash": _timeline.style(i)[1]} for i, s in enumerate(series)
    ]


def legend_swatch(cls: str, dash: str = "", shape: str = "") -> SafeString:
    """A short line in a series' colour class and dash pattern (``shape`` is accepted for ``PALETTE`` rows)."""
    safe_cls = re.sub(r"[^a-z0-9-]", "", cls)
    dash_attr = f' stroke-dasharray="{escape(dash)}"' if dash else ""
    return mark_safe(  # noqa: S308
        f'<svg width="28" height="10" class="legend-swatch" aria-hidden="true" focusable="false"><line x1="0" x2="28" '
        f'y1="5" y2="5" class="chart-mean {safe_cls}" stroke-width="3"{dash_attr}/></svg>'
    )


_VAR = re.compile(r"var\(\s*--[\w-]+\s*,\s*([^()]*?)\s*\)")


@cache
def _resolved_rules() -> list[str]:
    """charts.css's top-level rules (no custom property blocks), each ``var(--x, fallback)`` made its fallback."""
    path = Path(settings.BASE_DIR) / "static" / "css" / "charts.css"
    resolved = _VAR.sub(lambda m: m.group(1), path.read_text(encoding="utf-8"))
    return re.findall(r"^[.a-z][^{]*\{[^}]*\}", resolved, re.MULTILINE)


def print_css() -> str:
    """The charts' colours and shapes for WeasyPrint, which draws SVG without resolving custom properties.

    The PDF's charts are images, which never see the page's stylesheet: each
    carries this in its own ``<style>``. A test checks that every fallback
    equals the light value defined on ``:root``.
    """
    return "\n".join(rule for rule in _resolved_rules() if not rule.startswith(".report"))


def print_page_css() -> str:
    """Only the rules for the report's page (the charts' size on paper), for the PDF's own stylesheet."""
    return "\n".join(rule for rule in _resolved_rules() if rule.startswith(".report"))
