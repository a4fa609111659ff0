"""A worse result, read on a phone: the words carry the direction, no signed percentages."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from fibrotrack.lib.dates import diary_day
from fibrotrack.trials.tests.test_result_wording import SIGNED, _worse_on_ldn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worse_result_reads_worse_on_a_phone(logged_in_page, live_server, owner, clinician, tmp_path):
    trial = _worse_on_ldn(owner, clinician, diary_day(owner))
    page = logged_in_page
    page.goto(live_server.url + reverse("trials:result", args=[trial.pk]))
    verdict = page.get_by_role("region", name="In short")
    expect(verdict).to_contain_text(
        re.compile(
            r"Pain was \d+% worse on LDN 4\.5 mg than on Placebo \([\d.]+ points worse; likely [\d.]+ to [\d.]+ points worse\)"
        )
    )
    page.locator("details.tr-details > summary").click()
    expect(
        page.get_by_text(
            re.compile(r"points higher on LDN 4\.5 mg than on Placebo \(95% CI [\d.]+ to [\d.]+\), \d+% worse")
        ).first
    ).to_be_visible()
    table = page.get_by_role("table", name=re.compile("Pain: comparisons"))
    expect(table.get_by_role("columnheader", name="Change in percent")).to_be_visible()
    expect(table).to_contain_text(re.compile(r"\d+\.\d% worse"))
    expect(page.get_by_text(re.compile(r"^\s*no, \d+\.\d% worse\.", re.M))).to_have_count(1)
    text = page.locator("main").inner_text()
    assert not SIGNED.search(text), SIGNED.search(text)
    page.get_by_role("region", name="In short").screenshot(path=tmp_path / "result-verdict-390.png")
    # The table scrolls sideways on a phone; show its last columns.
    scroller = page.locator(".table-scroll", has=table)
    scroller.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    scroller.screenshot(path=tmp_path / "result-table-390.png")
