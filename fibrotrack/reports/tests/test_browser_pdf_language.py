"""Issue 21: a person whose browser speaks Spanish or German checks in, then downloads the doctor's PDF;
the PDF is on A4, its dates are written the locale's way, and what is translated so far is in their language."""

import io
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from fibrotrack.lib import l10n
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A4_POINTS = (595.28, 841.89)  # 210 × 297 mm


def _rate(page, symptom, value):
    page.get_by_role("group", name=re.compile(f"^{symptom}")).get_by_role("radio", name=str(value), exact=True).check()


# The PDF's own files: every message of theirs already translated must show translated, never in English.
PDF_SOURCES = (
    "templates/reports/_report_body.html",
    "templates/reports/report_document.html",
    "templates/reports/sections/",
)


def _translated_pdf_messages(language: str) -> list[tuple[str, str]]:
    """(English, translation) of the PDF's messages translated so far: sentences, not single words."""
    with open(Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po", "rb") as po:
        catalogue = read_po(po, locale=language)
    found = []
    for m in catalogue:
        if not isinstance(m.id, str) or not isinstance(m.string, str) or not m.string or m.fuzzy:
            continue  # plurals too: their text depends on a number
        in_pdf = any(loc.startswith(PDF_SOURCES) for loc, _ in m.locations)
        if in_pdf and m.string != m.id and " " in m.id and not re.search(r"[%{<]", m.id):
            found.append((" ".join(m.id.split()), " ".join(m.string.split())))
    return found


@pytest.mark.parametrize(
    ("locale", "time_zone", "pain", "saved", "date"),
    [
        # Spanish dates: "5 dic. 2026".
        (
            "es-ES",
            "Europe/Madrid",
            "Dolor",
            "Bien hecho por registrarlo",
            r"\b\d{1,2} (ene|feb|mar|abr|may|jun|jul|ago|sept?|oct|nov|dic)\. \d{4}\b",
        ),
        # German dates: "5. Dez. 2026".
        (
            "de-DE",
            "Europe/Berlin",
            "Schmerz",
            "Gut gemacht",
            r"\b\d{1,2}\. (Jan|Feb|März|Apr|Mai|Juni|Juli|Aug|Sept|Okt|Nov|Dez)\.? \d{4}\b",
        ),
    ],
)
def test_the_doctors_pdf_is_in_the_persons_language_on_a4(
    _playwright_browser, live_server, owner, locale, time_zone, pain, saved, date
):
    owner.time_zone = time_zone
    owner.save()
    context = _playwright_browser.new_context(
        viewport={"width": 390, "height": 844}, locale=locale, accept_downloads=True
    )
    context.set_default_timeout(20_000)
    try:
        log_in(context, live_server.url, owner)
        page = context.new_page()
        page.goto(live_server.url + reverse("diary:today"))
        _rate(page, pain, 6)
        page.locator("form.checkin button[type=submit]").click()
        page.get_by_text(saved).wait_for()

        page.goto(live_server.url + reverse("reports:report"))
        assert page.locator("html").get_attribute("lang") == locale[:2]
        with page.expect_download() as download:
            page.locator(f"button[formaction='{reverse('reports:report_pdf')}']").click()
        pdf = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    finally:
        context.close()

    width, height = (float(v) for v in pdf.pages[0].mediabox.upper_right)
    assert (round(width, 1), round(height, 1)) == (round(A4_POINTS[0], 1), round(A4_POINTS[1], 1))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    # What reports has translated so far (none of it before issue 21's reports branch is merged).
    for english, translated in _translated_pdf_messages(locale[:2]):
        assert english not in text, f"{english!r} is in the PDF in English, not as {translated!r}"
    assert re.search(date, text), f"no date written the {locale} way in the PDF"
    # The period's last day, today, exactly as the locale writes it, and not the English way (unless the same).
    today = diary_day(owner)
    with translation.override(locale[:2]), l10n.override(l10n.Conventions(region=locale[3:])):
        localized = l10n.format_date(today, "j M Y")
    assert localized in text
    english = f"{today.day} {today:%b %Y}"
    assert english == localized or english not in text
