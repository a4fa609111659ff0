"""Playwright journey for the principal investigator: lock the dataset, run the analysis, read it, get the PDF."""

import pytest
from playwright.sync_api import expect

from fibrotrack.lib.testing.browser import log_in, serious_accessibility_violations
from fibrotrack.studies import roles
from fibrotrack.studies.tests.results_world import finished_world, unblind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_pi_locks_analyses_reads_the_result_and_downloads_the_pdf(browser_context, live_server):
    world = finished_world(every_day=2)
    page = browser_context.new_page()
    log_in(browser_context, live_server.url, world.users[roles.PI])
    results = f"{live_server.url}/studies/{world.study.uuid}/results/"
    page.goto(results)
    expect(page.get_by_text("once the dataset is locked")).to_be_visible()
    page.get_by_role("link", name="Lock the dataset").click()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("I understand that the locked dataset cannot be changed.").check()
    page.get_by_role("button", name="Lock the dataset").click()
    expect(page.get_by_text("The dataset is locked (SHA-256")).to_be_visible()

    page.get_by_role("button", name="Run the masked analysis").click()
    expect(page.get_by_role("heading", name="Masked result (before unblinding)")).to_be_visible()
    expect(page.locator(".sr-answer")).to_contain_text("Condition")

    unblind(world)
    page.goto(results)
    page.get_by_role("button", name="Run the analysis").click()
    answer = page.locator(".sr-answer")
    expect(answer).to_contain_text("lower on LDN 4.5 mg than on Placebo")
    expect(answer).to_contain_text("95% confidence interval")
    expect(page.get_by_role("img", name="Forest plot")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_accessibility_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Results for the paper (PDF)").click()
    assert download.value.suggested_filename == "PROBE-results.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
