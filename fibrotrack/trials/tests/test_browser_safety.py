"""Issue 14, items 4-6 at phone size: the planning helper, a trial on a treatment already taken, the demo.
Screenshots go to $SCREENSHOT_DIR when it is set."""

import datetime as dt
import os
import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from fibrotrack.lib.demo import build_demo
from fibrotrack.lib.testing.browser import log_in, serious_accessibility_violations
from fibrotrack.lib.testing.factories import PASSWORD
from fibrotrack.treatments.tests.helpers import start
from fibrotrack.trials import protocols
from fibrotrack.trials.models import Trial
from fibrotrack.trials.tests.helpers import new_trial, seed_diary, with_custodian

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name):
    if folder := os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=False)


def test_a_crossover_plan_from_two_diary_days_gives_no_figure(logged_in_page, live_server, owner, today):
    cache.clear()
    seed_diary(owner, today - dt.timedelta(days=1), today, lambda d: 6, sd=1.0, rho=0.3, seed=1)
    trial = new_trial(owner, protocols.crossover())
    page = logged_in_page
    page.goto(f"{live_server.url}/trials/{trial.pk}/plan/")
    helper = page.get_by_role("region", name="How informative would this be?")
    expect(helper).to_contain_text("needs at least 21 days of your diary")
    expect(helper).to_contain_text("19 more days")
    expect(helper).not_to_contain_text("of 100 such trials")
    expect(helper.locator(".tr-big")).to_have_count(0)
    expect(helper).to_contain_text("the randomization test cannot confirm it")
    helper.scroll_into_view_if_needed()
    _shot(page, "item4-plan-helper")
    assert serious_accessibility_violations(page) == []


def test_starting_an_ldn_trial_while_on_ldn_is_explained(logged_in_page, live_server, owner, clinician, today):
    regimen = start(owner, "naltrexone", on=today, plan="ldn_standard")
    trial = with_custodian(new_trial(owner, protocols.ldn_pilot(), regimen=regimen), clinician)
    page = logged_in_page
    page.goto(f"{live_server.url}/trials/{trial.pk}/plan/")
    clash = page.get_by_role("alert").filter(has_text="Your treatments clash with this plan")
    expect(clash).to_contain_text("A baseline on Naltrexone (LDN) is not a baseline")
    page.get_by_role("button", name="Register and start the trial").click()
    expect(page.locator(".messages")).to_contain_text("delete it and add it again from")
    _shot(page, "item5-trial-clash")
    assert Trial.objects.get(pk=trial.pk).status == Trial.Status.DRAFT


def test_the_demo_trial_reads_the_same_everywhere(browser_context, live_server, db):
    user, _ = build_demo("demo@example.org", PASSWORD)
    log_in(browser_context, live_server.url, user)
    page = browser_context.new_page()
    page.goto(f"{live_server.url}/trials/")
    card = page.locator(".tr-card").first
    expect(card).to_contain_text("Finished")
    expect(card).to_contain_text("unblinded")
    expect(card).not_to_contain_text(re.compile(r"· blinded"))
    _shot(page, "item6-demo-trials-list")
    card.get_by_role("link").click()
    expect(page.locator(".tr-status")).to_contain_text("Finished · unblinded")
    page.goto(f"{live_server.url}/treatments/")
    expect(page.get_by_text("Naltrexone (LDN)").first).to_be_visible()
    _shot(page, "item6-demo-treatments")
