"""Issue 21: every word of the community's pages and e-mails is marked for translation (pseudo-locale ⟦…⟧).

The people's own words (names, titles, posts, reasons they typed) are data and are passed as ``ignore``.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from fibrotrack.community.actions.bans import do_warn
from fibrotrack.community.actions.messages import do_send_message
from fibrotrack.community.actions.newsletter import do_request_newsletter
from fibrotrack.community.actions.posts import do_reply
from fibrotrack.community.actions.reactions import do_react
from fibrotrack.community.actions.reports import do_report
from fibrotrack.community.actions.threads import do_follow_thread, do_start_thread
from fibrotrack.community.emails import send_digest
from fibrotrack.community.models import EmailChoice, EmailPreferences, Notification, Report
from fibrotrack.community.reference import COMMON_RULES
from fibrotrack.community.tests.conftest import join
from fibrotrack.lib.testing.i18n import PSEUDO, pseudo_locale, untranslated_text
from fibrotrack.treatments.models import Treatment

pytestmark = pytest.mark.django_db
IN_PSEUDO = {"HTTP_ACCEPT_LANGUAGE": PSEUDO}
TITLE, FIRST, REPLY = "Waking at 3 every night", "Does anyone else wake at 3?", "Yes, most nights."


@pytest.fixture
def pseudo():
    with pseudo_locale():
        yield


@pytest.fixture
def world(owner, friend, moderator, sleep_group):
    """A thread in the Sleep group with a reply, a reaction, a follow and a report waiting for moderators."""
    join(owner, sleep_group)
    join(friend, sleep_group)
    thread = do_start_thread(owner, sleep_group.forum, TITLE, FIRST)
    reply = do_reply(friend, thread, REPLY)
    do_react(owner, reply, "hug")
    do_follow_thread(owner, thread, True)
    do_report(owner, reason=Report.Reason.SPAM, details="Looks like an advert", post=reply)
    return {"thread": thread, "reply": reply}


def _page(client, url, status=200):
    response = client.get(url, **IN_PSEUDO)
    assert response.status_code == status, url
    # A sentence with a link or emphasis inside is one translation around inline tags: read it as one text.
    return re.sub(r"</?(?:a|strong|em|time)\b[^>]*>", "", response.content.decode())


def _without_rules(found):
    """The seeded rules are one translated Markdown text, which the pseudo-locale's brackets split per line."""

    def plain(text):
        return " ".join(text.split()).removeprefix("- ").replace("'", "’")

    lines = {plain(line) for line in f"⟦{COMMON_RULES}⟧".splitlines()}
    return [text for text in found if plain(text) not in lines]


def _people(*users):
    return [u.public_name for u in users]


def test_the_community_front_page_and_a_group_have_no_untranslated_word(owner, owner_client, friend, world, pseudo):
    ignore = [*_people(owner, friend), TITLE]
    page = _page(owner_client, reverse("community:index"))
    assert "⟦Your groups⟧" in page and "⟦Sleep⟧" in page  # a seeded group's name is translated too
    assert untranslated_text(page, ignore=ignore) == []
    for name in ("community:forum", "community:group_about", "community:group_members"):
        slug = world["thread"].forum.slug if name == "community:forum" else "sleep"
        page = _page(owner_client, reverse(name, args=[slug]))
        found = _without_rules(untranslated_text(page, ignore=ignore))
        assert found == [], (name, [repr(x) for x in found])
    assert "⟦- Be kind." in _page(owner_client, reverse("community:group_about", args=["sleep"]))


def test_a_thread_has_no_untranslated_word_for_its_author_and_a_moderator(
    owner, owner_client, friend, moderator, moderator_client, world, pseudo
):
    url = reverse("community:thread", args=[world["thread"].pk])
    ignore = [*_people(owner, friend, moderator), TITLE, FIRST, REPLY]
    page = _page(owner_client, url)
    assert "⟦Reply⟧" in page and "⟦Hug⟧" in page
    assert untranslated_text(page, ignore=ignore) == []
    page = _page(moderator_client, url)
    assert "⟦Moderator tools for this thread⟧" in page
    assert untranslated_text(page, ignore=ignore) == []


def test_profiles_feed_and_notifications_have_no_untranslated_word(owner, owner_client, friend, world, pseudo):
    do_send_message(friend, owner, "Thinking of you")
    catalogue = list(Treatment.objects.filter(user=None).values_list("name", flat=True))  # international names
    # Notifications keep the words they were written in (here English: the owner had chosen no language yet).
    written = list(Notification.objects.values_list("text", flat=True))
    ignore = [*_people(owner, friend), TITLE, FIRST, REPLY, "Thinking of you", *catalogue, *written]
    for url in (
        reverse("community:profile", args=[owner.pk]),
        reverse("community:profile", args=[friend.pk]),
        reverse("community:profile_edit"),
        reverse("community:feed"),
        reverse("community:notifications"),
        reverse("community:inbox"),
        reverse("community:email_settings"),
        reverse("community:cards"),
        reverse("community:my_moderation"),
        reverse("community:search") + "?q=night",
    ):
        assert untranslated_text(_page(owner_client, url), ignore=ignore) == [], url


