"""The body map's tap targets are big enough to hit (WCAG 2.2 target size), measured in Chromium."""

import re

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MIN_TARGET = 24  # CSS px, WCAG 2.2 success criterion 2.5.8


def _targets(page):
    """Every tap target of the body map: each part of the figure and each labelled checkbox."""
    boxes = []
    for kind, selector in (("figure", ".bodymap-figure [data-region]"), ("label", "label.region")):
        items = page.locator(selector)
        for i in range(items.count()):
            item = items.nth(i)
            name = item.get_attribute("data-region") or item.inner_text().strip()
            boxes.append((kind, name, item.bounding_box()))
    return boxes


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 800)], ids=["phone", "desktop"])
def test_every_body_map_target_is_at_least_24_css_px_square(logged_in_page, live_server, width, height, tmp_path):
    page = logged_in_page
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + reverse("diary:today"))
    page.get_by_text("Where does it hurt?").first.click()
    targets = _targets(page)
    assert {name for kind, name, _ in targets if kind == "figure"} >= {"jaw_l", "jaw_r", "neck", "lower_back"}
    assert len([t for t in targets if t[0] == "label"]) == 19
    small = [
        f"{kind} {name}: {box['width']:.0f}x{box['height']:.0f}"
        for kind, name, box in targets
        if box is None or box["width"] < MIN_TARGET or box["height"] < MIN_TARGET
    ]
    assert not small, small
    # For a person to look at: pytest keeps the last few runs' tmp_path.
    page.locator(".bodymap-details").screenshot(path=tmp_path / f"bodymap-{width}.png")


def test_tapping_the_jaw_on_a_phone_ticks_the_jaw_and_nothing_else(logged_in_page, live_server):
    page = logged_in_page
    page.goto(live_server.url + reverse("diary:today"))
    page.get_by_text("Where does it hurt?").first.click()
    regions = page.get_by_role("group", name=re.compile("^Where does it hurt"))
    for region, label in (("jaw_r", "Right jaw"), ("jaw_l", "Left jaw"), ("neck", "Neck")):
        part = page.locator(f".bodymap-figure .front [data-region={region}]")
        part.scroll_into_view_if_needed()
        box = part.bounding_box()
        # A finger lands near the edge of a target as often as on its centre.
        page.mouse.click(box["x"] + box["width"] * 0.85, box["y"] + box["height"] * 0.85)
        assert [c.get_attribute("value") for c in regions.locator("input:checked").all()] == [region], label
        regions.get_by_role("checkbox", name=label).uncheck()
