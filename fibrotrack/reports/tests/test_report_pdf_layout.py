"""The demo's PDF reads well: a one-line header, no mostly blank page, and the web page's wording."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.demo import build_demo
from fibrotrack.lib.reference import load_all
from fibrotrack.reports.pdf import render_report_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_pdf(django_db_setup, django_db_blocker):
    """The demo account's default report (the last 91 days), as the new user printed it."""
    with django_db_blocker.unblock():
        load_all()
        user, _ = build_demo("pdf-demo@example.org", "a-long-demo-password", seed=2009)
        user.time_zone = "Europe/Berlin"
        user.save(update_fields=["time_zone"])
        today = diary_day(user)
        pdf = render_report_pdf(user, today - dt.timedelta(days=90), today, name="Jane Demo")
        yield [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
        user.delete()


def test_the_header_keeps_each_fact_on_one_line(demo_pdf):
    lines = demo_pdf[0].splitlines()
    assert any(re.search(r"\bName Jane Demo\b", line) for line in lines), lines[:6]
    assert any(re.search(r"Days with a diary entry \d+ of 91\b", line) for line in lines), lines[:6]
    assert not any(line.strip() in {"Demo", "91", "FibroTrack"} for line in lines[:8])


def test_no_page_but_the_last_is_mostly_blank(demo_pdf):
    # A forced break before the appendix left a page with a trial's last few lines only.
    assert 3 <= len(demo_pdf) <= 5
    for number, text in enumerate(demo_pdf[:-1], start=1):
        assert len(text.splitlines()) >= 25, f"page {number} holds only {len(text.splitlines())} lines"


def test_the_pdf_says_less_than_1_percent_like_the_web_page(demo_pdf):
    text = "\n".join(demo_pdf)
    assert "about 0%" not in text
    assert re.search(r"Chance of at least \d+%\s*less than 1%", text)
