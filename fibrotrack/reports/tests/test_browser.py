"""Playwright journeys: the dashboard and the doctor's PDF, a share link, and a clinician's access."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.browser import log_in, serious_accessibility_violations
from fibrotrack.reports.models import AccessLogEntry, ClinicianGrant
from fibrotrack.reports.tests.seed import seed_diary

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_violations(page):
    assert serious_accessibility_violations(page) == []


def test_open_the_dashboard_switch_period_and_download_the_pdf(logged_in_page, live_server, owner):
    today = diary_day(owner)
    seed_diary(owner, today - dt.timedelta(days=200), today)
    page = logged_in_page
    page.goto(f"{live_server.url}/diary/")
    page.get_by_role("link", name="My progress").click()
    expect(page.get_by_role("heading", name="My progress", level=1)).to_be_visible()
    _no_violations(page)
    page.get_by_role("link", name="All the details").click()
    expect(page.get_by_text("Weekly summary")).to_be_visible()
    _no_violations(page)

    page.get_by_text("1 year", exact=True).click()
    page.get_by_role("button", name="Show", exact=True).first.click()
    start = today - dt.timedelta(days=364)
    expect(page.locator("p.lead")).to_contain_text(f"{start:%-d %b %Y} to {today:%-d %b %Y}")
    expect(page.get_by_role("heading", name="Monthly summary")).to_be_visible()
    expect(page.get_by_text("1 year", exact=True)).to_be_visible()
    _no_violations(page)

    page.get_by_role("link", name="Make a report for my doctor").click()
    expect(page.get_by_role("heading", name="A report for your doctor")).to_be_visible()
    _no_violations(page)
    page.get_by_text("4 weeks", exact=True).click()
    page.get_by_label("Name on the report").fill("Alex Example")
    page.get_by_role("button", name="Show the report").click()
    expect(page.get_by_role("heading", name="Health summary: Alex Example")).to_be_visible()
    expect(page.get_by_role("heading", name="Treatments, doses and adherence")).to_be_visible()
    _no_violations(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download PDF").click()
    download = info.value
    assert re.fullmatch(r"fibrotrack-report-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.pdf", download.suggested_filename)
    with open(download.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"


def test_share_a_link_open_it_elsewhere_then_revoke_it(logged_in_page, live_server, owner, _playwright_browser):
    today = diary_day(owner)
    seed_diary(owner, today - dt.timedelta(days=100), today)
    page = logged_in_page
    page.goto(f"{live_server.url}/me/settings/")
    page.get_by_role("link", name="Sharing").click()
    expect(page.get_by_role("heading", name="Sharing", level=1)).to_be_visible()
    page.get_by_role("link", name="Create a share link").click()
    page.get_by_label("Who is it for?").fill("Dr Patel")
    page.get_by_text("4 weeks", exact=True).click()
    page.get_by_text("7 days", exact=True).click()
    _no_violations(page)
    page.get_by_role("button", name="Create the link").click()
    expect(page.get_by_role("heading", name="Your new link")).to_be_visible()
    url = page.get_by_label("Your link to copy").input_value()
    assert "/reports/s/" in url
    _no_violations(page)

    doctor = _playwright_browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        shared = doctor.new_page()
        response = shared.goto(url)
        assert response.status == 200
        assert response.headers["referrer-policy"] == "no-referrer"
        expect(shared.get_by_text("A read-only view of")).to_be_visible()
        expect(shared.get_by_role("heading", name="Symptoms over time")).to_be_visible()
        _no_violations(shared)

        page.reload()
        expect(page.get_by_text("Share link “Dr Patel” opened Dashboard")).to_be_visible()
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Revoke the link “Dr Patel”").click()
        expect(page.get_by_text("no longer works")).to_be_visible()

        assert shared.goto(url).status == 404
    finally:
        doctor.close()


def test_invite_a_clinician_who_accepts_and_views_the_patient(
    logged_in_page, live_server, owner, clinician, _playwright_browser, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from django.core import mail

    today = diary_day(owner)
    seed_diary(owner, today - dt.timedelta(days=60), today)
    page = logged_in_page
    page.goto(f"{live_server.url}/reports/sharing/")
    page.get_by_role("link", name="Invite a clinician").click()
    page.get_by_label("Your clinician's e-mail address").fill("clinician@example.org")
    page.get_by_label("Your name, as your clinician knows you").fill("Sam Patient")
    _no_violations(page)
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("We sent an invitation to clinician@example.org")).to_be_visible()
    path = re.search(r"https?://[^/]+(/reports/invitations/\S+/)", mail.outbox[-1].body).group(1)

    doctor = _playwright_browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        log_in(doctor, live_server.url, clinician)
        clinic = doctor.new_page()
        clinic.goto(f"{live_server.url}{path}")
        expect(clinic.get_by_role("heading", name="Sam Patient invites you to see their diary")).to_be_visible()
        _no_violations(clinic)
        clinic.get_by_role("button", name="Accept").click()
        expect(clinic.get_by_role("heading", name="Progress: Sam Patient")).to_be_visible()
        expect(clinic.get_by_text("read only, because they invited you")).to_be_visible()
        _no_violations(clinic)
        clinic.get_by_role("link", name="All your patients").click()
        expect(clinic.get_by_role("heading", name="Sam Patient")).to_be_visible()
        assert AccessLogEntry.objects.filter(patient=owner, via="clinician").exists()

        page.reload()
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="End access for clinician@example.org").click()
        expect(page.get_by_text("can no longer see your diary")).to_be_visible()
        grant = ClinicianGrant.objects.get(patient=owner)
        assert clinic.goto(f"{live_server.url}/reports/patients/{grant.pk}/").status == 404
    finally:
        doctor.close()
