"""The check-in on a 390×844 phone: the first score in view, two screens in all, one tap for every dose."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.demo import build_demo
from fibrotrack.lib.testing.browser import log_in
from fibrotrack.lib.testing.factories import make_checkin
from fibrotrack.treatments.models import DoseLog
from fibrotrack.treatments.tests.helpers import start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREEN = 844  # the conftest's viewport: 390×844


def _document_height(page):
    return page.evaluate("document.documentElement.scrollHeight")


def _first_score_in_view(page):
    """The first score's eleven buttons lie inside the viewport and above what is fixed to its bottom."""
    first = page.locator("fieldset.scale").first
    boxes = [label.bounding_box() for label in first.locator("label.scale-option").all()]
    save_top = page.locator(".form-actions.sticky").bounding_box()["y"]
    return len(boxes) == 11 and all(
        box is not None
        and box["x"] >= 0
        and box["x"] + box["width"] <= 390
        and box["y"] >= 0
        # Not hidden behind the save bar (which sits above the tab bar).
        and box["y"] + box["height"] <= save_top
        for box in boxes
    )


def test_a_new_users_first_score_is_in_view_and_the_check_in_is_two_screens(logged_in_page, live_server, owner):
    page = logged_in_page
    page.goto(live_server.url + reverse("diary:today"))
    assert page.locator("fieldset.scale").count() == 6  # the default six symptoms
    assert _first_score_in_view(page)
    for box in (label.bounding_box() for label in page.locator("label.scale-option").all()):
        assert box["width"] >= 44 and box["height"] >= 44
    assert _document_height(page) <= 2 * SCREEN


def test_the_demo_accounts_day_with_its_treatments_is_two_screens(browser_context, live_server):
    user, _ = build_demo("demo@example.org", "a demo passphrase 42")
    log_in(browser_context, live_server.url, user)
    page = browser_context.new_page()
    page.goto(live_server.url + reverse("diary:today"))
    expect(page.get_by_role("region", name="Treatments")).to_be_visible()
    assert page.locator("[data-dose]").count() >= 1
    assert _first_score_in_view(page)
    assert _document_height(page) <= 2 * SCREEN


def test_all_doses_taken_is_one_tap(logged_in_page, live_server, owner):
    ldn = start(owner, "naltrexone", plan="ldn_standard")
    magnesium = start(owner, "magnesium", amount="300")
    page = logged_in_page
    page.goto(live_server.url + reverse("diary:today"))
    doses = page.locator("[data-dose]")
    assert doses.count() == 2
    page.get_by_role("button", name="All doses taken").click()  # the one tap
    for group in doses.all():
        expect(group.get_by_role("radio", name="Taken", exact=True)).to_be_checked()
    expect(page.get_by_role("status").filter(has_text="marked as taken")).to_have_count(1)
    page.get_by_role("group", name=re.compile("Did you take any opioid")).get_by_text("No", exact=True).click()
    page.get_by_role("button", name=re.compile("^Save")).click()
    page.get_by_text("Well done for checking in").wait_for()
    logs = {log.regimen_id: log for log in DoseLog.objects.filter(regimen__user=owner, day=diary_day(owner))}
    assert {logs[ldn.pk].status, logs[magnesium.pk].status} == {"taken"}
    assert str(logs[ldn.pk].amount) == "1.000"  # the plan's first step
    assert str(logs[magnesium.pk].amount) == "300.000"


def test_the_tab_bar_is_five_items_at_the_bottom_and_more_opens_the_rest(logged_in_page, live_server, owner):
    page = logged_in_page
    page.goto(live_server.url + reverse("diary:today"))
    tabs = page.get_by_role("navigation", name="Main")
    links = tabs.get_by_role("link")
    assert links.count() <= 5
    assert links.first.get_attribute("aria-current") == "page"
    bar = tabs.bounding_box()
    assert bar["y"] + bar["height"] == pytest.approx(SCREEN, abs=1)  # under the thumb
    for link in links.all():
        assert link.bounding_box()["height"] >= 44
    menu = page.get_by_role("navigation", name="More", exact=True)
    expect(menu).to_be_hidden()
    tabs.get_by_role("link", name="More").click()
    expect(menu.get_by_role("link", name="Settings")).to_be_in_viewport()
    expect(menu.get_by_role("button", name="Log out")).to_be_visible()
    menu.get_by_role("link", name="Settings").click()
    page.wait_for_url(re.compile(reverse("accounts:settings")))
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()


def test_the_menu_works_without_css_or_script_as_plain_links(browser_context, live_server, owner):
    log_in(browser_context, live_server.url, owner)
    page = browser_context.new_page()
    page.route(re.compile(r"\.(js|css)$"), lambda route: route.abort())
    page.goto(live_server.url + reverse("diary:today"))
    page.get_by_role("link", name="More").click()
    page.get_by_role("navigation", name="More", exact=True).get_by_role("link", name="Trials").click()
    page.wait_for_url(re.compile(reverse("trials:list")))


def test_the_returning_users_check_in_still_fits_after_a_week(logged_in_page, live_server, owner):
    today = diary_day(owner)
    for i in range(1, 8):
        make_checkin(owner, today - dt.timedelta(days=i), pain=5, fatigue=5)
    page = logged_in_page
    page.goto(live_server.url + reverse("diary:today"))
    assert _first_score_in_view(page)
