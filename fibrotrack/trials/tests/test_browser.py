"""Playwright journey: plan the LDN pilot, run it with a custodian, fill in days and a lab visit, unblind, read."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import expect

from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.browser import log_in, serious_accessibility_violations
from fibrotrack.trials.models import Trial
from fibrotrack.trials.tests.helpers import ldn_regimen, log_doses, seed_diary

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_violations(page):
    assert serious_accessibility_violations(page) == []


def test_plan_run_with_a_custodian_unblind_and_read_the_result(
    _playwright_browser, browser_context, live_server, owner, clinician
):
    today = diary_day(owner)
    regimen = ldn_regimen(owner, today + dt.timedelta(days=14))  # the trial capsules, from the end of baseline
    page = browser_context.new_page()
    log_in(browser_context, live_server.url, owner)

    # Plan the LDN pilot design.
    page.goto(f"{live_server.url}/trials/")
    _no_violations(page)
    page.get_by_role("link", name="Plan a new trial").click()
    expect(page.get_by_role("radio", name=re.compile("^LDN pilot design"))).to_be_checked()
    expect(page.get_by_role("group", name="Randomized pairs")).to_be_hidden()
    page.get_by_role("radio", name=re.compile("^Randomized pairs")).check()
    expect(page.get_by_role("group", name="Randomized pairs")).to_be_visible()
    page.get_by_role("radio", name=re.compile("^LDN pilot design")).check()
    _no_violations(page)
    page.get_by_label("Name of your trial").fill("Does LDN help my pain?")
    page.get_by_role("button", name="Create the plan").click()
    expect(page.get_by_role("heading", name="Plan: Does LDN help my pain?")).to_be_visible()
    expect(page.get_by_role("region", name="How informative would this be?")).to_contain_text("%")
    expect(page.get_by_text("needs a custodian who has accepted")).to_be_visible()
    _no_violations(page)

    # Invite the custodian; they accept in their own browser with their own account.
    page.get_by_label("Custodian’s e-mail address").fill(clinician.email)
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_text(f"Invitation sent to {clinician.email}", exact=False).first).to_be_visible()
    link = re.search(r"https?://\S+/trials/invite/\S+/", mail.outbox[-1].body).group(0)
    path = "/trials/invite/" + link.split("/trials/invite/", 1)[1]
    custodian_context = _playwright_browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    try:
        log_in(custodian_context, live_server.url, clinician)
        custodian = custodian_context.new_page()
        custodian.goto(live_server.url + path)
        _no_violations(custodian)
        custodian.get_by_role("button", name="Accept and become the custodian").click()
        expect(custodian.get_by_text("The allocation is drawn when the participant starts")).to_be_visible()

        # The participant starts the trial today.
        page.reload()
        expect(page.get_by_text("has accepted")).to_be_visible()
        page.get_by_role("button", name="Register and start the trial").click()
        expect(page.get_by_text("Day 1 of 98")).to_be_visible()
        expect(page.get_by_text("Nothing new today")).to_be_visible()
        _no_violations(page)
        trial = Trial.objects.get(user=owner)
        containers = trial.allocation.payload["containers"]

        custodian.reload()
        expect(custodian.get_by_role("region", name="What each bottle holds")).to_contain_text(
            f"Bottle {containers['treatment']}: LDN 4.5 mg"
        )
        _no_violations(custodian)

        # Three weeks in: fill in the diary (the trial's outcome comes first) and record a lab visit.
        seed_diary(
            owner, today, today + dt.timedelta(days=19), lambda d: 6 if d < today + dt.timedelta(days=28) else 3.5
        )
        log_doses(regimen, today + dt.timedelta(days=14), today + dt.timedelta(days=19))
        now = dt.datetime.now(tz=dt.UTC)
        with time_machine.travel(now + dt.timedelta(days=20), tick=True):
            log_in(browser_context, live_server.url, owner)
            page.goto(f"{live_server.url}/diary/")
            section = page.get_by_role("region", name="Your trial")
            expect(section).to_contain_text("day 21 of 98, blinded part")
            letter = containers["placebo"]
            expect(section).to_contain_text(f"bottle {letter}")
            first_symptom = page.locator("fieldset.scale").first
            expect(first_symptom.locator("legend")).to_have_text("Pain")
            first_symptom.get_by_role("radio", name="6", exact=True).check()
            page.get_by_role("button", name=re.compile("^Save today")).click()
            expect(page.get_by_text("Saved today.")).to_be_visible()

            page.goto(f"{live_server.url}/trials/{trial.pk}/")
            expect(page.get_by_text(f"Take your trial capsules from bottle {letter}.")).to_be_visible()
            page.get_by_role("link", name="Record an assessment").click()
            page.get_by_role("radio", name="Cold-pressor tolerance").check()
            page.get_by_label("Result").fill("180")
            page.get_by_label(re.compile("stopped at its time limit")).check()
            _no_violations(page)
            page.get_by_role("button", name="Save the assessment").click()
            expect(page.get_by_role("region", name="Lab or clinic assessments")).to_contain_text("≥ 180 seconds")
            expect(page.get_by_role("region", name="Lab or clinic assessments")).to_contain_text("Blinded part")

        # After the last day: unblind and read the result.
        seed_diary(
            owner,
            today + dt.timedelta(days=21),
            today + dt.timedelta(days=97),
            lambda d: 6 if d < today + dt.timedelta(days=28) else 3.5,
            seed=9,
        )
        log_doses(regimen, today + dt.timedelta(days=20), today + dt.timedelta(days=83))
        with time_machine.travel(now + dt.timedelta(days=99), tick=True):
            log_in(browser_context, live_server.url, owner)
            page.goto(f"{live_server.url}/trials/{trial.pk}/")
            expect(page.get_by_role("heading", name="The trial has ended")).to_be_visible()
            page.get_by_role("link", name="Unblind and see the result").click()
            page.get_by_label(re.compile("I understand this reveals")).check()
            page.get_by_role("button", name="Unblind and see the result").click()
            expect(page.get_by_role("heading", name="Result: Does LDN help my pain?")).to_be_visible()
            verdict = page.get_by_role("region", name="In short")
            expect(verdict).to_contain_text(
                re.compile(r"Pain was \d+% better on LDN 4\.5 mg than on Placebo \(\d\.\d points better; likely ")
            )
            expect(verdict).to_contain_text("discuss".capitalize())
            expect(page.get_by_role("img", name=re.compile("Pain each day of the trial"))).to_be_visible()
            # The details and the CENT methods are one tap away.
            page.locator("details.tr-details > summary").click()
            expect(page.get_by_role("region", name="Methods (for your clinician)")).to_contain_text("CENT 2015")
            expect(page.get_by_role("region", name="The protocol as run")).to_contain_text(f"{containers['treatment']}")
            _no_violations(page)
    finally:
        custodian_context.close()
