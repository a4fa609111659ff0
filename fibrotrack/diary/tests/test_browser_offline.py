"""The check-in on a phone with a bad connection: installable, works offline, loses nothing.

Chromium with the service worker (/sw.js) and the outbox (static/js/outbox.js); the
connection is cut with Playwright's ``context.set_offline``.
"""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from fibrotrack.diary.models import CheckIn, CheckInRevision, CheckInSubmission
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.browser import CHROMIUM, CHROMIUM_ARGS, log_in
from fibrotrack.lib.testing.factories import make_checkin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Resolves once the worker controls the page and keeps a copy of it for offline use.
KEPT_FOR_OFFLINE = """async () => {
  const reg = await navigator.serviceWorker.ready;
  for (let i = 0; i < 100; i++) {
    for (const name of await caches.keys()) {
      if (name.startsWith("ft-pages-") && await (await caches.open(name)).match(location.href)) return reg.active.state;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return "not kept";
}"""
WAITING = """async () => (await FTOutbox.all()).map((e) => [e.status, e.url, e.message])"""


def _rate(page, symptom, value):
    page.get_by_role("group", name=re.compile(f"^{symptom}")).get_by_role("radio", name=str(value), exact=True).check()


def _scores(checkin):
    return {s.symptom.key: s.value for s in checkin.scores.select_related("symptom")}


def _open_today(page, live_server):
    page.goto(live_server.url + reverse("diary:today"))
    assert page.evaluate(KEPT_FOR_OFFLINE) == "activated"


def test_chromium_finds_the_app_installable(_playwright_browser, live_server, owner, tmp_path):
    # A profile on disk: Chromium never offers to install from an incognito-like context.
    context = _playwright_browser.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport={"width": 390, "height": 844}
    )
    try:
        log_in(context, live_server.url, owner)
        page = context.new_page()
        _open_today(page, live_server)
        cdp = context.new_cdp_session(page)
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == []
        assert manifest["url"] == live_server.url + "/manifest.json"
        assert json.loads(manifest["data"])["start_url"] == reverse("diary:today")
        assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == live_server.url + "/sw.js"
    finally:
        context.close()


def test_a_check_in_saved_offline_is_sent_once_when_back_online(logged_in_page, browser_context, live_server, owner):
    page = logged_in_page
    day = diary_day(owner)
    _open_today(page, live_server)

    browser_context.set_offline(True)
    _rate(page, "Pain", 7)
    _rate(page, "Fatigue", 3)
    page.get_by_role("button", name=re.compile("^Save")).click()
    status = page.locator("#outbox-status")
    expect(status).to_contain_text("Saved on this phone, will send when you are online")
    expect(status).to_contain_text("Waiting to send: 1")
    assert not CheckIn.objects.filter(user=owner).exists()

    page.reload()  # still offline: the worker answers with the kept copy
    expect(page.get_by_role("heading", name=re.compile("How was today"))).to_be_visible()
    expect(status).to_contain_text("Waiting to send: 1")
    pain = page.get_by_role("group", name=re.compile("^Pain"))
    expect(pain.get_by_role("radio", name="7", exact=True)).to_be_checked()  # the waiting answers are shown

    browser_context.set_offline(False)
    expect(status).to_contain_text("Sent")
    checkin = CheckIn.objects.get(user=owner, day=day)
    assert _scores(checkin) == {"pain": 7, "fatigue": 3}
    assert page.evaluate(WAITING) == []

    # The answer was lost on the way: the same entry is sent again. Still one save.
    [(key, sent_day)] = CheckInSubmission.objects.filter(user=owner).values_list("client_id", "checkin__day")
    assert sent_day == day
    replay = page.evaluate(
        """async ([url, id]) => {
          const entry = {id, url, owner: "", status: "waiting", message: "", savedAt: 0,
                         fields: [["s_pain", "1"], ["client_id", id]]};
          return FTOutbox.send(entry);
        }""",
        [live_server.url + reverse("diary:day", args=[day.isoformat()]), str(key)],
    )
    assert replay == "sent"
    assert CheckIn.objects.filter(user=owner).count() == 1
    assert CheckInRevision.objects.filter(user=owner, day=day).count() == 1
    assert _scores(CheckIn.objects.get(user=owner, day=day)) == {"pain": 7, "fatigue": 3}
