"""Flood control, new-account limits and the word filter."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from fibrotrack.community.actions.messages import do_send_message
from fibrotrack.community.actions.posts import do_reply
from fibrotrack.community.actions.threads import do_start_thread
from fibrotrack.community.models import Forum, Message, Post, Thread
from fibrotrack.lib.testing.factories import UserFactory

from .conftest import client_for, join

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(owner, friend, sleep_group):
    join(owner, sleep_group)
    join(friend, sleep_group)
    return do_start_thread(owner, Forum.objects.get(slug="sleep"), "Burst", "Start")


def test_a_burst_of_posts_trips_flood_control(thread, friend):
    client = client_for(friend)
    url = reverse("community:thread_reply", args=[thread.pk])
    statuses = [client.post(url, {"body": f"message {i}"}).status_code for i in range(6)]
    assert statuses == [302] * 5 + [400]
    last = client.post(url, {"body": "still here?"})
    assert "You are posting very quickly" in last.content.decode()
    assert "still here?" in last.content.decode()  # the text is kept for a retry
    assert Post.objects.filter(author=friend).count() == 5
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61)):
        assert client.post(url, {"body": "after a minute"}).status_code == 302


def test_flood_control_applies_to_private_messages(owner, friend):
    for i in range(10):
        message = do_send_message(owner, friend, f"hi {i}")
    response = client_for(owner).post(message.conversation.get_absolute_url(), {"body": "again"})
    assert response.status_code == 400
    assert "You are sending messages very quickly: at most 10 in 60 seconds" in response.content.decode()
    assert "again" in response.content.decode()  # the text is kept for a retry
    assert Message.objects.filter(sender=owner).count() == 10
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="sending messages very quickly"):
        do_send_message(owner, friend, "one more")


def test_new_accounts_can_start_few_threads_and_post_few_links(sleep_group):
    newcomer = UserFactory(display_name="Newbie")  # joined just now
    join(newcomer, sleep_group)
    forum = Forum.objects.get(slug="sleep")
    client = client_for(newcomer)
    url = reverse("community:thread_new", args=["sleep"])
    links = "https://a.example https://b.example https://c.example"
    response = client.post(url, {"title": "Links", "body": links})
    assert response.status_code == 400 and "New accounts can include up to 2 links" in response.content.decode()
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        for i in range(3):
            traveller.shift(dt.timedelta(minutes=5))
            do_start_thread(newcomer, forum, f"Hello {i}", "Hi all")
        traveller.shift(dt.timedelta(minutes=5))
        response = client.post(url, {"title": "Fourth", "body": "Hi"})
    assert response.status_code == 400 and "New accounts can start 3 threads a day" in response.content.decode()
    assert Thread.objects.filter(author=newcomer).count() == 3


def test_blocked_words_are_refused_everywhere(settings, thread, friend, owner):
    settings.COMMUNITY_BLOCKED_WORDS = ["buy-pills-now", "scam*"]
    client = client_for(friend)
    response = client.post(reverse("community:thread_reply", args=[thread.pk]), {"body": "Visit buy-pills-now today"})
    assert response.status_code == 400
    assert "contains words this community does not allow: buy-pills-now" in response.content.decode()
    response = client.post(reverse("community:thread_new", args=["sleep"]), {"title": "Scammers", "body": "x"})
    assert "The title contains words this community does not allow: scammers" in response.content.decode()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        do_send_message(friend, owner, "scam alert")
    assert do_reply(friend, thread, "buy-pills-nowhere is fine")  # whole words only


def test_censored_words_are_masked_on_the_page(settings, thread, friend, owner):
    settings.COMMUNITY_CENSORED_WORDS = ["bloody"]
    do_reply(friend, thread, "This bloody pain")
    html = client_for(owner).get(thread.get_absolute_url()).content.decode()
    assert "bloody" not in html and "This ■■■■■■ pain" in html
