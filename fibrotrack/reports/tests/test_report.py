"""The doctor's report: printable HTML and a PDF made with WeasyPrint."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from fibrotrack.lib.testing.factories import make_checkin
from fibrotrack.reports import dashboard, report_sections
from fibrotrack.reports.pdf import render_report_pdf
from fibrotrack.reports.report import build_report, previous_period

A4 = (595, 842)
LETTER = (612, 792)


def _text(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def _size(reader: PdfReader) -> tuple[int, int]:
    box = reader.pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_the_pdf_holds_the_period_a_treatment_and_a_summary_figure(owner, today, year_of_data):
    start = today - dt.timedelta(days=364)
    pdf = render_report_pdf(owner, start, today, name="Alex Example")
    reader, text = _text(pdf)
    assert pdf.startswith(b"%PDF")
    assert f"{start:%-d %b %Y} to {today:%-d %b %Y}" in text
    assert "Duloxetine" in text and "60 mg" in text
    pain = owner.symptoms.get(key="pain")
    values = dashboard.load_diary(owner, start, today).values[pain.pk]
    mean = dashboard.summarise(pain, values, start, today).mean
    assert f"{mean:.1f}" in text  # the pain mean in the summary table
    assert "Appendix: daily values" in text
    # Metadata.
    meta = reader.metadata
    assert meta is not None
    assert meta.title == f"Health summary for Alex Example, {start:%-d %b %Y} to {today:%-d %b %Y}"
    assert meta.author == "Alex Example"
    assert meta.creation_date is not None
    assert _size(reader) == A4
    assert len(reader.pages) >= 2


def test_the_pdf_prints_on_us_letter(owner, today, year_of_data):
    pdf = render_report_pdf(owner, today - dt.timedelta(days=27), today, include={"symptoms"}, page_size="letter")
    reader, _ = _text(pdf)
    assert _size(reader) == LETTER


def test_the_summary_comes_before_the_appendix(owner_client, today, year_of_data):
    html = owner_client.get(reverse("reports:report_view"), {"period": "91"}).content.decode()
    # Symptoms first (what the doctor reads first), then the treatments, then the appendix.
    order = [html.index(h) for h in ("Symptom trends", "Treatments, doses and adherence", "Appendix: daily values")]
    assert order == sorted(order)
    assert "WPI" in html and "of 19" in html
    assert "adherence" in html.lower() and "doses taken" in html


def test_only_the_chosen_parts_are_included(owner_client, year_of_data):
    html = owner_client.get(reverse("reports:report_view"), {"period": "91", "include": ["symptoms"]}).content.decode()
    assert "Symptom trends" in html
    assert "Treatments, doses and adherence" not in html
    assert "Appendix: daily values" not in html


def test_the_change_from_the_previous_period_is_shown(owner, today):
    start = today - dt.timedelta(days=27)
    prev_start, prev_end = previous_period(start, today)
    assert (prev_end - prev_start) == (today - start) and prev_end == start - dt.timedelta(days=1)
    make_checkin(owner, prev_end, pain=8)
    make_checkin(owner, today, pain=5)
    ctx = build_report(owner, start, today, include={"symptoms"})
    html = ctx["summary_sections"][0].html
    assert "3.0 points better" in html and "-3.0" not in html


def test_the_pdf_downloads_as_an_attachment(owner_client, year_of_data):
    response = owner_client.get(reverse("reports:report_pdf"), {"period": "28", "page_size": "letter"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="fibrotrack-report-')
    assert "no-store" in response["Cache-Control"]
    reader, _ = _text(response.content)
    assert _size(reader) == LETTER


def test_invalid_options_are_explained(owner_client, today):
    response = owner_client.get(
        reverse("reports:report_view"), {"period": "custom", "start": today, "end": today - dt.timedelta(days=1)}
    )
    assert response.status_code == 400
    assert "The last day must be on or after the first day." in response.content.decode()


def test_the_options_page_offers_every_registered_section(owner_client):
    html = owner_client.get(reverse("reports:report")).content.decode()
    for section in report_sections.all_sections():
        assert str(section.label) in html


@pytest.fixture
def extra_section():
    section = report_sections.ReportSection(
        "example", "Example from another app", "reports/sections/_generic.html",
        lambda user, start, end: {"rows": [("Answer", f"42 for {user.public_name}")]}, order=55,
    )  # fmt: skip
    report_sections.register(section)
    yield section
    report_sections.unregister(section.key)


def test_other_apps_can_add_a_section(owner, today, extra_section):
    make_checkin(owner, today, pain=4)
    ctx = build_report(owner, today - dt.timedelta(days=6), today)
    labels = [s.section.label for s in ctx["summary_sections"]]
    assert "Example from another app" in labels
    assert "42 for Owner" in str(next(s.html for s in ctx["summary_sections"] if s.section.key == "example"))
    _, text = _text(render_report_pdf(owner, today - dt.timedelta(days=6), today, include={"example"}))
    assert "42 for Owner" in text


def test_a_section_with_nothing_to_show_is_left_out(owner, today):
    ctx = build_report(owner, today - dt.timedelta(days=6), today)
    assert [s.section.key for s in ctx["summary_sections"]] == ["symptoms"]
    assert ctx["appendix_sections"] == []


def test_the_report_never_shows_another_persons_data(owner, stranger_client, today):
    make_checkin(owner, today, pain=9, note="private")
    response = stranger_client.get(reverse("reports:report_view"), {"period": "28"})
    assert "0 of 28" in response.content.decode()


# --- Length, the ACR appendix and trial results -------------------------------------------------


@pytest.mark.parametrize("page_size", ["a4", "letter"])
def test_a_years_summary_fits_on_two_pages_before_the_appendix(owner, today, year_of_data, page_size):
    pdf = render_report_pdf(owner, today - dt.timedelta(days=364), today, page_size=page_size)
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() for page in reader.pages]
    appendix = next(i for i, text in enumerate(pages) if "Appendix: daily values" in text)
    # The appendix follows straight on (a forced page break left pages mostly blank), so the
    # summary's pages are those before the appendix's, and its page too if the summary ends there.
    summary_pages = appendix + bool(pages[appendix].split("Appendix: daily values")[0].strip())
    assert 1 <= summary_pages <= 2, f"the summary takes {summary_pages} pages"
    text = "\n".join(pages)
    assert text.index("WPI, SSS and PSD") < text.index("Appendix: daily values")
    assert text.index("Appendix: all ACR 2016 questionnaires") > text.index("Appendix: daily values")


def test_the_summary_lists_the_latest_questionnaires_and_the_appendix_all_of_them(owner, today, year_of_data):
    from fibrotrack.reports.report import ACR_SUMMARY_ROWS

    start = today - dt.timedelta(days=364)
    rows = dashboard.acr_rows(owner, start, today)
    assert len(rows) > ACR_SUMMARY_ROWS
    ctx = build_report(owner, start, today)
    acr = str(next(s.html for s in ctx["summary_sections"] if s.section.key == "acr"))
    history = str(next(s.html for s in ctx["appendix_sections"] if s.section.key == "acr_history"))
    oldest, newest = f"{rows[0].day:%-d %b %Y}", f"{rows[-1].day:%-d %b %Y}"
    assert newest in acr and oldest not in acr.split("<table")[1]
    assert f"The latest {ACR_SUMMARY_ROWS} of {len(rows)} questionnaires" in acr and "the appendix lists them" in acr
    assert oldest in history and newest in history
    # Without the appendix the summary does not point at it.
    only = build_report(owner, start, today, include={"acr"})
    assert "the appendix lists them" not in str(only["summary_sections"][0].html)
    assert only["appendix_sections"] == []


def test_trial_results_join_the_report_when_there_are_any(owner, clinician, today):
    from fibrotrack.trials import actions as trial_actions
    from fibrotrack.trials.tests.helpers import ldn_regimen, new_trial, seed_diary, started, with_custodian

    start = today - dt.timedelta(days=100)
    seed_diary(owner, start, today, lambda d: 5)
    _, text = _text(render_report_pdf(owner, start, today))
    assert "Personal treatment trials" not in text
    trial = started(with_custodian(new_trial(owner, regimen=ldn_regimen(owner, start)), clinician), start)
    trial_actions.do_unblind(trial, owner, "participant", emergency=False, reason="", today=today)
    reader, text = _text(render_report_pdf(owner, start, today))
    assert "Personal treatment trials" in text and trial.title in text
    assert "Key numbers" in text
    # Between the symptom trends and the appendix, as part of the summary.
    assert text.index("Symptom trends") < text.index("Personal treatment trials") < text.index("Appendix")
