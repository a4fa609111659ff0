"""The doctor's PDF keeps its promise on A4 and Letter: a one- or two-page summary, legible, no near-blank page.

The rules, read back from the PDF itself (``pdfmetrics``):

* the summary (everything before the first "Appendix:" heading) takes 1 or 2 pages;
* the appendix takes at most one page per 60 diary days listed, plus one for the trial methods;
* no text anywhere is smaller than 7.5 pt, and none in the summary smaller than 8 pt (chart labels included);
* every page but the last is at least 30% filled;
* no column header wraps onto a second line.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from html import unescape

import pytest
from django.db import transaction

from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.demo import build_demo
from fibrotrack.lib.reference import load_all
from fibrotrack.lib.testing.factories import UserFactory
from fibrotrack.reports.pdf import render_report_html_document, render_report_pdf
from fibrotrack.reports.tests.pdfmetrics import page_metrics
from fibrotrack.reports.tests.seed import seed_diary

pytestmark = pytest.mark.django_db

FOOTER_PT = 45  # the running footer sits in the bottom margin, below this
SIZES = ("a4", "letter")


@pytest.fixture(scope="module")
def pdfs(django_db_setup, django_db_blocker):
    """The demo's default report (91 days, with a trial) and a year of seeded diary, on both paper sizes."""
    out = {}
    with django_db_blocker.unblock(), transaction.atomic():
        load_all()
        demo, _ = build_demo("pages-demo@example.org", "a-long-demo-password", seed=2009)
        year = UserFactory(email="pages-year@example.org")
        today = diary_day(year)
        seed_diary(year, today - dt.timedelta(days=400), today)
        for name, user, days in (("demo", demo, 91), ("year", year, 365)):
            end = diary_day(user)
            start = end - dt.timedelta(days=days - 1)
            logged = user.checkins.filter(day__range=(start, end)).count()
            for size in SIZES:
                pdf = render_report_pdf(user, start, end, page_size=size)
                html = render_report_html_document(user, start, end, page_size=size)
                out[name, size] = (page_metrics(pdf, footer_pt=FOOTER_PT), html, logged)
        transaction.set_rollback(True)
    return out


CASES = [(name, size) for name in ("demo", "year") for size in SIZES]


def _summary_pages(pages):
    first = next(i for i, p in enumerate(pages) if re.search(r"^Appendix:", p.text, re.M))
    before = re.split(r"^Appendix:", pages[first].text, maxsplit=1, flags=re.M)[0]
    return first + bool(before.strip())


@pytest.mark.parametrize(("name", "size"), CASES)
def test_the_summary_takes_one_or_two_pages_then_the_appendix_follows(pdfs, name, size):
    pages, _, logged = pdfs[name, size]
    summary = _summary_pages(pages)
    assert 1 <= summary <= 2, f"the summary takes {summary} pages"
    appendix = len(pages) - summary + (1 if summary and _summary_pages(pages) > summary else 0)
    assert appendix <= math.ceil(logged / 60) + 1, f"{appendix} appendix pages for {logged} days"
    paper = {"a4": (595, 842), "letter": (612, 792)}[size]
    assert all((round(p.width), round(p.height)) == paper for p in pages)


@pytest.mark.parametrize(("name", "size"), CASES)
def test_no_text_is_too_small_to_read(pdfs, name, size):
    pages, _, _ = pdfs[name, size]
    for page in pages:
        assert page.min_font >= 7.5, f"page {page.number}: {page.min_font:.2f} pt"
    summary_only = next(i for i, p in enumerate(pages) if re.search(r"^Appendix:", p.text, re.M))
    for page in pages[:summary_only]:
        # The summary's smallest text is its chart labels and footnotes.
        assert page.min_font >= 8.0 - 0.05, f"summary page {page.number}: {page.min_font:.2f} pt"


@pytest.mark.parametrize(("name", "size"), CASES)
def test_no_page_but_the_last_is_nearly_blank(pdfs, name, size):
    pages, _, _ = pdfs[name, size]
    for page in pages[:-1]:
        assert page.filled >= 0.30, f"page {page.number} is only {page.filled:.0%} filled"


@pytest.mark.parametrize(("name", "size"), CASES)
def test_no_column_header_wraps(pdfs, name, size):
    pages, html, _ = pdfs[name, size]
    lines = [line for p in pages for line in p.text.splitlines()]
    headers = {unescape(h).strip() for h in re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', html)}
    assert len(headers) >= 10
    for header in headers:
        assert any(header in line for line in lines), f"the header “{header}” is split over lines"


@pytest.mark.parametrize("size", SIZES)
def test_the_summary_holds_every_part_the_doctor_needs(pdfs, size):
    pages, _, _ = pdfs["demo", size]
    summary = "\n".join(p.text for p in pages[: _summary_pages(pages)])
    for heading in (
        "Treatments, doses and adherence",
        "Side effects",
        "Symptom trends",
        "WPI, SSS and PSD",
        "Personal treatment trials",
    ):
        assert re.search(r"^" + re.escape(heading), summary, re.M), heading
    # One chart per symptom, each captioned with its direction.
    assert len(re.findall(r"\((lower|higher) is better\)", summary)) >= 6
    # The trial's methods are in the appendix, and the summary says so.
    assert "methods (CENT) are in the appendix" in summary
    text = "\n".join(p.text for p in pages)
    assert text.index("Personal treatment trials") < text.index("Appendix: daily values")
    assert text.index("Appendix: daily values") < text.index("Appendix: trial methods (CENT)")
    assert not re.search(r"[-+]\d+\.\d \((better|worse)\)", summary), "changes are words, not signed numbers"
