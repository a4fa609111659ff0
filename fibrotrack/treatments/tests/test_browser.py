"""Playwright journeys through the treatment pages, with an accessibility scan of each."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.browser import serious_accessibility_violations
from fibrotrack.treatments.models import DoseLog, Regimen, SafetyAcknowledgement, SideEffect
from fibrotrack.treatments.tests.helpers import start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_violations(page):
    assert serious_accessibility_violations(page) == []


def test_add_ldn_take_the_first_dose_and_log_vivid_dreams(logged_in_page, live_server, owner):
    page = logged_in_page
    page.goto(f"{live_server.url}/treatments/")
    _no_violations(page)
    page.get_by_role("link", name="Add a treatment").click()
    expect(page.get_by_role("heading", name="Add a treatment")).to_be_visible()
    _no_violations(page)

    page.get_by_label("Treatment", exact=True).select_option(label="Naltrexone (LDN) – Low-dose naltrexone, Revia")
    page.get_by_role("radio", name="Nightly").check()
    expect(page.get_by_label("At what times?")).to_be_hidden()  # only for "Daily, at set times"
    page.get_by_role("radio", name=re.compile(r"^LDN standard")).check()
    expect(page.get_by_role("group", name=re.compile("Your plan’s steps"))).to_be_hidden()
    page.get_by_role("button", name="Save treatment").click()

    expect(page.get_by_role("heading", name="Naltrexone (LDN)", exact=True)).to_be_visible()
    expect(page.get_by_text("Plan step 1 of 5")).to_be_visible()
    _no_violations(page)

    page.get_by_role("link", name="Check in").click()
    dose = page.get_by_role("group", name="Naltrexone (LDN) 1 mg, at night")
    expect(dose).to_be_visible()
    amount = dose.get_by_label("Dose you took instead")
    expect(amount).to_be_hidden()  # revealed only for "Different dose"
    dose.get_by_text("Different dose", exact=True).click()
    expect(amount).to_be_visible()
    expect(amount).to_be_focused()
    dose.get_by_text("Taken", exact=True).click()  # one tap
    expect(amount).to_be_hidden()

    opioid = page.get_by_role("group", name=re.compile("Did you take any opioid today"))
    opioid.get_by_text("No", exact=True).click()
    expect(page.get_by_text("Naltrexone blocks opioid medicines")).to_be_hidden()

    page.get_by_text("Side effects today").click()
    page.get_by_role("group", name="Vivid dreams").get_by_text("Mild", exact=True).click()
    _no_violations(page)
    page.get_by_role("button", name="Save today").click()
    expect(page.get_by_text("Saved today.")).to_be_visible()

    regimen = Regimen.objects.get(user=owner)
    log = DoseLog.objects.get(regimen=regimen)
    assert (log.status, str(log.amount)) == ("taken", "1.000")
    assert SideEffect.objects.get(user=owner).regimen == regimen

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Treatments").click()
    page.get_by_role("link", name="Naltrexone (LDN)").click()
    effects = page.get_by_role("region", name="Side effects", exact=True)
    expect(effects.get_by_role("link", name="Vivid dreams")).to_be_visible()
    expect(effects).to_contain_text("mild at worst")
    expect(page.get_by_role("img", name=re.compile("dose in force .* with side effects by day"))).to_be_visible()
    expect(page.get_by_role("region", name="Doses taken")).to_contain_text("Taken")


def test_adding_tramadol_on_ldn_must_be_acknowledged(logged_in_page, live_server, owner):
    today = diary_day(owner)
    start(owner, "naltrexone", on=today - dt.timedelta(days=9), plan="ldn_standard")
    page = logged_in_page
    page.goto(f"{live_server.url}/treatments/add/")
    page.get_by_label("Treatment", exact=True).select_option(label="Tramadol – Ultram, Zydol, Tramal")
    page.get_by_label("Dose each time").fill("50")
    page.get_by_role("radio", name="As needed").check()
    page.get_by_role("button", name="Save treatment").click()

    warning = page.get_by_role("alert").filter(has_text="Naltrexone blocks opioid painkillers")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("7 to 10 days")
    expect(warning).to_contain_text("This is information, not medical advice.")
    expect(page.get_by_text("tick the box to confirm")).to_be_visible()
    _no_violations(page)
    assert not Regimen.objects.filter(user=owner, treatment__key="tramadol").exists()

    page.get_by_label("I have read this warning and I will talk to my prescriber.").check()
    page.get_by_role("button", name="Save treatment").click()
    expect(page.get_by_role("heading", name="Tramadol", exact=True)).to_be_visible()
    expect(page.get_by_role("region", name="Safety information")).to_contain_text("Naltrexone blocks opioid")
    assert SafetyAcknowledgement.objects.get(user=owner).rule == "naltrexone_with_opioid"


def test_saying_yes_to_an_opioid_shows_the_warning_at_once(logged_in_page, live_server, owner):
    start(owner, "naltrexone", plan="ldn_standard")
    page = logged_in_page
    page.goto(f"{live_server.url}/diary/")
    warning = page.get_by_text("Naltrexone blocks opioid medicines")
    expect(warning).to_be_hidden()
    page.get_by_role("group", name=re.compile("Did you take any opioid today")).get_by_text("Yes", exact=True).click()
    expect(warning).to_be_visible()
    page.get_by_role("button", name="Save today").click()
    expect(page.get_by_text("tick the box to confirm")).to_be_visible()
    page.get_by_label("I have read this warning and I will talk to my prescriber.").check()
    page.get_by_role("button", name="Save today").click()
    expect(page.get_by_text("Saved today.")).to_be_visible()


def test_side_effects_page_is_accessible(logged_in_page, live_server, owner):
    start(owner, "magnesium")
    page = logged_in_page
    page.goto(f"{live_server.url}/treatments/side-effects/")
    expect(page.get_by_role("heading", name="Side effects", exact=True)).to_be_visible()
    _no_violations(page)
