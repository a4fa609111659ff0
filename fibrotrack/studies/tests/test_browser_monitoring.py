"""Playwright journeys: a participant reports a serious event on a phone; the monitor sees it and the gaps."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from fibrotrack.lib.testing.browser import log_in, serious_accessibility_violations
from fibrotrack.lib.testing.factories import make_checkin
from fibrotrack.studies.tests.world import build_study_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_a_serious_event_reaches_the_monitor_who_also_sees_missing_diary_days(
    _playwright_browser, browser_context, live_server, settings
):
    settings.TASKS = IMMEDIATE
    world = build_study_world()
    today = timezone.localdate()
    # The first participant filled in every day but the last four; the second every day.
    start = world.participants["participant"].start_date
    for n in range((today - start).days + 1):
        day = start + dt.timedelta(days=n)
        if day <= today - dt.timedelta(days=4):
            make_checkin(world.users["participant"], day, pain=5)
        make_checkin(world.users["other_participant"], day, pain=4)

    page = browser_context.new_page()
    log_in(browser_context, live_server.url, world.users["participant"])
    page.goto(f"{live_server.url}/studies/{world.study.uuid}/report-event/")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("What happened?").fill("Fainted at work and stayed in hospital overnight")
    page.get_by_label("When did it start?").fill(today.isoformat())
    page.get_by_label("Severe").check()
    page.get_by_label("Needed a hospital stay, or made one longer").check()
    page.get_by_role("button", name="Send to the study team").click()
    expect(page.get_by_text("The study team has been alerted")).to_be_visible()
    assert sorted(m.to[0] for m in mail.outbox) == ["monitor@example.org", "pi@example.org"]

    monitor_context = _playwright_browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    try:
        log_in(monitor_context, live_server.url, world.users["monitor"])
        board = monitor_context.new_page()
        board.goto(f"{live_server.url}/studies/{world.study.uuid}/monitoring/")
        expect(board.get_by_role("alert")).to_contain_text("1 serious adverse event")
        expect(board.get_by_role("alert")).to_contain_text("PROBE-001")
        first_row = board.locator("table.sm-completion tbody tr").first
        expect(first_row).to_contain_text("PROBE-001")
        expect(first_row).to_contain_text("2 days missing")
        expect(board.get_by_text("Quillon")).to_have_count(0)
        wide = board.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)"
            ".map(e => e.tagName + '.' + e.className).slice(0, 8)"
        )
        assert board.evaluate("document.documentElement.scrollWidth") <= 390, wide
        assert serious_accessibility_violations(board) == []
    finally:
        monitor_context.close()
