"""Playwright journeys: a PI sets up the 2013 crossover and makes a code; a participant joins, consents and is screened."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from fibrotrack.lib.testing.browser import log_in, serious_accessibility_violations
from fibrotrack.studies.models import Participant, Study
from fibrotrack.studies.tests.enrol_helpers import make_code, open_study, user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_violations(page):
    assert serious_accessibility_violations(page) == []


def test_a_pi_sets_up_the_2013_crossover_publishes_consent_and_makes_a_code(browser_context, live_server, owner):
    log_in(browser_context, live_server.url, owner)
    page = browser_context.new_page()
    page.goto(f"{live_server.url}/studies/")
    page.get_by_role("link", name=re.compile("Start a study")).click()
    _no_violations(page)
    page.get_by_role("radio", name=re.compile("Randomised double-blind crossover")).check()
    page.get_by_label("Short code").fill("ldnx")
    page.get_by_role("button", name="Create the study").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Low-dose naltrexone crossover")
    expect(page.get_by_text("Your role: Principal investigator")).to_be_visible()
    _no_violations(page)

    page.get_by_role("link", name="The protocol in full").click()
    expect(page.get_by_text("Arthritis & Rheumatism. 2013")).to_be_visible()
    _no_violations(page)

    page.get_by_role("link", name="Consent form").first.click()
    page.get_by_label("Consent text").fill("## What taking part means\n\nYou keep a **daily diary** for 18 weeks.")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("heading", name="What taking part means")).to_be_visible()
    _no_violations(page)
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_text("Version 1 is published")).to_be_visible()

    page.get_by_role("link", name="Study home").click()
    page.get_by_role("button", name="Open to enrolment").click()
    expect(page.get_by_text("The study is open")).to_be_visible()

    page.get_by_role("link", name="Invitation codes").first.click()
    page.get_by_role("radio", name="A personal code, for one person").check()
    page.get_by_label("Note for the team").fill("Clinic, Tuesday")
    page.get_by_role("button", name="Make the code").click()
    message = page.get_by_text(re.compile(r"New code: [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}"))
    expect(message).to_be_visible()
    expect(page.get_by_text("Personal code: not used yet")).to_be_visible()
    _no_violations(page)
    study = Study.objects.get(short_code="LDNX")
    assert study.status == Study.Status.OPEN and study.invite_codes.count() == 1


def test_a_participant_joins_with_a_code_consents_is_screened_and_sees_their_page(browser_context, live_server):
    study, pi = open_study()
    code = make_code(study, pi)
    person = user(email="ada@example.org", display_name="Ada")
    log_in(browser_context, live_server.url, person)
    page = browser_context.new_page()
    page.goto(f"{live_server.url}/studies/")
    page.get_by_role("link", name="Join with an invitation code").click()
    _no_violations(page)
    page.get_by_label("Your invitation code").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="What taking part means")).to_be_visible()
    _no_violations(page)
    expect(page.get_by_role("checkbox", name=re.compile("^Side effects"))).not_to_be_checked()
    page.get_by_role("checkbox", name=re.compile("^Daily diary scores")).check()
    page.get_by_role("checkbox", name=re.compile("^Doses taken")).check()
    page.get_by_role("checkbox", name=re.compile("I have read the information")).check()
    page.get_by_label("Type your full name to sign").fill("Ada Lovelace")
    page.get_by_role("button", name="Sign and continue").click()

    expect(page.get_by_text(re.compile(r"Your study code is LDNX-001"))).to_be_visible()
    _no_violations(page)
    page.get_by_label("How old are you?").fill("44")
    page.get_by_role("group", name="Are you a woman?").get_by_role("radio", name="Yes").check()
    page.get_by_role("group", name="Do you take an opioid painkiller now?").get_by_role("radio", name="No").check()
    regions = page.get_by_role("group", name=re.compile("where have you had pain"))
    page.get_by_text("Show the areas as a plain list").click()
    for label in (
        "Left shoulder",
        "Right shoulder",
        "Left hip or buttock",
        "Right hip or buttock",
        "Neck",
        "Lower back",
    ):
        regions.get_by_role("checkbox", name=label, exact=True).check()
    regions.get_by_role("checkbox", name="Left upper leg", exact=True).check()
    for question, answer in (("Fatigue", "2"), ("Waking unrefreshed", "2"), ("Cognitive symptoms", "1")):
        page.get_by_role("group", name=re.compile(f"^{question}")).get_by_role(
            "radio", name=re.compile(f"^{answer} ")
        ).check()
    page.get_by_role("checkbox", name="Headaches").check()
    page.get_by_role("group", name=re.compile("at least 3 months")).get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_text("You can take part.").first).to_be_visible()
    page.get_by_role("link", name="Your study page").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Low-dose naltrexone crossover")
    expect(page.get_by_text("Eligible, waiting to be randomised")).to_be_visible()
    expect(page.get_by_text("Bottle periods 1 to 2: days 15 to 126")).to_be_visible()
    expect(page.get_by_text("You signed version 1")).to_be_visible()
    expect(page.get_by_role("link", name="Withdraw from the study")).to_be_visible()
    _no_violations(page)
    participant = Participant.objects.get(user=person)
    assert participant.status == Participant.Status.ELIGIBLE
    assert participant.signatures.get().shares == ["diary", "doses"]

    # Withdrawal at any time, keeping what was given.
    page.get_by_role("link", name="Withdraw from the study").click()
    _no_violations(page)
    page.get_by_role("radio", name=re.compile("^Keep it for the analysis")).check()
    page.get_by_role("button", name="Withdraw now").click()
    expect(page.get_by_text("The study reads nothing more from your diary").first).to_be_visible()
    participant.refresh_from_db()
    assert participant.status == Participant.Status.WITHDRAWN and participant.withdrawal_keeps_data
