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
from fibrotrack.lib.testing.browser import CHROMIUM, CHROMIUM_ARGS, log_in, serious_accessibility_violations
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


def _outbox_ready(page):
    """Wait until the page's deferred scripts have defined the outbox (a new page shows its text first).

    Polled from here: the strict CSP forbids the eval that page.wait_for_function uses.
    """
    for _ in range(100):
        if page.evaluate("typeof FTOutbox") != "undefined":
            return
        page.wait_for_timeout(100)


def _waiting(page):
    """What waits in the outbox."""
    _outbox_ready(page)
    return page.evaluate(WAITING)


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

    # Pages that are not the check-in say plainly that they need a connection, and lead back to it.
    page.goto(live_server.url + reverse("diary:history"))
    expect(page.get_by_role("heading", name="No connection right now")).to_be_visible()
    page.get_by_role("link", name="Check in", exact=True).last.click()
    expect(status).to_contain_text("Waiting to send: 1")
    assert serious_accessibility_violations(page) == []

    browser_context.set_offline(False)
    expect(status).to_contain_text("Sent")
    checkin = CheckIn.objects.get(user=owner, day=day)
    assert _scores(checkin) == {"pain": 7, "fatigue": 3}
    assert _waiting(page) == []

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

    # The page took the day's new version once its save was sent: the next save is an ordinary one.
    _rate(page, "Pain", 5)
    page.get_by_role("button", name=re.compile("^Save")).click()
    page.get_by_text("Well done for checking in").wait_for()
    assert _scores(CheckIn.objects.get(user=owner, day=day)) == {"pain": 5, "fatigue": 3}


def test_a_day_changed_elsewhere_meanwhile_asks_the_person_and_overwrites_nothing(
    logged_in_page, browser_context, _playwright_browser, live_server, owner
):
    page = logged_in_page
    day = diary_day(owner)
    make_checkin(owner, day, pain=2, note="slept badly")
    _open_today(page, live_server)

    browser_context.set_offline(True)
    _rate(page, "Pain", 8)
    page.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.locator("#outbox-status")).to_contain_text("Waiting to send: 1")

    # Meanwhile, on the laptop (another browser, online), the same day gets pain 5.
    laptop = _playwright_browser.new_context()
    log_in(laptop, live_server.url, owner)
    other = laptop.new_page()
    other.goto(live_server.url + reverse("diary:day", args=[day.isoformat()]))
    _rate(other, "Pain", 5)
    other.get_by_role("button", name=re.compile("^Save")).click()
    other.get_by_text("Well done for checking in").wait_for()
    laptop.close()

    browser_context.set_offline(False)
    status = page.locator("#outbox-status")
    expect(status).to_contain_text("was changed elsewhere. Nothing was overwritten")
    assert _scores(CheckIn.objects.get(user=owner, day=day))["pain"] == 5  # the laptop's save stands
    assert [s for s, _, _ in _waiting(page)] == ["conflict"]

    assert serious_accessibility_violations(page) == []
    status.get_by_role("button", name="Choose what to keep").click()
    pain = page.get_by_role("group", name="Pain")
    expect(pain.get_by_text("Yours: 8")).to_be_visible()
    expect(pain.get_by_text("Saved: 5")).to_be_visible()
    page.get_by_role("button", name="Keep my changes").click()
    page.get_by_text("Well done for checking in").wait_for()
    assert _scores(CheckIn.objects.get(user=owner, day=day))["pain"] == 8
    assert CheckIn.objects.get(user=owner, day=day).note == "slept badly"
    assert _waiting(page) == []


def test_a_refused_entry_is_marked_with_the_servers_reason_and_not_sent_again(logged_in_page, live_server, owner):
    page = logged_in_page
    today = diary_day(owner)
    yesterday = today - dt.timedelta(days=1)
    _open_today(page, live_server)
    used = page.locator("input[name=client_id]").input_value()
    _rate(page, "Pain", 3)
    page.get_by_role("button", name=re.compile("^Save")).click()
    page.get_by_text("checking in").wait_for()
    # An entry replaying that client id for another day (tampered, or a bug): refused whole.
    _outbox_ready(page)
    outcome = page.evaluate(
        """async ([url, id]) => {
          await FTOutbox.queue(url, [["s_pain", "9"]], "");
          const [entry] = await FTOutbox.all();
          entry.fields = entry.fields.map(([k, v]) => [k, k === "client_id" ? id : v]);
          await FTOutbox.remove(entry.id);
          entry.id = id;
          await new Promise((r) => { const q = indexedDB.open("fibrotrack-outbox"); q.onsuccess = () => {
            const tx = q.result.transaction("outbox", "readwrite"); tx.objectStore("outbox").put(entry); tx.oncomplete = r; }; });
          return [await FTOutbox.flush(), await FTOutbox.flush()];
        }""",
        [live_server.url + reverse("diary:day", args=[yesterday.isoformat()]), used],
    )
    assert outcome == [["failed"], []]  # refused once, then left alone
    [(state, _, message)] = _waiting(page)
    assert state == "failed" and "already used for another day" in message
    assert not CheckIn.objects.filter(user=owner, day=yesterday).exists()
    page.reload()
    expect(page.locator("#outbox-status")).to_contain_text("already used for another day")
    page.locator("#outbox-status").get_by_role("button", name="Remove it").click()
    expect(page.locator("#outbox-status")).not_to_contain_text("already used")
    assert _waiting(page) == []


