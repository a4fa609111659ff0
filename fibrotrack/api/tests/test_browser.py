"""Playwright: make a token on a phone, use it, revoke it; the API docs load under the strict CSP."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from fibrotrack.lib.testing.browser import serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_make_use_and_revoke_a_token_on_a_phone(logged_in_page, live_server):
    page = logged_in_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/me/settings/")
    page.get_by_role("link", name="Access tokens for apps (API)").click()
    expect(page.get_by_role("heading", name="Access tokens for apps")).to_be_visible()
    page.get_by_label("What is it for?").fill("My step counter")
    page.get_by_text("Read only", exact=True).click()
    page.get_by_text("1 month", exact=True).click()
    page.get_by_role("button", name="Make the token").click()
    secret = page.get_by_label("Your token to copy").input_value()
    assert re.fullmatch(r"ft_[A-Za-z0-9_-]{43}", secret)
    assert serious_accessibility_violations(page) == []
    # The page fits the phone: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    api = Client()
    assert api.get("/api/v1/symptoms", headers={"Authorization": f"Bearer {secret}"}).status_code == 200

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke “My step counter”").click()
    expect(page.get_by_text("Revoked “My step counter”. It no longer works.")).to_be_visible()
    assert api.get("/api/v1/symptoms", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_the_api_docs_load_their_own_files_under_the_csp(page, live_server):
    violations, outside = [], []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.get_by_text("FibroTrack API").first).to_be_visible()
    expect(page.get_by_text("/api/v1/checkins/{day}").first).to_be_visible()
    assert violations == []
    assert [u for u in outside if not u.startswith("data:")] == []
