"""Editing a day and reading what changed, on a phone: the history uses the check-in's words."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_change_history_reads_like_the_checkin(logged_in_page, live_server, owner, tmp_path):
    page = logged_in_page
    page.goto(live_server.url + reverse("diary:today"))
    page.get_by_label("Hours slept").fill("6.5")
    page.get_by_text("Where does it hurt?").first.click()
    regions = page.get_by_role("group", name="Where does it hurt?")
    regions.get_by_role("checkbox", name="Neck").check()
    page.get_by_role("button", name=re.compile("^Save")).click()
    page.get_by_text("Well done for checking in").wait_for()

    page.get_by_label("Hours slept").fill("7")
    page.locator(".bodymap-figure .front [data-region=shoulder_r]").click()  # tap the figure
    regions.get_by_role("checkbox", name="Lower back").check()
    page.get_by_role("button", name=re.compile("^Save")).click()
    page.get_by_text("Well done for checking in").wait_for()

    page.get_by_role("link", name="See what changed").click()
    latest = page.get_by_role("table").first
    expect(latest.get_by_role("row", name="Hours slept 6.5 7")).to_be_visible()
    expect(latest.get_by_role("row", name="Where it hurt Neck Lower back, Neck, Right shoulder")).to_be_visible()
    text = page.locator("main").inner_text()
    for internal in ("Hours_slept", "Pain_regions", "hours_slept", "lower_back", "shoulder_r"):
        assert internal not in text
    page.locator("main").screenshot(path=tmp_path / "revisions-390.png")
