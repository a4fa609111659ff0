"""What a PDF looks like on paper, read back from its text: font sizes and how far down each page is filled."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from pypdf import PdfReader


@dataclass
class PageMetrics:
    number: int
    width: float
    height: float
    min_font: float  # points, the smallest text drawn on the page (0 without text)
    lowest_y: float  # the lowest baseline, from the bottom of the page
    highest_y: float
    text: str

    @property
    def filled(self) -> float:
        """Share of the page's height between its top and its lowest line of text."""
        return (self.height - self.lowest_y) / self.height if self.text.strip() else 0.0


def _mult(a: list[float], b: list[float]) -> list[float]:
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def _read(page: object, footer_pt: float) -> tuple[str, list[float], list[float]]:
    """The page's text, every drawn font size (text matrix x CTM) and the baselines on the page itself."""
    sizes: list[float] = []
    ys: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text.strip():
            return
        m = _mult(list(map(float, tm)), list(map(float, cm)))
        sizes.append(float(size) * math.hypot(m[2], m[3]))  # the vertical scale of the text space
        # Text inside a chart (an SVG image: a form XObject) comes with the form's own, untranslated
        # matrix, so its y says nothing about the page; the chart's caption below it marks the extent.
        if abs(float(cm[5])) > 1 and m[5] > footer_pt:
            ys.append(m[5])

    text = page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return text, sizes, ys


def page_metrics(pdf: bytes, *, footer_pt: float = 0.0) -> list[PageMetrics]:
    """Per page: the smallest font size actually drawn and the text's vertical extent.

    Lines below ``footer_pt`` from the bottom (the running footer) are left out of the extent.
    """
    out = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        box = page.mediabox
        text, sizes, ys = _read(page, footer_pt)
        out.append(
            PageMetrics(
                number,
                float(box.width),
                float(box.height),
                min(sizes) if sizes else 0.0,
                min(ys) if ys else float(box.height),
                max(ys) if ys else 0.0,
                text,
            )
        )
    return out
