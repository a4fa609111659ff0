"""In a real browser: a site admin sets up a group and its moderator; an author retags their thread."""

import re

import pytest
from django.urls import reverse

from fibrotrack.community.actions.threads import do_start_thread
from fibrotrack.community.models import Forum, Membership, SupportGroup, Thread
from fibrotrack.lib.testing.browser import log_in, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone_page(_playwright_browser, live_server):
    contexts = []

    def make(user):
        context = _playwright_browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
        context.set_default_timeout(10_000)
        contexts.append(context)
        log_in(context, live_server.url, user)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_a_site_admin_creates_a_group_and_appoints_its_moderator(phone_page, live_server, moderator, friend):
    page = phone_page(moderator)
    page.goto(live_server.url + reverse("community:mod_queue"))
    page.get_by_role("link", name="Groups and their moderators").click()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name="Create a group").click()
    page.get_by_label("Name", exact=True).fill("Flares at work")
    page.get_by_label("Description", exact=True).fill("Managing fibromyalgia and a job.")
    page.get_by_role("group", name="Who can join").get_by_label(re.compile("^Private")).check()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Create group and its forum").click()
    page.get_by_text("Flares at work is created, with its forum.").wait_for()
    group = SupportGroup.objects.get(slug="flares-at-work")
    assert group.is_private and Forum.objects.filter(group=group, slug="flares-at-work").exists()

    page.get_by_label("Appoint a moderator").fill("Friend")
    page.get_by_role("button", name="Appoint moderator").click()
    page.get_by_text("Friend is now a moderator of Flares at work.").wait_for()
    assert Membership.objects.get(group=group, user=friend).role == Membership.Role.MODERATOR
    assert serious_accessibility_violations(page) == []


def test_an_author_tags_their_thread_with_a_treatment_afterwards(phone_page, live_server, owner, sleep_group):
    Membership.objects.create(group=sleep_group, user=owner)
    thread = do_start_thread(owner, Forum.objects.get(slug="sleep"), "Dreams on LDN", "Vivid dreams?")
    page = phone_page(owner)
    page.goto(live_server.url + thread.get_absolute_url())
    page.get_by_role("link", name="Tag treatments of this thread").click()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("group", name="Medications").get_by_label("Naltrexone (LDN)").check()
    page.get_by_role("button", name="Save treatments").click()
    page.get_by_text("Saved. The thread now shows on the pages about Naltrexone (LDN).").wait_for()
    page.get_by_role("link", name="Naltrexone (LDN)").click()
    page.get_by_role("heading", name="Everything about Naltrexone (LDN)").wait_for()
    page.get_by_role("link", name="Dreams on LDN").wait_for()
    assert list(Thread.objects.get().treatments.values_list("key", flat=True)) == ["naltrexone"]
