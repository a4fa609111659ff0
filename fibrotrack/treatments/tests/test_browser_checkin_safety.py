"""Issue 14, items 1-3 in one phone-sized check-in: on LDN and tramadol, change only a dose, take a
tramadol, log a serious side effect. Screenshots go to $SCREENSHOT_DIR when it is set."""

import datetime as dt
import os
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from fibrotrack.lib.testing.browser import serious_accessibility_violations
from fibrotrack.treatments.models import DoseLog, OpioidAnswer, SafetyAcknowledgement, SideEffect
from fibrotrack.treatments.tests.helpers import start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
URGENT = "Contact your doctor or emergency services now"


def _shot(page, name):
    if folder := os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=False)


def test_dose_change_tramadol_and_a_serious_side_effect_in_one_checkin(logged_in_page, live_server, owner, today):
    ldn = start(owner, "naltrexone", on=today - dt.timedelta(days=20), plan="ldn_standard")
    tramadol = start(owner, "tramadol", on=today - dt.timedelta(days=3), amount="50", schedule="as_needed")
    page = logged_in_page
    page.goto(f"{live_server.url}/diary/")
    save = page.get_by_role("button", name=re.compile("^Save today"))
    ldn_dose = page.get_by_role("group", name=re.compile(r"^Naltrexone \(LDN\) 3 mg"))
    opioid = page.get_by_role("group", name=re.compile("Did you take any opioid today"))

    # 1. A first save, then a change to one dose only: both are saves.
    ldn_dose.get_by_text("Taken", exact=True).click()
    opioid.get_by_text("No", exact=True).click()
    save.click()
    expect(page.get_by_text("Saved today.")).to_be_visible()
    ldn_dose.get_by_text("Skipped", exact=True).click()
    save.click()
    expect(page.get_by_text("Saved today.")).to_be_visible()
    expect(page.get_by_text("Nothing had changed")).to_have_count(0)
    assert DoseLog.objects.get(regimen=ldn).status == "skipped"

    # 2. Taking tramadol is a yes to the opioid question: the naltrexone warning shows at once.
    warning = page.get_by_text("Naltrexone blocks opioid medicines")
    expect(warning).to_be_hidden()
    page.get_by_role("group", name=re.compile(r"^Tramadol 50 mg")).get_by_text("Took it", exact=True).click()
    expect(warning).to_be_visible()
    expect(page.get_by_text("Taking an opioid dose counts as “Yes”.")).to_be_visible()
    expect(opioid.get_by_role("radio", name="Yes")).to_be_checked()
    page.get_by_text("Taking an opioid dose counts as “Yes”.").scroll_into_view_if_needed()
    _shot(page, "item2-opioid-dose-warning")
    save.click()
    expect(page.get_by_text("You marked Tramadol as taken, and it is an opioid.")).to_be_visible()
    assert not DoseLog.objects.filter(regimen=tramadol).exists()
    page.get_by_label("I have read this warning and I will talk to my prescriber.").check()
    save.click()
    expect(page.get_by_text("Saved today.")).to_be_visible()
    assert OpioidAnswer.objects.get(user=owner, day=today).took_opioid is True
    assert SafetyAcknowledgement.objects.filter(user=owner, rule="opioid_while_on_naltrexone").exists()

    # 3. The full checklist; a serious side effect says "contact your doctor or emergency services now" at once.
    page.get_by_text("Side effects today").click()
    for name in ("Stomach cramps", "Tearfulness", "Changes in energy", "Muscle or joint pain", "Rash"):
        expect(page.get_by_role("group", name=name, exact=True)).to_be_visible()
    alert = page.get_by_role("alert").filter(has_text=URGENT)
    expect(alert).to_be_hidden()
    page.get_by_role("group", name="Confusion", exact=True).get_by_text("Mild", exact=True).click()
    expect(alert).to_be_visible()
    alert.scroll_into_view_if_needed()
    _shot(page, "item3-serious-side-effect-at-once")
    assert serious_accessibility_violations(page) == []
    save.click()
    said = page.locator(".messages .message")
    expect(said.first).to_have_text(re.compile(f"^{URGENT}"))  # first, before the "well done"
    expect(page.get_by_text("Saved today.")).to_be_visible()
    _shot(page, "item3-serious-side-effect-after-save")
    assert SideEffect.objects.get(user=owner, key="confusion").severity == "mild"

    # ... and it is the first thing in the doctor's report.
    page.goto(f"{live_server.url}{reverse('reports:report_view')}?period=28")
    first = page.locator(".report-section").first
    expect(first).to_have_class(re.compile("report-serious_side_effects"))
    expect(first).to_contain_text(URGENT)
    expect(first).to_contain_text("Confusion, suspected of Naltrexone (LDN)")
    _shot(page, "item3-report-top")
