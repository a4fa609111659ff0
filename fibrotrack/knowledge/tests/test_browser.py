"""In a real browser: find an article by search, comment, report the comment, and a moderator hides it."""

import re

import pytest
from django.urls import reverse

from fibrotrack.lib.testing.browser import log_in, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def new_page(_playwright_browser, live_server):
    contexts = []

    def make(user=None):
        context = _playwright_browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
        context.set_default_timeout(10_000)
        contexts.append(context)
        if user is not None:
            log_in(context, live_server.url, user)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_search_comment_report_and_moderate(new_page, live_server, articles, member, other_member, moderator):
    base = live_server.url
    page = new_page(member)
    page.goto(base + reverse("knowledge:list"))
    page.get_by_role("searchbox", name="Search the articles").fill("opioid painkillers")
    page.get_by_role("button", name="Show articles").click()
    page.get_by_role("link", name="Low-dose naltrexone (LDN)").click()
    page.get_by_text("EULAR 2017: not assessed").wait_for()
    page.get_by_role("note", name="Safety").get_by_text("Naltrexone blocks opioid painkillers").wait_for()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Your comment").fill("Buy my miracle LDN powder here")
    page.get_by_role("button", name="Post comment").click()
    page.get_by_text("Posted. Thank you for sharing.").wait_for()
    page.get_by_text("Buy my miracle LDN powder here").wait_for()

    reader = new_page(other_member)
    reader.goto(base + reverse("knowledge:article", args=["naltrexone"]))
    reader.get_by_role("link", name="Report this comment").click()
    reader.get_by_label("Medical misinformation").check()
    reader.get_by_label("Anything the moderators should know (optional)").fill("Selling powder")
    reader.get_by_role("button", name="Send report").click()
    reader.get_by_text("Thank you. The moderators will look at it").wait_for()

    mod = new_page(moderator)
    mod.goto(base + reverse("community:mod_queue"))
    mod.get_by_role("link", name=re.compile("Medical misinformation")).click()
    mod.get_by_text("Selling powder").wait_for()
    mod.get_by_label("Reason (the person will see it)").fill("Selling")
    mod.get_by_role("button", name="Hide the post").click()
    mod.get_by_text("The post is hidden and the report closed.").wait_for()

    reader.goto(base + reverse("knowledge:article", args=["naltrexone"]))
    reader.get_by_role("heading", name="Comments").wait_for()
    assert "miracle LDN powder" not in reader.content()

    anonymous = new_page()
    anonymous.goto(base + reverse("knowledge:article", args=["naltrexone"]))
    anonymous.get_by_role("link", name="Sign in to read and comment").wait_for()
    assert serious_accessibility_violations(anonymous) == []
