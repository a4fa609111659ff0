"""Playwright journeys on a phone: the pharmacist (allocation, labels, dispensing) and the blinded assessor (a visit)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from fibrotrack.lib.testing.browser import log_in, serious_accessibility_violations
from fibrotrack.studies import roles
from fibrotrack.studies.models import AccessLogEntry, Dispensing, LabMeasure, StudyVisit
from fibrotrack.studies.tests.world import build_study_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_violations(page: Any) -> None:
    assert serious_accessibility_violations(page) == []


def test_the_pharmacist_reads_the_allocation_prints_labels_and_logs_a_bottle(
    browser_context: Any, live_server: Any
) -> None:
    world = build_study_world()
    pharmacist = world.users[roles.PHARMACIST]
    base = f"{live_server.url}/studies/{world.study.uuid}"
    log_in(browser_context, live_server.url, pharmacist)
    page = browser_context.new_page()

    page.goto(f"{base}/allocation/")
    expect(page.get_by_role("heading", name="Allocation list")).to_be_visible()
    table = page.get_by_role("table")
    expect(table).to_contain_text("PROBE-001")
    expect(table).to_contain_text("AB: Baseline → LDN 4.5 mg → Placebo")
    _no_violations(page)
    assert AccessLogEntry.objects.filter(study=world.study, action="viewed the allocation list").exists()

    # One kit's labels, from its link in the list.
    kit = world.participants["participant"].allocation.kit
    page.get_by_role("link", name=kit).click()
    expect(page.get_by_role("heading", name="Bottle labels")).to_be_visible()
    labels = page.get_by_role("list", name="Labels").get_by_role("listitem")
    expect(labels).to_have_count(2)
    expect(labels.first).to_contain_text(kit)
    expect(labels.first).to_contain_text("Take one capsule at night.")
    expect(page.get_by_role("button", name="Print")).to_be_visible()  # shown by the page's script
    assert "LDN" not in labels.first.inner_text() and "Placebo" not in labels.nth(1).inner_text()
    _no_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    assert download.value.suggested_filename == "PROBE-bottle-labels.pdf"

    # The second bottle handed out.
    page.goto(f"{base}/dispensing/")
    page.get_by_label("Participant").select_option(label="PROBE-001")
    page.get_by_role("radio", name="Bottle 2").check()
    page.get_by_label("Number of capsules (optional)").fill("30")
    _no_violations(page)
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text(f"Recorded: kit {kit}, bottle 2, for PROBE-001.")).to_be_visible()
    assert Dispensing.objects.filter(kit=kit, bottle=2, capsules=30).exists()


def test_the_assessor_enters_the_measures_of_a_visit(browser_context: Any, live_server: Any) -> None:
    world = build_study_world()
    assessor = world.users[roles.ASSESSOR]
    log_in(browser_context, live_server.url, assessor)
    page = browser_context.new_page()
    page.goto(f"{live_server.url}/studies/{world.study.uuid}/visits/")
    expect(page.get_by_role("heading", name="Visits and lab measures")).to_be_visible()
    # The other participant's first visit passed with no measures: shown as missed.
    missed = page.get_by_role("listitem").filter(has_text="PROBE-002").filter(has_text="Visit 1")
    expect(missed).to_contain_text("Missed: the window passed with no measures")
    _no_violations(page)
    missed.get_by_role("link", name=re.compile("^Enter measures")).click()
    expect(page.get_by_role("heading", name="PROBE-002 · Visit 1")).to_be_visible()
    page.get_by_label("Pressure pain threshold (kPa)").fill("310")
    page.get_by_label("Heat pain threshold (°C)").fill("45.5")
    page.get_by_label("Cold-pressor time (seconds, stopped at the cap)").fill("180")
    _no_violations(page)
    page.get_by_role("button", name="Save the measures").click()
    expect(page.get_by_text("The measures are saved.")).to_be_visible()
    visit = StudyVisit.objects.get(participant=world.participants["other_participant"], number=1)
    saved = {m.kind: m for m in LabMeasure.objects.filter(visit=visit)}
    assert saved["pressure_kpa"].value == 310 and saved["cold_pressor_s"].censored
    page.get_by_role("link", name="All visits").click()
    expect(page.get_by_role("listitem").filter(has_text="PROBE-002").filter(has_text="Visit 1")).to_contain_text(
        "Measured"
    )
    body = page.content()
    assert "LDN" not in body.replace("LDN crossover (probe)", "") and "Placebo" not in body
