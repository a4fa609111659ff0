"""The per-request permission object: each piece of state worked out once, and never kept past the request."""

import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fibrotrack.community.access.permissions import UserPermissions, get_permissions, permissions_for
from fibrotrack.community.actions.bans import do_ban
from fibrotrack.community.actions.posts import do_reply
from fibrotrack.community.actions.social import do_block
from fibrotrack.community.actions.threads import do_start_thread
from fibrotrack.community.models import Forum

from .conftest import client_for, join

pytestmark = pytest.mark.django_db

STATE = ("is_global_moderator", "memberships", "bans", "blocked_ids", "visible_forum_ids", "moderated_group_ids")


@pytest.fixture
def sleepers(owner, friend, sleep_group):
    join(owner, sleep_group)
    join(friend, sleep_group)
    return sleep_group


@pytest.fixture
def thread(owner, sleepers):
    return do_start_thread(owner, Forum.objects.get(slug="sleep"), "How do you sleep?", "Opening post")


def _request_for(user):
    request = RequestFactory().get("/community/")
    request.user = user
    return request


def _reads_of(table, queries):
    return [q["sql"] for q in queries if re.search(rf'FROM "{table}"', q["sql"]) and "INSERT" not in q["sql"]]


def test_each_piece_of_state_is_worked_out_once(friend, sleepers):
    permissions = UserPermissions(friend)
    for name in STATE:
        with CaptureQueriesContext(connection) as first:
            getattr(permissions, name)
        with CaptureQueriesContext(connection) as again:
            getattr(permissions, name)
        assert len(again) == 0, (name, again.captured_queries)
        if name == "moderated_group_ids":
            assert len(first) == 0  # derived from the memberships already read
        else:
            assert len(first) >= 1, name


def test_a_page_reads_memberships_bans_and_blocks_once(friend, thread):
    client = client_for(friend)
    client.get(thread.get_absolute_url())  # the first visit makes the profile
    with CaptureQueriesContext(connection) as page:
        response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    queries = page.captured_queries
    assert len(_reads_of("community_membership", queries)) == 1
    assert len(_reads_of("community_ban", queries)) == 1
    assert len(_reads_of("community_block", queries)) == 1


def test_an_action_given_the_requests_permissions_asks_nothing_again(friend, thread):
    permissions = UserPermissions(friend)
    for name in STATE:
        getattr(permissions, name)
    with CaptureQueriesContext(connection) as writing:
        do_reply(friend, thread, "A reply", permissions=permissions)
    queries = writing.captured_queries
    assert _reads_of("community_ban", queries) == []
    assert _reads_of("community_membership", queries) == []


def test_the_object_belongs_to_one_request(friend):
    request = _request_for(friend)
    assert get_permissions(request) is get_permissions(request)
    assert get_permissions(_request_for(friend)) is not get_permissions(request)


def test_nothing_is_cached_on_the_user(friend, thread):
    permissions = get_permissions(_request_for(friend))
    for name in STATE:
        getattr(permissions, name)
    assert not [name for name in vars(friend) if name.startswith("_community")]


def test_a_ban_applied_mid_request_is_seen_by_the_next_request(friend, moderator, thread):
    during = get_permissions(_request_for(friend))
    assert during.ban_for(thread.forum.group_id) is None
    do_ban(moderator, friend, "Spam", days=7)
    # The request that already looked keeps its answer; the next one asks again.
    assert during.ban_for(thread.forum.group_id) is None
    assert get_permissions(_request_for(friend)).ban_for(thread.forum.group_id) is not None

    client = client_for(friend)
    response = client.post(reverse("community:thread_reply", args=[thread.pk]), {"body": "Still here"})
    assert response.status_code == 403
    assert "You are banned from posting in the community" in response.content.decode()


def test_a_block_is_seen_at_once_by_the_blocker_and_by_their_next_request(owner, friend, thread):
    during = get_permissions(_request_for(owner))
    assert friend.pk not in during.blocked_ids
    do_block(owner, friend, True, permissions=during)
    assert friend.pk in during.blocked_ids
    assert friend.pk in get_permissions(_request_for(owner)).blocked_ids


def test_a_block_made_elsewhere_reaches_the_next_request(owner, friend, thread):
    client = client_for(owner)
    reply = do_reply(friend, thread, "Hello from Friend")
    assert "A post from someone you blocked" not in client.get(thread.get_absolute_url()).content.decode()
    do_block(owner, friend, True)  # say, from another tab
    page = client.get(thread.get_absolute_url()).content.decode()
    assert f'id="post-{reply.pk}"' in page
    assert "A post from someone you blocked" in page


def test_someone_elses_permissions_are_refused(owner, friend):
    with pytest.raises(ValueError, match="someone else"):
        permissions_for(owner, UserPermissions(friend))
