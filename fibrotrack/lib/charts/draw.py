"""Small writers for SVG elements: every interpolated text escaped, colours by class only.

Colours live in ``static/css/charts.css`` as custom properties (light and dark),
so nothing here writes a colour: dark mode and the CSP (no ``style=``) both hold.
Shapes (widths, dash patterns, marker forms) are presentation attributes, so a
chart read in black and white still tells its series apart.
"""

from __future__ import annotations

from django.utils.html import escape

from fibrotrack.lib.charts.text import FONT_SIZE

WIDTH = 340  # user units = CSS px at a phone's layout width (390 px less the page's padding)


def num(value: float) -> str:
    return f"{round(value, 1):g}"


def svg_open(width: float, height: float, title: str, kind: str) -> str:
    # The attribute order matters to reports/pdf.py, which finds charts by it.
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {num(width)} {num(height)}" '
        f'width="{num(width)}" height="{num(height)}" class="chart chart-{kind}" role="img" '
        f'aria-label="{escape(title)}" preserveAspectRatio="xMidYMid meet" font-size="{FONT_SIZE}">'
        f"<title>{escape(title)}</title>"
    )


def text(x: float, y: float, content: str, *, cls: str = "chart-text", anchor: str = "", tip: str = "") -> str:
    anchor_attr = f' text-anchor="{anchor}"' if anchor else ""
    tip_el = f"<title>{escape(tip)}</title>" if tip and tip != content else ""
    return (
        f'<text x="{num(x)}" y="{num(y)}" font-size="{FONT_SIZE}" class="{cls}"{anchor_attr}>'
        f"{escape(content)}{tip_el}</text>"
    )


def line(
    x1: float, y1: float, x2: float, y2: float, cls: str, *, width: float = 1, dash: str = "", tip: str = ""
) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    body = f"><title>{escape(tip)}</title></line>" if tip else "/>"
    return (
        f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" class="{cls}" '
        f'stroke-width="{num(width)}"{dash_attr}{body}'
    )


def rect(x: float, y: float, w: float, h: float, cls: str, *, tip: str = "") -> str:
    body = f"><title>{escape(tip)}</title></rect>" if tip else "/>"
    return f'<rect x="{num(x)}" y="{num(y)}" width="{num(max(w, 0.5))}" height="{num(max(h, 0.5))}" class="{cls}"{body}'


def polyline(points: list[tuple[float, float]], cls: str, *, width: float, dash: str = "", tip: str = "") -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    body = f"><title>{escape(tip)}</title></polyline>" if tip else "/>"
    coords = " ".join(f"{num(x)},{num(y)}" for x, y in points)
    return f'<polyline points="{coords}" fill="none" class="{cls}" stroke-width="{num(width)}"{dash_attr}{body}'


def mark(x: float, y: float, shape: str, cls: str, *, size: float = 3.5) -> str:
    """A point: circle, square, triangle or diamond (shape, not only colour, tells series apart)."""
    s = size
    if shape == "square":
        return f'<rect x="{num(x - s)}" y="{num(y - s)}" width="{num(2 * s)}" height="{num(2 * s)}" class="{cls}"/>'
    if shape == "triangle":
        return (
            f'<path d="M{num(x)},{num(y - s - 1)} l{num(s + 1)},{num(2 * s + 1)} h{num(-2 * s - 2)} z" class="{cls}"/>'
        )
    if shape == "diamond":
        return f'<path d="M{num(x)},{num(y - s - 1)} l{num(s + 1)},{num(s + 1)} l{num(-s - 1)},{num(s + 1)} l{num(-s - 1)},{num(-s - 1)} z" class="{cls}"/>'
    return f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(s)}" class="{cls}"/>'
