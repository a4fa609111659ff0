"""On a phone: share my outcomes, see myself counted after the nightly job, stop, see it gone after the next."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fibrotrack.knowledge.outcomes_actions import do_compute_outcomes
from fibrotrack.knowledge.tests.seed import TODAY, add_course, sharing_person
from fibrotrack.lib.testing.browser import serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_opt_in_be_counted_opt_out_be_gone(logged_in_page, live_server, owner):
    page = logged_in_page
    add_course(owner, "pregabalin", before=7, after=4)
    for _ in range(9):
        sharing_person(before=6, after=3)
    do_compute_outcomes(TODAY)
    page.goto(f"{live_server.url}/knowledge/what-worked/pregabalin/")
    expect(page.get_by_text("Fewer than 10 people share their outcomes for this treatment")).to_be_visible()

    page.goto(f"{live_server.url}/knowledge/what-worked/share/")
    expect(page.get_by_text("You are not sharing your outcomes.")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    button = page.get_by_role("button", name="Share my outcomes anonymously")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44
    button.click()
    expect(page.get_by_text("You are sharing your outcomes.")).to_be_visible()
    expect(page.get_by_text("Not counted yet")).to_be_visible()

    do_compute_outcomes(TODAY)  # the nightly job
    page.reload()
    expect(page.get_by_text("for 1 treatment: Pregabalin.")).to_be_visible()
    page.goto(f"{live_server.url}/knowledge/what-worked/pregabalin/")
    expect(page.get_by_text("About 10 people tracked it.")).to_be_visible()
    expect(page.get_by_text("not a controlled trial", exact=False)).to_be_visible()
    assert serious_accessibility_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.goto(f"{live_server.url}/knowledge/what-worked/share/")
    page.get_by_role("button", name="Stop sharing my outcomes").click()
    expect(page.get_by_text("You are not sharing your outcomes.")).to_be_visible()
    expect(page.get_by_text("still include you until the next computation")).to_be_visible()

    do_compute_outcomes(TODAY)
    page.goto(f"{live_server.url}/knowledge/what-worked/pregabalin/")
    expect(page.get_by_text("Fewer than 10 people share their outcomes for this treatment")).to_be_visible()
    page.goto(f"{live_server.url}/knowledge/what-worked/share/")
    expect(page.get_by_text("still include you")).to_have_count(0)
