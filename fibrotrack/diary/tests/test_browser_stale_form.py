"""Two tabs on a phone: the stale one is shown both versions and chooses."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from fibrotrack.diary.models import CheckIn
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.factories import make_checkin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_stale_tab_sees_both_versions_and_keeps_the_other_tabs_pain(
    browser_context, logged_in_page, live_server, owner, tmp_path
):
    day = diary_day(owner) - dt.timedelta(days=1)
    make_checkin(owner, day, pain=2, note="slept badly")
    url = live_server.url + reverse("diary:day", args=[day.isoformat()])
    tab1, tab2 = logged_in_page, browser_context.new_page()
    tab1.goto(url)
    tab2.goto(url)

    tab1.locator("#symptom-pain").get_by_role("radio", name="9", exact=True).check()
    tab1.get_by_role("button", name=re.compile("^Save")).click()
    tab1.get_by_text("Well done for checking in").wait_for()

    tab2.get_by_label("Note").fill("walked 10 minutes")  # its section is open: the day has a note
    tab2.get_by_role("button", name=re.compile("^Save")).click()
    expect(tab2.get_by_role("heading", name="This day was changed elsewhere")).to_be_visible()
    pain = tab2.get_by_role("group", name="Pain")
    expect(pain.get_by_text("Yours: 2")).to_be_visible()
    expect(pain.get_by_text("Saved: 9")).to_be_visible()
    expect(pain.get_by_text("You did not change it on this page")).to_be_visible()
    expect(pain.get_by_role("radio", name=re.compile("^Saved"))).to_be_checked()  # the other tab's change stands
    note = tab2.get_by_role("group", name="Note")
    expect(note.get_by_text("Yours: walked 10 minutes")).to_be_visible()
    expect(note.get_by_role("radio", name=re.compile("^Yours"))).to_be_checked()
    expect(tab2.get_by_role("button", name="Keep my changes")).to_be_visible()
    expect(tab2.get_by_role("button", name="Keep the saved version")).to_be_visible()
    assert CheckIn.objects.get(user=owner, day=day).note == "slept badly"  # nothing saved yet

    pain.get_by_role("radio", name=re.compile("^Saved")).check()
    note.get_by_role("radio", name=re.compile("^Yours")).check()
    tab2.screenshot(path=tmp_path / "conflict-390.png", full_page=True)
    tab2.get_by_role("button", name="Save my choices").click()
    tab2.get_by_text("Well done for checking in").wait_for()
    stored = CheckIn.objects.get(user=owner, day=day)
    assert (stored.score_map[owner.symptoms.get(key="pain").pk], stored.note) == (9, "walked 10 minutes")