def test_a_save_when_the_connection_silently_dropped_is_kept_not_lost(
    logged_in_page, browser_context, live_server, owner
):
    page = logged_in_page
    # The phone believes it is online (weak Wi-Fi): the page posts, the worker catches the failure.
    page.add_init_script("Object.defineProperty(Navigator.prototype, 'onLine', {get: () => true});")
    _open_today(page, live_server)
    page.reload()
    browser_context.set_offline(True)
    _rate(page, "Pain", 4)
    page.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.locator("#outbox-status")).to_contain_text("Saved on this phone, will send when you are online")
    expect(
        page.get_by_role("group", name=re.compile("^Pain")).get_by_role("radio", name="4", exact=True)
    ).to_be_checked()
    browser_context.set_offline(False)
    page.evaluate("FTOutbox.flush()")
    assert _scores(CheckIn.objects.get(user=owner, day=diary_day(owner))) == {"pain": 4}
    assert _waiting(page) == []


def test_taps_survive_back_forward_a_reload_and_a_new_visit(logged_in_page, live_server, owner):
    page = logged_in_page
    _open_today(page, live_server)
    _rate(page, "Pain", 6)
    page.get_by_label("Hours slept").fill("5.5")
    pain = page.get_by_role("group", name=re.compile("^Pain"))

    page.goto(live_server.url + reverse("diary:history"))
    page.go_back()
    expect(pain.get_by_role("radio", name="6", exact=True)).to_be_checked()
    page.reload()
    expect(pain.get_by_role("radio", name="6", exact=True)).to_be_checked()
    page.goto(live_server.url + reverse("diary:today"))
    expect(pain.get_by_role("radio", name="6", exact=True)).to_be_checked()
    expect(page.get_by_label("Hours slept")).to_have_value("5.5")

    page.get_by_role("button", name=re.compile("^Save")).click()
    page.get_by_text("Well done for checking in").wait_for()
    page.go_back()  # back to the filled form: it can be saved again
    page.go_forward()
    _rate(page, "Pain", 3)
    page.get_by_role("button", name=re.compile("^Save")).click()
    page.get_by_text("Well done for checking in").wait_for()
    assert _scores(CheckIn.objects.get(user=owner, day=diary_day(owner))) == {"pain": 3}


def test_the_check_in_comes_back_from_the_back_forward_cache_ready_to_save_again(
    _playwright_browser, live_server, owner
):
    # Playwright turns the back/forward cache off by default; a phone has it on.
    browser = _playwright_browser.browser_type.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, ignore_default_args=["--disable-back-forward-cache"]
    )
    try:
        context = browser.new_context(viewport={"width": 390, "height": 844})
        context.set_default_timeout(10_000)
        log_in(context, live_server.url, owner)
        page = context.new_page()
        _open_today(page, live_server)
        cdp = context.new_cdp_session(page)
        cdp.send("Page.enable")
        refused = []
        cdp.on("Page.backForwardCacheNotUsed", lambda event: refused.extend(event["notRestoredExplanations"]))
        page.evaluate("window.sameDocument = true")
        _rate(page, "Pain", 6)
        page.get_by_role("button", name=re.compile("^Save")).click()
        page.get_by_text("Well done for checking in").wait_for()

        page.go_back(wait_until="commit")
        page.wait_for_function("document.readyState === 'complete'")
        assert [r["reason"] for r in refused if r["type"] == "PageSupportNeeded"] == []  # e.g. no unload handler
        assert page.evaluate("window.sameDocument === true")  # restored, not reloaded
        save = page.get_by_role("button", name=re.compile("^Save"))
        expect(save).not_to_have_attribute("aria-disabled", "true")
        _rate(page, "Pain", 2)
        save.click()
        # The page still holds the version it was loaded with: the server asks rather than overwrite.
        expect(page.get_by_role("heading", name="This day was changed elsewhere")).to_be_visible()
        page.get_by_role("button", name="Keep my changes").click()
        page.get_by_text("Well done for checking in").wait_for()
        assert _scores(CheckIn.objects.get(user=owner, day=diary_day(owner))) == {"pain": 2}
    finally:
        browser.close()


def test_a_waiting_save_survives_a_new_session_and_waits_while_signed_out(
    logged_in_page, browser_context, live_server, owner
):
    page = logged_in_page
    _open_today(page, live_server)
    stale_token = page.locator("form[data-outbox] input[name=csrfmiddlewaretoken]").input_value()
    browser_context.set_offline(True)
    _rate(page, "Pain", 3)
    page.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.locator("#outbox-status")).to_contain_text("Waiting to send: 1")

    # Signed out meanwhile (the session expired): the entry waits, and says why.
    browser_context.clear_cookies()
    browser_context.set_offline(False)
    assert page.evaluate("FTOutbox.flush()") == ["login"]
    assert [s for s, _, _ in _waiting(page)] == ["waiting"]

    # Signed in again: a new session and CSRF cookie, so the form's old token is no good; it still goes.
    log_in(browser_context, live_server.url, owner)
    assert page.evaluate("FTOutbox.all()")[0]["fields"][0] == ["csrfmiddlewaretoken", stale_token]
    # The page may already be sending it on its own (the online event): then this flush finds
    # nothing to do. Either way the entry must leave the outbox as sent, not as failed.
    for _ in range(50):
        if page.evaluate("FTOutbox.flush()") == ["sent"] or not page.evaluate("FTOutbox.all()"):
            break
        page.wait_for_timeout(200)
    assert page.evaluate("FTOutbox.all()") == []
    assert _scores(CheckIn.objects.get(user=owner, day=diary_day(owner))) == {"pain": 3}
