"""Issue 21: every word of "My progress", the doctor's report (page and PDF) and sharing is marked for
translation (pseudo-locale ⟦…⟧), and the PDF is written in the reader's language.

Words a person or an app typed (names, notes, e-mail addresses) and the international names of
treatments are the person's data, passed as ``ignore``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.i18n import PSEUDO, pseudo_locale, untranslated_text
from fibrotrack.reports import actions, report
from fibrotrack.reports.dashboard import timeline_extras
from fibrotrack.reports.models import ClinicianGrant
from fibrotrack.reports.pdf import render_report_html_document, render_report_pdf
from fibrotrack.treatments import safety
from fibrotrack.treatments.models import Regimen, SideEffect

pytestmark = pytest.mark.django_db


IN_PSEUDO = {"HTTP_ACCEPT_LANGUAGE": PSEUDO}
# Treatment names are international (the catalogue's), doses are numbers and units.
TREATMENT_WORDS = ["Duloxetine", "mg", "duloxetine"]
ALL_SECTIONS = "&".join(
    f"include={k}"
    for k in ("serious_side_effects", "symptoms", "treatments", "side_effects", "acr", "associations", "daily")
)


@pytest.fixture
def pseudo():
    with pseudo_locale():
        yield


def _page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=PSEUDO)
    assert response.status_code == status
    return str(response.content.decode())


def _ignore(owner: Any, *more: str) -> list[str]:
    """The person's data, and the words other parts of FibroTrack own and translate where they are defined:
    the treatments' chart bands and side-effect severities, the serious-side-effect title (a safety text,
    treatments/safety.py), and the weather's bands."""
    today = diary_day(owner)
    bands, markers = timeline_extras(owner, today - dt.timedelta(days=800), today)
    theirs = [b.label for b in bands] + [m.label for m in markers]
    severities = [str(label) for _key, label in SideEffect.Severity.choices]
    schedules = [r.schedule_text for r in Regimen.objects.filter(user=owner)]
    return [
        str(text) for text in (  # some labels are lazy translations
            owner.display_name, owner.email, *TREATMENT_WORDS, safety.SERIOUS_SIDE_EFFECT_TITLE, *theirs,
            *severities, *(s.lower() for s in severities), *schedules, *more,
        )
    ]  # fmt: skip


def _abbreviated(*labels: str) -> list[str]:
    """The PDF's daily columns shorten long headings ("Fatig."): in the pseudo-locale, "⟦Fatig."."""
    return [report._abbreviate(f"⟦{label}⟧", width) for label in labels for width in (6, 7, 15)]


def test_my_progress_at_a_glance_has_no_untranslated_word(owner, owner_client, year_of_data, pseudo):
    page = _page(owner_client, reverse("reports:dashboard"))
    assert "⟦My progress⟧" in page and "⟦Pain⟧" in page  # the symptom name is translated too
    assert untranslated_text(page, ignore=_ignore(owner)) == []


def test_the_details_dashboard_has_no_untranslated_word(owner, owner_client, year_of_data, pseudo):
    for query in ("", "?period=365&by=month", "?period=28&by=week&symptom=fatigue"):
        page = _page(owner_client, reverse("reports:details") + query)
        assert "⟦Symptoms over time⟧" in page and "⟦Fatigue⟧" in page
        assert untranslated_text(page, ignore=_ignore(owner)) == [], query


def test_the_doctors_report_page_has_no_untranslated_word(owner, owner_client, year_of_data, today, pseudo):
    assert untranslated_text(_page(owner_client, reverse("reports:report")), ignore=_ignore(owner)) == []
    start = (today - dt.timedelta(days=180)).isoformat()
    url = f"{reverse('reports:report_view')}?period=custom&start={start}&end={today.isoformat()}&{ALL_SECTIONS}"
    page = _page(owner_client, url)
    assert "⟦Symptom trends⟧" in page and "⟦Appendix: daily values⟧" in page
    assert untranslated_text(page, ignore=_ignore(owner, "Nausea")) == []


