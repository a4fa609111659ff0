"""The demo's PDF reads well: a one-line header, no mostly blank page, and the web page's wording."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.db import transaction
from pypdf import PdfReader

from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.demo import build_demo
from fibrotrack.lib.reference import load_all
from fibrotrack.reports.pdf import render_report_pdf
from fibrotrack.trials.report import build_report_context

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_pdf(django_db_setup, django_db_blocker):
    """The demo account's default report (the last 91 days), as the new user printed it."""
    # Built once for the module inside a transaction that is rolled back at the
    # end: the demo also writes community posts and other people, which a plain
    # user.delete() would leave behind for the next test on this worker.
    with django_db_blocker.unblock(), transaction.atomic():
        load_all()
        user, _ = build_demo("pdf-demo@example.org", "a-long-demo-password", seed=2009)
        user.time_zone = "Europe/Berlin"
        user.save(update_fields=["time_zone"])
        today = diary_day(user)
        start = today - dt.timedelta(days=90)
        pdf = render_report_pdf(user, start, today, name="Jane Demo")
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
        # What the web page's trial section says, from the same context.
        phrases = [t["key_numbers"]["probability"] for t in build_report_context(user, start, today)["trials"]]
        transaction.set_rollback(True)
    yield pages, phrases


def test_the_header_keeps_each_fact_on_one_line(demo_pdf):
    pages, _ = demo_pdf
    lines = pages[0].splitlines()
    assert any(re.search(r"\bName Jane Demo\b", line) for line in lines), lines[:6]
    assert any(re.search(r"Days with a diary entry \d+ of 91\b", line) for line in lines), lines[:6]
    assert not any(line.strip() in {"Demo", "91", "FibroTrack"} for line in lines[:8])


def test_no_page_but_the_last_is_mostly_blank(demo_pdf):
    demo_pdf, _ = demo_pdf
    # A forced break before the appendix left a page with a trial's last few lines only.
    assert 3 <= len(demo_pdf) <= 5
    for number, text in enumerate(demo_pdf[:-1], start=1):
        assert len(text.splitlines()) >= 25, f"page {number} holds only {len(text.splitlines())} lines"


def test_the_pdf_words_the_chance_as_the_web_page_does(demo_pdf):
    pages, phrases = demo_pdf
    text = "\n".join(pages)
    assert "about 0%" not in text
    assert phrases and all(phrases), "the demo has a finished trial with a result"
    for phrase in phrases:
        assert re.search(r"Chance of at least \d+%:?\s*" + re.escape(phrase), text), phrase


def test_a_tiny_chance_reads_less_than_1_percent():
    # The shared wording (fibrostats.probability_phrase) that both the PDF and the web page use.
    from fibrostats import probability_phrase

    assert probability_phrase(0.001) == "less than 1%"
    assert probability_phrase(0.004) != "about 0%"