def test_the_moderation_queue_report_and_person_pages_have_no_untranslated_word(
    owner, friend, moderator, moderator_client, world, pseudo
):
    do_warn(moderator, friend, "Please no adverts")
    report = Report.objects.get()
    ignore = [*_people(owner, friend, moderator), TITLE, REPLY, "Looks like an advert", "Please no adverts"]
    for url in (
        reverse("community:mod_queue"),
        reverse("community:mod_report", args=[report.pk]),
        reverse("community:mod_person", args=[friend.pk]),
        reverse("community:mod_log"),
        reverse("community:admin_groups"),
    ):
        page = _page(moderator_client, url)
        assert "⟦" in page
        assert untranslated_text(page, ignore=ignore) == [], url


def test_a_refusal_and_a_saved_message_are_translated(owner, owner_client, friend, world, pseudo):
    response = owner_client.post(
        reverse("community:thread_follow", args=[world["thread"].pk]), {"follow": "0"}, follow=True, **IN_PSEUDO
    )
    assert [str(m) for m in response.context["messages"]] == ["⟦You will not be told about new replies.⟧"]
    page = _page(owner_client, reverse("community:message_new", args=[owner.pk]), status=403)  # to oneself
    assert "⟦You cannot send a message to yourself.⟧" in page
    assert untranslated_text(page, ignore=_people(owner)) == []


def _words_of(body: str, *data: str) -> str:
    """An e-mail body without its links and the people's data: what is left must be wrapped."""
    for item in data:
        body = body.replace(item, " ")
    body = re.sub(r"https?://\S+", " ", body)
    return body


def _unwrapped(body: str) -> list[str]:
    left = []
    for line in body.splitlines():
        rest, previous = line, ""
        while rest != previous:
            rest, previous = re.sub(r"⟦[^⟦⟧]*⟧", " ", rest), rest
        rest = re.sub(r"\bFibroTrack\b|^--$|^- ", " ", rest.strip())
        if re.search(r"[^\W\d_]", rest):
            left.append(line)
    return left


def test_the_e_mails_are_in_the_recipients_language_with_no_untranslated_word(owner, friend, world, pseudo):
    owner.language = PSEUDO
    owner.save()
    EmailPreferences.objects.update_or_create(user=owner, defaults={"reply": EmailChoice.IMMEDIATE})
    mail.outbox.clear()
    with translation.override("en"):  # the replying person's request is in English
        do_reply(friend, world["thread"], "Same here.")
    notification = Notification.objects.filter(recipient=owner, kind=Notification.Kind.REPLY).latest("created_at")
    assert notification.text == f"⟦{friend.public_name} replied in “{TITLE}”⟧"
    [message] = mail.outbox
    assert message.subject.endswith(notification.text)
    data = (owner.public_name, friend.public_name, TITLE)
    assert _unwrapped(_words_of(message.body, *data)) == []

    mail.outbox.clear()
    # What was written before the person chose a language stays in the words it was written in.
    Notification.objects.filter(recipient=owner).update(read_at=timezone.now())
    EmailPreferences.objects.filter(user=owner).update(reply=EmailChoice.DAILY)
    with translation.override("en"):
        do_reply(friend, world["thread"], "And again.")
        assert send_digest.call(owner.pk) >= 1
    [digest] = mail.outbox
    assert "⟦Your daily community digest:" in digest.subject
    assert _unwrapped(_words_of(digest.body, *data)) == []

    mail.outbox.clear()
    with translation.override("en"):
        do_request_newsletter(owner)
    [confirm] = mail.outbox
    assert confirm.subject.startswith("[") and "⟦Please confirm your newsletter subscription⟧" in confirm.subject
    assert _unwrapped(_words_of(confirm.body, *data)) == []


def test_a_notification_is_stored_in_the_recipients_language_not_the_actors(owner, friend, world):
    owner.language = "de"
    owner.save()
    with translation.override("es"):
        do_reply(friend, world["thread"], "Yo también.")
    text = Notification.objects.filter(recipient=owner, kind=Notification.Kind.REPLY).latest("created_at").text
    assert text == f"{friend.public_name} hat in „{TITLE}“ geantwortet"
