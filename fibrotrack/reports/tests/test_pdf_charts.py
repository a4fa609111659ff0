"""Issue 16: the doctor's PDF keeps the charts readable and coloured.

Sizes are read from the PDF itself (pypdf: each text run's font size times its text
and transformation matrices), for the texts the report's charts hold."""

import datetime as dt
import html
import io
import math
import re

import pytest
from pypdf import PdfReader

from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.demo import build_demo
from fibrotrack.lib.testing.factories import PASSWORD
from fibrotrack.reports.pdf import render_report_html_document, render_report_pdf

pytestmark = pytest.mark.django_db


def _mult(m, n):
    return [m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3], m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3]]


def text_runs(pdf: bytes) -> list[tuple[str, float]]:
    """(text, size in pt as printed) for every text run in the PDF."""
    runs: list[tuple[str, float]] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:

        def visit(text, cm, tm, font, size):
            if text.strip():
                m = _mult(tm, cm)
                runs.append((text.strip(), size * math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))))

        page.extract_text(visitor_text=visit)
    return runs


@pytest.fixture
def demo_report():
    user, _ = build_demo("demo@example.org", PASSWORD)
    end = diary_day(user)
    start = end - dt.timedelta(days=182)
    include = {"symptoms", "side_effects", "acr", "treatments", "trials"}
    document = render_report_html_document(user, start, end, include=include)
    return render_report_pdf(user, start, end, include=include), document


def test_chart_text_in_the_pdf_is_at_least_8_pt(demo_report):
    pdf, document = demo_report
    chart_texts = {
        html.unescape(t).strip()
        for svg in re.findall(r'<svg xmlns="http://www.w3.org/2000/svg".*?</svg>', document, re.DOTALL)
        for t in re.findall(r"<text [^>]*>([^<]+)", svg)
    }
    assert len(chart_texts) > 12  # the demo's report has charts with bands, dates and values
    runs = [(text, size) for text, size in text_runs(pdf) if text in chart_texts]
    found = {text for text, _ in runs}
    assert len(found) >= 0.8 * len(chart_texts), chart_texts - found
    too_small = sorted({(text, round(size, 1)) for text, size in runs if size < 8})
    assert too_small == []
    assert max(size for _, size in runs) <= 14  # and not blown up to a poster either


def test_the_pdf_charts_keep_their_colours(demo_report):
    """WeasyPrint does not resolve CSS variables in SVG: the charts carry resolved colours."""
    pdf, _ = demo_report
    content = b"".join(page.get_contents().get_data() for page in PdfReader(io.BytesIO(pdf)).pages)
    # Okabe–Ito blue #0072b2 (the mean line, as a stroke) and the severity bars' #c8683f (as a fill).
    assert b"0 0.447059 0.698039 RG" in content
    assert b"0.784314 0.407843 0.247059 rg" in content