def test_the_pdfs_html_has_no_untranslated_word(owner, year_of_data, today, pseudo):
    html = render_report_html_document(
        owner, today - dt.timedelta(days=120), today, include=None, page_size="a4", language=PSEUDO
    )
    assert f'<html lang="{PSEUDO}">' in html and "⟦Health summary: ⟧" not in html
    labels = ["Date", "Pain", "Fatigue", "Sleep quality", "Fibro fog", "Mood", "Stiffness", "Sleep"]
    assert untranslated_text(html, ignore=_ignore(owner, "Nausea", *_abbreviated(*labels))) == []


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def _outside_brackets(text: str) -> str:
    flat = " ".join(text.split())
    previous = None
    while previous != flat:  # innermost first: "⟦Saved ⟦today⟧.⟧" nests
        previous, flat = flat, re.sub(r"⟦[^⟦⟧]*⟧", " ", flat)
    return flat


def test_the_pdfs_text_has_no_untranslated_word(owner, year_of_data, today, pseudo):
    start = today - dt.timedelta(days=60)
    with translation.override(PSEUDO):
        pdf = render_report_pdf(owner, start, today, include={"symptoms", "daily", "acr"}, language=PSEUDO)
    text = _pdf_text(pdf)
    assert "⟦" in text  # the pseudo-locale reached the PDF
    left = _outside_brackets(text)
    labels = ["Date", "Pain", "Fatigue", "Sleep quality", "Fibro fog", "Mood", "Stiffness", "Sleep"]
    for data in sorted([*_ignore(owner), *_abbreviated(*labels), "FibroTrack"], key=len, reverse=True):
        left = left.replace(data, " ")
    # Month and weekday names come from Django's own catalogue; what is left must be numbers and signs.
    words = set(re.findall(r"[^\W\d_]{2,}", left)) - {
        *(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]),
        *(
            [
                "January",
                "February",
                "March",
                "April",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ]
        ),
        *(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]),
        *(["WPI", "SSS", "PSD"]),  # the ACR scores' abbreviations, printed on the chart axis as well
    }
    assert words == set()


@pytest.mark.parametrize(
    ("language", "expected", "english"),
    [
        ("de", ["Gesundheitsübersicht", "Schmerz", "Anhang: Tageswerte"], ["Health summary", "Daily values"]),
        ("es", ["Resumen de salud", "Dolor", "Apéndice: valores diarios"], ["Health summary", "Daily values"]),
    ],
)
def test_the_pdf_is_written_in_the_persons_language_outside_a_request(
    owner, year_of_data, today, language, expected, english
):
    """The ZIP export and the command render the PDF outside a request: the person's setting decides."""
    owner.language = language
    owner.save()
    text = _pdf_text(render_report_pdf(owner, today - dt.timedelta(days=30), today, include={"symptoms", "daily"}))
    flat = " ".join(text.split())
    assert all(word in flat for word in expected), flat[:400]
    assert not any(word in flat for word in english)
    assert translation.get_language() != language  # the language was only on while rendering


def test_the_pdf_download_is_in_the_readers_language(owner, owner_client, year_of_data, today):
    url = f"{reverse('reports:report_pdf')}?period=28&include=symptoms"
    pdf = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="de").content
    assert "Gesundheitsübersicht" in " ".join(_pdf_text(pdf).split())


