"""Dark mode and large text in a real browser: axe in both themes, no sideways scrolling, the setting applied."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from fibrotrack.lib.demo import build_demo
from fibrotrack.lib.testing.browser import log_in, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAIN_PAGES = [
    "diary:today",
    "diary:history",
    "reports:dashboard",
    "treatments:list",
    "trials:list",
    "accounts:settings",
    "community:index",
]
LIGHT_BG, DARK_BG = "rgb(253, 252, 250)", "rgb(18, 20, 23)"


def _background(page):
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def _demo_page(browser_context, live_server):
    user, _ = build_demo("demo@example.org", "a demo passphrase 42", days=60)
    log_in(browser_context, live_server.url, user)
    return browser_context.new_page()


def test_the_main_pages_pass_axe_in_light_and_dark(browser_context, live_server):
    page = _demo_page(browser_context, live_server)
    problems = {}
    for scheme, background in [("light", LIGHT_BG), ("dark", DARK_BG)]:
        page.emulate_media(color_scheme=scheme)
        for name in MAIN_PAGES:
            page.goto(live_server.url + reverse(name))
            assert _background(page) == background, (scheme, name)
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
            found = serious_accessibility_violations(page)
            if found:
                problems[f"{scheme} {name}"] = found
        # The "More" sheet, open.
        page.goto(live_server.url + reverse("diary:today") + "#menu")
        found = serious_accessibility_violations(page)
        if found:
            problems[f"{scheme} menu"] = found
    assert problems == {}


def test_the_sign_in_page_follows_the_device_and_passes_axe(page, live_server):
    for scheme, background in [("light", LIGHT_BG), ("dark", DARK_BG)]:
        page.emulate_media(color_scheme=scheme)
        page.goto(live_server.url + reverse("account_login"))
        assert page.evaluate("document.documentElement.dataset.theme") == "auto"
        assert _background(page) == background
        assert serious_accessibility_violations(page) == []


def _overflowing(page):
    """What sticks out past the right edge of the screen, if anything (folded-away content excluded)."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const out = [];
          if (document.documentElement.scrollWidth > width) out.push('page ' + document.documentElement.scrollWidth);
          for (const el of document.querySelectorAll('main *, header *, footer *')) {
            if (!el.checkVisibility()) continue;
            const box = el.getBoundingClientRect();
            let scroller = el.parentElement;
            while (scroller && !['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX)) scroller = scroller.parentElement;
            if (!scroller && box.right > width + 1) out.push(el.tagName + '.' + el.className);
            // Clipped text: a label or link whose text is wider than its own box.
            if (['A', 'BUTTON', 'LABEL', 'LEGEND', 'SUMMARY'].includes(el.tagName)
                && getComputedStyle(el).overflowX === 'hidden' && el.scrollWidth > el.clientWidth + 1) out.push('clipped ' + el.tagName);
          }
          return out.slice(0, 5);
        }"""
    )


@pytest.mark.parametrize(("width", "root_size"), [(320, ""), (390, "200%")])
def test_no_sideways_scrolling_at_320_px_or_with_text_at_200_percent(browser_context, live_server, width, root_size):
    page = _demo_page(browser_context, live_server)
    page.set_viewport_size({"width": width, "height": 844})
    problems = {}
    for name in MAIN_PAGES:
        page.goto(live_server.url + reverse(name))
        if root_size:
            page.evaluate(f"document.documentElement.style.fontSize = '{root_size}'")
        found = _overflowing(page)
        if found:
            problems[name] = found
    assert problems == {}


def test_large_text_moves_the_tabs_into_the_header_where_they_wrap(logged_in_page, live_server):
    page = logged_in_page
    page.goto(live_server.url + reverse("diary:today"))
    tabs = page.get_by_role("navigation", name="Main")
    assert page.evaluate("getComputedStyle(document.querySelector('.tabbar')).position") == "fixed"
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    assert page.evaluate("getComputedStyle(document.querySelector('.tabbar')).position") == "static"
    for link in tabs.get_by_role("link").all():
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_the_settings_override_beats_the_device(logged_in_page, live_server, owner):
    page = logged_in_page
    page.emulate_media(color_scheme="light")
    page.goto(live_server.url + reverse("accounts:settings"))
    page.get_by_label("Light or dark").select_option("dark")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert _background(page) == DARK_BG
    owner.refresh_from_db()
    assert owner.theme == "dark"

    page.emulate_media(color_scheme="dark")
    page.get_by_label("Light or dark").select_option("light")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
    assert _background(page) == LIGHT_BG
    # Every page, from the first paint: the theme comes with the HTML, not from a script.
    page.goto(live_server.url + reverse("diary:history"))
    assert _background(page) == LIGHT_BG
