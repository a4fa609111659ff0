"""The reminders page in a phone-sized Chromium: accessible, large targets, and it saves."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from fibrotrack.lib.testing.browser import serious_accessibility_violations
from fibrotrack.reminders.models import Reminder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_set_a_daily_reminder_and_make_a_calendar_link(logged_in_page: Any, live_server: Any, owner: Any) -> None:
    page = logged_in_page
    page.goto(live_server.url + reverse("accounts:settings"))
    page.get_by_role("link", name="Reminders").click()
    expect(page.get_by_role("heading", name="Reminders", level=1)).to_be_visible()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Remind me to check in at").fill("20:30")
    page.get_by_label("Your time zone").select_option("Europe/Berlin")
    save = page.get_by_role("button", name="Save reminders")
    assert save.bounding_box()["height"] >= 44
    save.click()
    expect(page.get_by_text("Reminder settings saved.")).to_be_visible()
    assert Reminder.objects.get(user=owner).local_time == dt.time(20, 30)
    # Headless Chromium has no push service: the page says so instead of offering a button that fails.
    expect(page.locator("[data-push-status]")).not_to_be_empty()
    expect(page.get_by_role("button", name="Turn off for this device")).to_be_hidden()
    page.get_by_role("button", name="Make a calendar link").click()
    link = page.get_by_label("Your private calendar link").input_value()
    assert link.endswith(".ics")
    assert serious_accessibility_violations(page) == []
