"""Threads and replies: writing, quoting, mentions, editing, deleting, reactions, unread markers, speed."""

import pytest
from django.core import mail
from django.urls import reverse

from fibrotrack.community.actions.moderation import do_set_thread_flag
from fibrotrack.community.actions.posts import do_edit_post, do_reply
from fibrotrack.community.actions.reactions import do_react
from fibrotrack.community.actions.threads import do_start_thread
from fibrotrack.community.models import Notification, Post, PostRevision, Reaction, Thread, ThreadFollow

from .conftest import client_for, join, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def sleepers(owner, friend, sleep_group):
    join(owner, sleep_group)
    join(friend, sleep_group)
    return sleep_group


def _start(user, body="Opening post", title="How do you sleep?", forum_slug="sleep"):
    from fibrotrack.community.models import Forum

    return do_start_thread(user, Forum.objects.get(slug=forum_slug), title, body)


def test_starting_a_thread_stores_source_and_rendered_html(owner, owner_client, sleepers):
    response = owner_client.post(
        reverse("community:thread_new", args=["sleep"]), {"title": "  Night   routine ", "body": "**Warm** bath"}
    )
    thread = Thread.objects.get()
    assert response["Location"] == thread.get_absolute_url()
    assert thread.title == "Night routine"
    post = thread.posts.get()
    assert post.body == "**Warm** bath"
    assert post.html == "<p><strong>Warm</strong> bath</p>\n"
    assert ThreadFollow.objects.filter(user=owner, thread=thread).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "x"}, "The title is empty"),
        ({"title": "   ", "body": "x"}, "The title is empty"),
        ({"title": "t" * 151, "body": "x"}, "The title is too long"),
        ({"title": "Hi", "body": ""}, "Your post is empty"),
        ({"title": "Hi", "body": "x" * 20_001}, "Your post is too long: at most 20,000 characters"),
        ({"title": "Hi", "body": "Hello @Nobody"}, "Nobody here is called @nobody"),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(owner_client, sleepers, data, message):
    response = owner_client.post(reverse("community:thread_new", args=["sleep"]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Thread.objects.exists()


def test_an_ambiguous_mention_says_how_to_pick_one(owner_client, sleepers):
    a = person(display_name="Sam")
    b = person(display_name="sam")
    response = owner_client.post(reverse("community:thread_new", args=["sleep"]), {"title": "Hi", "body": "@Sam hi"})
    html = response.content.decode()
    assert response.status_code == 400
    assert f"@member-{a.pk}" in html and f"@member-{b.pk}" in html


def test_preview_shows_the_rendered_post_and_saves_nothing(owner_client, sleepers):
    response = owner_client.post(
        reverse("community:thread_new", args=["sleep"]), {"title": "T", "body": "*soft*", "preview": "1"}
    )
    assert response.status_code == 200
    assert "<em>soft</em>" in response.content.decode()
    assert not Thread.objects.exists()


def test_a_reply_notifies_followers_and_a_mention_notifies_the_person(owner, friend, sleepers):
    thread = _start(owner)
    third = person(display_name="Third")
    join(third, sleepers)
    do_reply(friend, thread, "Have you met @Third?")
    kinds = {(n.recipient_id, n.kind) for n in Notification.objects.all()}
    assert (owner.pk, "reply") in kinds
    assert (third.pk, "mention") in kinds
    assert (friend.pk, "reply") not in kinds
    mention = Notification.objects.get(kind="mention")
    assert mention.url.startswith("/community/p/")
    # Mentions are e-mailed straight away by default; the e-mail holds no post text.
    assert any("mentioned you" in m.subject for m in mail.outbox)
    assert all("Have you met" not in m.body for m in mail.outbox)


def test_quoting_prefills_the_reply_and_notifies_the_quoted_person(owner, friend, sleepers):
    thread = _start(owner, body="Magnesium helped me")
    first = thread.posts.get()
    client = client_for(friend)
    page = client.get(reverse("community:thread_reply", args=[thread.pk]) + f"?quote={first.pk}").content.decode()
    assert "&gt; @Owner wrote:" in page and "&gt; Magnesium helped me" in page
    ThreadFollow.objects.filter(user=owner).delete()
    client.post(
        reverse("community:thread_reply", args=[thread.pk]),
        {"body": "> @Owner wrote:\n> Magnesium\n\nMe too", "quote": first.pk},
    )
    reply = Post.objects.get(position=1)
    assert reply.quote_of == first
    assert "<blockquote>" in reply.html
    assert Notification.objects.filter(recipient=owner).count() == 1  # one notice, not a mention and a quote


def test_editing_keeps_history_for_moderators_only(owner, friend, moderator, sleepers):
    thread = _start(owner, body="First words")
    post = thread.posts.get()
    client = client_for(owner)
    response = client.post(reverse("community:post_edit", args=[post.pk]), {"title": "New title", "body": "Second"})
    assert response.status_code == 302
    post.refresh_from_db()
    thread.refresh_from_db()
    assert (post.body, post.edit_count, thread.title) == ("Second", 1, "New title")
    revision = PostRevision.objects.get()
    assert (revision.body, revision.title) == ("First words", "How do you sleep?")
    history = reverse("community:post_history", args=[post.pk])
    assert client_for(friend).get(history).status_code == 403
    assert client.get(history).status_code == 403
    assert "First words" in client_for(moderator).get(history).content.decode()


def test_only_the_author_can_edit_or_delete(owner, friend, sleepers):
    post = _start(owner).posts.get()
    client = client_for(friend)
    assert client.post(reverse("community:post_edit", args=[post.pk]), {"body": "hijack"}).status_code == 403
    assert client.post(reverse("community:post_delete", args=[post.pk])).status_code == 403
    post.refresh_from_db()
    assert post.body == "Opening post"


def test_deleting_a_reply_erases_its_text_and_history(owner, friend, sleepers):
    thread = _start(owner)
    reply = do_reply(friend, thread, "oops")
    do_edit_post(friend, reply, "oops, edited")
    client_for(friend).post(reverse("community:post_delete", args=[reply.pk]))
    reply.refresh_from_db()
    assert reply.is_deleted and reply.body == "" and reply.html == ""
    assert not PostRevision.objects.filter(post=reply).exists()
    html = client_for(owner).get(thread.get_absolute_url()).content.decode()
    assert "This post was deleted." in html and "oops" not in html


def test_deleting_the_first_post_of_a_lonely_thread_deletes_the_thread(owner, sleepers):
    thread = _start(owner)
    response = client_for(owner).post(reverse("community:post_delete", args=[thread.posts.get().pk]))
    assert response["Location"] == "/community/f/sleep/"
    assert not Thread.objects.exists()


def test_reactions_toggle_notify_and_cannot_be_given_to_oneself(owner, friend, sleepers):
    post = _start(owner).posts.get()
    client = client_for(friend)
    url = reverse("community:post_react", args=[post.pk])
    client.post(url, {"kind": "hug"})
    client.post(url, {"kind": "helpful"})
    assert set(Reaction.objects.values_list("kind", flat=True)) == {"hug", "helpful"}
    assert Notification.objects.filter(recipient=owner, kind="reaction").count() == 2
    client.post(url, {"kind": "hug"})
    assert list(Reaction.objects.values_list("kind", flat=True)) == ["helpful"]
    assert client_for(owner).post(url, {"kind": "hug"}).status_code == 403
    html = client.get(post.thread.get_absolute_url()).content.decode()
    assert 'value="helpful" aria-pressed="true"' in html


def test_locked_threads_refuse_replies_but_moderators_may(owner, friend, moderator, sleepers):
    thread = _start(owner)
    do_set_thread_flag(moderator, thread, "is_locked", True, "Heated")
    response = client_for(friend).post(reverse("community:thread_reply", args=[thread.pk]), {"body": "hey"})
    assert response.status_code == 403 and "locked" in response.content.decode()
    do_reply(moderator, thread, "Locking this, thanks all")


def test_pinned_threads_come_first(owner, sleepers, moderator):
    older = _start(owner, title="Older")
    _start(owner, title="Newer")
    do_set_thread_flag(moderator, older, "is_pinned", True)
    html = client_for(owner).get(reverse("community:forum", args=["sleep"])).content.decode()
    assert html.index("Older") < html.index("Newer")


def test_unread_markers_come_and_go(owner, friend, sleepers):
    thread = _start(owner)
    forum_url = reverse("community:forum", args=["sleep"])
    friend_client = client_for(friend)
    assert 'class="thread-item unread"' in friend_client.get(forum_url).content.decode()
    friend_client.get(thread.get_absolute_url())
    assert 'class="thread-item unread"' not in friend_client.get(forum_url).content.decode()
    do_reply(owner, thread, "Something new")
    assert 'class="thread-item unread"' in friend_client.get(forum_url).content.decode()
    page = friend_client.get(thread.get_absolute_url()).content.decode()
    assert 'class="post is-new"' in page
    friend_client.post(reverse("community:mark_all_read"))
    assert 'class="thread-item unread"' not in friend_client.get(forum_url).content.decode()


def test_long_threads_are_paginated_and_post_links_find_their_page(owner, friend, sleepers, settings):
    settings.COMMUNITY_FLOOD_POSTS = 1000
    thread = _start(owner)
    posts = [do_reply(friend, thread, f"reply number {i}") for i in range(45)]
    client = client_for(owner)
    page3 = client.get(thread.get_absolute_url() + "?page=3").content.decode()
    assert "reply number 44" in page3 and "reply number 10" not in page3
    response = client.get(reverse("community:post", args=[posts[25].pk]))
    assert response["Location"] == f"{thread.get_absolute_url()}?page=2#post-{posts[25].pk}"


def _thread_with(owner, friend, replies, settings):
    settings.COMMUNITY_FLOOD_POSTS = 10_000
    thread = _start(owner)
    for i in range(replies):
        post = do_reply(friend, thread, f"Reply {i} to @Owner")
        do_react(owner, post, "hug")
    return thread


def test_thread_page_query_count_does_not_grow_with_posts(
    owner, friend, sleepers, settings, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(owner)
    small = _thread_with(owner, friend, 1, settings)
    client.get(small.get_absolute_url())
    with CaptureQueriesContext(connection) as one:
        client.get(small.get_absolute_url())
    big = _thread_with(owner, friend, 40, settings)
    client.get(big.get_absolute_url())
    with CaptureQueriesContext(connection) as many:
        client.get(big.get_absolute_url())
    assert len(one) == len(many), [q["sql"] for q in many.captured_queries]
    with django_assert_max_num_queries(len(one)):
        client.get(big.get_absolute_url())


def test_forum_index_query_count_does_not_grow_with_threads(owner, friend, sleepers, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.COMMUNITY_FLOOD_POSTS = 10_000
    client = client_for(friend)
    url = reverse("community:forum", args=["sleep"])
    _start(owner, title="Only one")
    client.get(url)  # the first visit makes the profile
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(35):
        do_reply(friend, _start(owner, title=f"Thread {i}"), "reply")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(one) == len(many)


def test_following_a_thread_can_be_switched_off(owner, friend, sleepers):
    thread = _start(owner)
    client_for(owner).post(reverse("community:thread_follow", args=[thread.pk]), {"follow": "0"})
    do_reply(friend, thread, "hello")
    assert not Notification.objects.filter(recipient=owner).exists()


def test_a_thread_tagged_with_a_treatment_is_one_click_away(owner, owner_client, friend, sleepers):
    from fibrotrack.treatments.models import Treatment

    ldn = Treatment.objects.get(user=None, key="naltrexone")
    custom = Treatment.objects.create(user=owner, key="secret", name="My own remedy", category="medication")
    owner_client.post(
        reverse("community:thread_new", args=["sleep"]),
        {"title": "LDN and sleep", "body": "Vivid dreams?", "treatments": [str(ldn.pk)]},
    )
    thread = Thread.objects.get()
    assert list(thread.treatments.all()) == [ldn]
    do_start_thread(owner, thread.forum, "Custom one", "x", treatment_ids=[custom.pk])
    assert not Thread.objects.get(title="Custom one").treatments.exists()  # private entries never tag threads
    forum_html = client_for(friend).get(reverse("community:forum", args=["sleep"])).content.decode()
    link = reverse("community:treatment", args=[ldn.key])
    assert f'href="{link}"' in forum_html
    page = client_for(friend).get(link).content.decode()
    assert "LDN and sleep" in page and "Custom one" not in page
    assert client_for(friend).get(reverse("community:treatment", args=[custom.key])).status_code == 404


def test_pages_are_noindex_unless_the_deployment_allows_indexing(owner_client, settings):
    response = owner_client.get(reverse("community:index"))
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    settings.COMMUNITY_ALLOW_INDEXING = True
    response = owner_client.get(reverse("community:index"))
    assert "X-Robots-Tag" not in response
    assert 'name="robots"' not in response.content.decode()
