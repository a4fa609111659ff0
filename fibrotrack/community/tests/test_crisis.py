"""Posts and messages that mention self-harm show crisis resources and reach the moderators."""

import pytest
from django.urls import reverse

from fibrotrack.community import crisis
from fibrotrack.community.actions.messages import do_send_message
from fibrotrack.community.actions.threads import do_start_thread
from fibrotrack.community.models import Forum, Report

from .conftest import client_for, join

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text",
    [
        "Some days I think about suicide",
        "I want to kill myself",
        "I don't want to be here anymore",
        "thinking about self-harm again",
        "Everyone would be better off without me",
        "I can't go on like this",
    ],
)
def test_detection(text):
    assert crisis.mentions_crisis(text)


@pytest.mark.parametrize("text", ["The pain is killing me today", "Cut my hair", "I was better off sleeping in"])
def test_everyday_words_do_not_trigger_it(text):
    assert not crisis.mentions_crisis(text)


def test_poster_and_readers_see_the_banner_and_moderators_get_a_report(owner, friend, sleep_group):
    join(owner, sleep_group)
    join(friend, sleep_group)
    client = client_for(owner)
    response = client.post(
        reverse("community:thread_new", args=["sleep"]),
        {"title": "Bad night", "body": "Honestly I don't want to be here anymore."},
        follow=True,
    )
    html = response.content.decode()
    assert "If you are struggling, help is there right now" in html
    assert "Samaritans" in html and "988" in html
    assert "You are not alone" in html
    reader = client_for(friend).get(response.redirect_chain[-1][0]).content.decode()
    assert "If you are struggling, help is there right now" in reader
    report = Report.objects.get()
    assert report.reason == "self_harm" and report.reporter is None


def test_resources_are_configurable(settings, owner, sleep_group):
    settings.COMMUNITY_CRISIS_RESOURCES = "Call **Lifeline NZ** on 0800 543 354."
    crisis._render.cache_clear()
    join(owner, sleep_group)
    thread = do_start_thread(owner, Forum.objects.get(slug="sleep"), "x", "I want to die")
    html = client_for(owner).get(thread.get_absolute_url()).content.decode()
    assert "<strong>Lifeline NZ</strong> on 0800 543 354" in html
    assert "Samaritans" not in html
    crisis._render.cache_clear()


def test_a_private_message_shows_the_banner_too(owner, friend):
    message = do_send_message(owner, friend, "I keep thinking about ending it all")
    html = client_for(friend).get(message.conversation.get_absolute_url()).content.decode()
    assert "help is there right now" in html
    assert Report.objects.get().message == message


def test_a_post_without_such_words_has_no_banner(owner, sleep_group):
    join(owner, sleep_group)
    thread = do_start_thread(owner, Forum.objects.get(slug="sleep"), "x", "Slept well for once")
    assert "help is there right now" not in client_for(owner).get(thread.get_absolute_url()).content.decode()
