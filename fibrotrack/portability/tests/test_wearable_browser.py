"""Playwright at phone size: a watch's export read in the background, previewed, the typed sleep kept or replaced."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from fibrotrack.diary.models import CheckIn, DailyMeasure
from fibrotrack.lib.testing.browser import serious_accessibility_violations
from fibrotrack.lib.testing.factories import make_checkin
from fibrotrack.portability.tests.wearable_helpers import APPLE_SAMPLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def test_a_watch_export_is_read_in_the_background_then_previewed_and_imported(
    logged_in_page, live_server, owner, settings, monkeypatch
):
    from fibrotrack.portability.access import token_hash
    from fibrotrack.portability.wearables import background

    monkeypatch.setattr(background, "INLINE_BYTES", 100)  # the sample counts as large: the worker reads it
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    owner.time_zone = "Europe/Berlin"
    owner.save(update_fields=["time_zone"])
    make_checkin(owner, dt.date(2024, 3, 10), hours_slept=Decimal("6.5"))
    page = logged_in_page
    assert page.viewport_size == {"width": 390, "height": 844}
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/me/data/")
    page.get_by_label("File to import").set_input_files(str(APPLE_SAMPLE))
    page.get_by_role("group", name="What kind of file is it?").get_by_text("Apple Health").click()
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", name="Reading your file…")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("records so far")
    assert serious_accessibility_violations(page) == []
    token = page.url.rstrip("/").rsplit("/", 1)[-1]
    background.read_upload.call(owner.pk, token_hash(token))  # the worker reads it; the page's polling notices

    expect(page.get_by_role("heading", name="Check your import")).to_be_visible(timeout=15_000)
    conflicts = page.get_by_role("region", name="Hours slept you typed yourself")
    expect(conflicts).to_contain_text("6.50")
    expect(conflicts).to_contain_text("7.75")
    assert serious_accessibility_violations(page) == []
    assert not DailyMeasure.objects.exists()

    conflicts.get_by_label("Use the device’s value for this day").check()
    page.get_by_role("button", name="Import into my diary").click()
    expect(page.get_by_role("heading", name="Import finished")).to_be_visible()
    assert CheckIn.objects.get(user=owner, day=dt.date(2024, 3, 10)).hours_slept == Decimal("7.75")
    assert DailyMeasure.objects.filter(user=owner).count() == 5
    assert not [e for e in errors if "Content Security Policy" in e]