def test_sharing_pages_have_no_untranslated_word(owner, owner_client, clinician, year_of_data, today, pseudo):
    link, token = actions.do_create_share_link(
        owner, start=today - dt.timedelta(days=27), end=today, include=["symptoms", "acr"], expires_in_days=30,
        label="Dr Patel",
    )  # fmt: skip
    revoked, _ = actions.do_create_share_link(
        owner, start=today - dt.timedelta(days=27), end=today, include=["symptoms"], expires_in_days=7
    )
    actions.do_revoke_share_link(revoked)
    grant = actions.do_invite_clinician(owner, clinician.email, "Sam")
    pending = actions.do_invite_clinician(owner, "other@example.org", "Sam")
    actions.do_accept_invite(ClinicianGrant.objects.get(pk=grant.pk), clinician)
    actions.do_log_access(owner, what="Dashboard, 1 Mar 2026 to 28 Mar 2026", share_link=link)
    grant.refresh_from_db()
    actions.do_log_access(owner, what="Doctor's report (PDF), 1 Mar 2026 to 28 Mar 2026", grant=grant)
    ignore = _ignore(owner, "Dr Patel", "Sam", clinician.email, pending.email)
    for url in (
        reverse("reports:sharing"),
        reverse("reports:access_log"),
        reverse("reports:link_new"),
        reverse("reports:invite"),
    ):
        page = _page(owner_client, url)
        assert untranslated_text(page, ignore=ignore) == [], url
    # The log was written in English and is read in the reader's language.
    log = _page(owner_client, reverse("reports:access_log"))
    assert "⟦Share link “{label}”⟧" not in log and "⟦Dashboard⟧" in log
    # The clinician's side and the share link's pages.
    clinician_client = Client()
    clinician_client.force_login(clinician)
    for url in (
        reverse("reports:patients"),
        reverse("reports:patient_dashboard", args=[grant.pk]),
        reverse("reports:patient_report", args=[grant.pk]),
    ):
        page = _page(clinician_client, url)
        assert untranslated_text(page, ignore=[*ignore, clinician.email]) == [], url
    page = _page(Client(), reverse("reports:shared", args=[token]))
    assert untranslated_text(page, ignore=ignore) == []


def test_the_sharing_messages_and_invitation_e_mail_are_translated(owner, owner_client, pseudo):
    response = owner_client.post(
        reverse("reports:invite"), {"email": "doc@example.org", "patient_name": "Sam"}, follow=True, **IN_PSEUDO
    )
    said = [str(m) for m in response.context["messages"]]
    assert said and all(s.startswith("⟦") for s in said)
    (message,) = mail.outbox
    assert message.subject.startswith("⟦") or "⟦" in message.subject
    body = _outside_brackets(message.body)
    for data in ("Sam", "doc@example.org", "FibroTrack"):
        body = body.replace(data, " ")
    body = re.sub(r"https?://\S+", " ", body)
    assert re.findall(r"[^\W\d_]{2,}", body) == []


def test_the_invitation_e_mail_goes_out_in_the_inviting_persons_language(owner, owner_client):
    owner_client.post(
        reverse("reports:invite"), {"email": "doc@example.org", "patient_name": "Sam"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    (message,) = mail.outbox
    assert "Una invitación" in message.subject and "Para aceptar" in message.body


def test_the_access_log_keeps_english_and_reads_in_german(owner, owner_client, today):
    link, _ = actions.do_create_share_link(
        owner, start=today - dt.timedelta(days=6), end=today, include=["symptoms"], expires_in_days=7, label=""
    )
    entry = actions.do_log_access(owner, what="Doctor's report (web page), 1 Mar 2026 to 28 Mar 2026", share_link=link)
    entry.refresh_from_db()
    assert entry.who == "Share link “untitled”" and entry.what.startswith("Doctor's report (web page)")
    page = owner_client.get(reverse("reports:access_log"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Geteilter Link „ohne Titel“" in page
    assert "Arztbericht (Webseite), 1 Mär 2026 bis 28 Mär 2026" in page


def test_the_dashboard_reads_in_spanish_and_german(owner, owner_client, year_of_data):
    page = owner_client.get(reverse("reports:details"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Síntomas a lo largo del tiempo" in page and "Fatiga" in page and "Mejores y peores semanas" in page
    page = owner_client.get(reverse("reports:details"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Symptome im Zeitverlauf" in page and "Erschöpfung" in page and "Beste und schlechteste Wochen" in page
    # German nouns keep their capital inside a sentence; Spanish lower-cases the symptom.
    assert "Beste und schlechteste Wochen für Schmerz" in page
