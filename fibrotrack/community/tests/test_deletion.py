"""Leaving: posts deleted, or kept with no link to the person at all."""

import pytest
from django.apps import apps

from fibrotrack.accounts.actions import do_delete_account
from fibrotrack.community.actions.bans import do_warn
from fibrotrack.community.actions.messages import do_send_message
from fibrotrack.community.actions.posts import do_edit_post, do_reply
from fibrotrack.community.actions.reactions import do_react
from fibrotrack.community.actions.reports import do_report
from fibrotrack.community.actions.threads import do_start_thread
from fibrotrack.community.models import Forum, ModerationAction, Post, PostRevision, ProgressCard, Reaction, Thread

from .conftest import join

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation_world(owner, friend, sleep_group):
    join(owner, sleep_group)
    join(friend, sleep_group)
    forum = Forum.objects.get(slug="sleep")
    shared = do_start_thread(owner, forum, "Owner's shared thread", "Owner opens")
    do_reply(friend, shared, "Friend answers @Owner")
    lonely = do_start_thread(owner, forum, "Owner's lonely thread", "Nobody answered")
    friends_thread = do_start_thread(friend, forum, "Friend's thread", "Friend opens")
    reply = do_reply(owner, friends_thread, "Owner replies in friend's thread")
    do_edit_post(owner, reply, "Owner replies, edited")
    do_react(owner, friends_thread.posts.get(position=0), "hug")
    ProgressCard.objects.create(owner=owner, post=reply, title="chart", svg="<svg></svg>")
    do_send_message(owner, friend, "a private word")
    return {"shared": shared, "lonely": lonely, "friends": friends_thread}


def _delete(user, keep_posts):
    do_delete_account(user, keep_posts=keep_posts)


@pytest.mark.parametrize("choice", ["keep", "delete"])
def test_the_delete_account_page_honours_the_choice_about_posts(owner, conversation_world, choice):
    from django.test import Client
    from django.urls import reverse

    from fibrotrack.lib.testing.factories import PASSWORD

    client = Client()
    client.force_login(owner)
    response = client.post(reverse("accounts:delete"), {"posts": choice, "confirm": "DELETE", "password": PASSWORD})
    assert response.status_code == 302
    assert Post.objects.filter(body="Nobody answered").exists() is (choice == "keep")


def test_keeping_posts_leaves_them_with_no_link_to_the_person(owner, conversation_world):
    _delete(owner, keep_posts=True)
    assert Thread.objects.count() == 3
    kept = Post.objects.filter(body__in=["Owner opens", "Nobody answered", "Owner replies, edited"])
    assert kept.count() == 3 and all(p.author_id is None for p in kept)
    assert not PostRevision.objects.exists() and not ProgressCard.objects.exists()
    assert Thread.objects.filter(author=None).count() == 2
    assert not Reaction.objects.exists()
    assert Thread.objects.get(pk=conversation_world["friends"].pk).last_poster is None


def test_deleting_posts_keeps_other_peoples_replies(owner, friend, conversation_world):
    _delete(owner, keep_posts=False)
    assert not Post.objects.filter(body__startswith="Owner").exists()
    assert not Thread.objects.filter(pk=conversation_world["lonely"].pk).exists()
    shared = Thread.objects.get(pk=conversation_world["shared"].pk)
    assert shared.title == "A thread whose author left" and shared.author is None
    assert shared.posts.get(position=0).is_deleted
    assert shared.posts.get(position=1).body == "Friend answers @Owner"
    friends = Thread.objects.get(pk=conversation_world["friends"].pk)
    assert friends.post_count == 1 and friends.last_poster == friend


def test_no_row_in_any_community_table_points_at_a_deleted_person(owner, moderator, friend, conversation_world):
    do_warn(moderator, owner, "be kind")
    do_report(friend, person=owner, reason="spam")
    owner_id = owner.pk
    _delete(owner, keep_posts=True)
    user_model = apps.get_model("accounts", "User")
    for model in apps.get_app_config("community").get_models():
        for field in model._meta.get_fields():
            if getattr(field, "related_model", None) is user_model and field.concrete:
                assert not model.objects.filter(**{field.attname: owner_id}).exists(), f"{model.__name__}.{field.name}"
    assert ModerationAction.objects.filter(action="warn", target_user=None).exists()  # the log outlives accounts
