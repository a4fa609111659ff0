"""At a glance on a phone (390×844): "My progress" in two screens, a finished trial's result in three."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from fibrotrack.lib.demo import build_demo
from fibrotrack.lib.testing.browser import log_in, serious_accessibility_violations
from fibrotrack.trials.models import Trial

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREEN = 844
SHOTS = os.environ.get("FIBROTRACK_SCREENSHOTS")  # a folder, to look at the pages while working on them


def _height(page):
    return int(page.evaluate("document.documentElement.scrollHeight"))


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def demo_page(browser_context, live_server):
    user, _ = build_demo("glance-demo@example.org", "a-long-demo-password", seed=2009)
    log_in(browser_context, live_server.url, user)
    return user, browser_context.new_page()


def test_my_progress_fits_two_phone_screens_for_the_demo_account(demo_page, live_server):
    user, page = demo_page
    page.goto(live_server.url + reverse("reports:dashboard"))
    expect(page.get_by_role("heading", name="My progress", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="This week against your usual")).to_be_visible()
    expect(page.get_by_role("heading", name="What is running")).to_be_visible()
    expect(page.get_by_role("heading", name="What seems linked")).to_be_visible()
    expect(page.get_by_role("heading", name="Next")).to_have_count(1)
    _shot(page, "progress-390")
    height = _height(page)
    assert height <= 2 * SCREEN, f"My progress is {height} px tall, more than two screens of {SCREEN}"
    assert serious_accessibility_violations(page) == []
    # Everything else is one tap away.
    page.get_by_role("link", name="All the details").click()
    expect(page.get_by_role("heading", name="Symptoms over time")).to_be_visible()


def test_a_finished_trials_result_fits_three_phone_screens(demo_page, live_server):
    user, page = demo_page
    trial = Trial.objects.get(user=user, status__in=[Trial.Status.FINISHED, Trial.Status.STOPPED])
    page.goto(live_server.url + reverse("trials:result", args=[trial.pk]))
    expect(page.get_by_role("heading", name="In short")).to_be_visible()
    assert page.locator("details[open]").count() == 0
    _shot(page, "result-390")
    height = _height(page)
    assert height <= 3 * SCREEN, f"the result is {height} px tall, more than three screens of {SCREEN}"
    assert serious_accessibility_violations(page) == []
    # The details and the CENT methods are one tap away.
    page.get_by_text("Details and methods (CENT)", exact=False).first.click()
    expect(page.get_by_role("heading", name="Methods (for your clinician)")).to_be_visible()
