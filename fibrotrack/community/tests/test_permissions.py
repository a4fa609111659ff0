"""Every private-group URL and every message URL is a 404 for people outside."""

import pytest
from django.urls import get_resolver, reverse

from fibrotrack.community.actions.groups import do_join_group, do_leave_group
from fibrotrack.community.actions.messages import do_send_message
from fibrotrack.community.actions.posts import do_reply
from fibrotrack.community.actions.reactions import do_react
from fibrotrack.community.actions.reports import do_report
from fibrotrack.community.actions.social import do_follow_user
from fibrotrack.community.actions.threads import do_start_thread
from fibrotrack.community.models import Membership, Notification, ProgressCard
from fibrotrack.community.urls import urlpatterns

from .conftest import client_for, join, person

pytestmark = pytest.mark.django_db

# URL names that are not about one group or one conversation (checked elsewhere).
NOT_SCOPED = {
    "index",
    "mark_all_read",
    "search",
    "treatment",
    "profile",
    "profile_follow",
    "profile_block",
    "profile_report",
    "profile_edit",
    "blocked",
    "my_moderation",
    "email_settings",
    "cards",
    "card_new",
    "card_detail",
    "card_delete",
    "feed",
    "notifications",
    "notifications_read",
    "notification_open",
    "inbox",
    "message_new",
    "newsletter",
    "newsletter_confirm",
    "unsubscribe",
    "mod_queue",
    "mod_report",
    "mod_person",
    "ban_lift",
    "mod_log",
    "admin_groups",
    "admin_group_new",
}
MESSAGE_URLS = {"conversation", "message_report"}
POST_ONLY = {
    "group_join",
    "group_leave",
    "group_decline",
    "group_invite",
    "group_request",
    "group_member",
    "thread_follow",
    "thread_moderate",
    "post_react",
    "post_moderate",
    "post_card_remove",
    "admin_group_moderator_add",
    "admin_group_moderator_remove",
}


@pytest.fixture
def private_world(owner, friend, private_group):
    forum = private_group.forum
    thread = do_start_thread(owner, forum, "Secret night thread", "Only for owls.")
    reply = do_reply(friend, thread, "A reply from a friend")
    ProgressCard.objects.create(owner=friend, post=reply, title="card", svg="<svg></svg>")
    requester = person(email="req@example.org", display_name="Requester")
    pending = Membership.objects.create(group=private_group, user=requester, status=Membership.Status.REQUESTED)
    member = Membership.objects.get(group=private_group, user=friend)
    moderator = Membership.objects.get(group=private_group, user=owner)
    return {
        "slug": private_group.slug,
        "thread": thread.pk,
        "post": reply.pk,
        "pending": pending.pk,
        "member": member.pk,
        "moderator": moderator.pk,
    }


def _private_urls(world):
    s, t, p = world["slug"], world["thread"], world["post"]
    return {
        "forum": [s],
        "thread_new": [s],
        "group_about": [s],
        "group_members": [s],
        "group_join": [s],
        "group_leave": [s],
        "group_decline": [s],
        "group_manage": [s],
        "group_invite": [s],
        "group_request": [s, world["pending"]],
        "group_member": [s, world["member"]],
        "thread": [t],
        "thread_reply": [t],
        "thread_follow": [t],
        "thread_moderate": [t],
        "thread_move": [t],
        "thread_tags": [t],
        "post": [p],
        "post_edit": [p],
        "post_delete": [p],
        "post_history": [p],
        "post_react": [p],
        "post_report": [p],
        "post_moderate": [p],
        "post_card_remove": [p],
        # Site admins' tools: a 404 for everyone else, members or not.
        "admin_group_edit": [s],
        "admin_group_moderator_add": [s],
        "admin_group_moderator_remove": [s, world["moderator"]],
    }


def test_every_url_name_is_classified():
    names = {p.name for p in urlpatterns}
    private = set(_private_urls({"slug": "x", "thread": 1, "post": 1, "pending": 1, "member": 1, "moderator": 1}))
    assert names == NOT_SCOPED | MESSAGE_URLS | private, "classify new URLs in this test"


def test_a_non_member_gets_404_for_every_private_group_url(stranger, private_world):
    client = client_for(stranger)
    for name, args in _private_urls(private_world).items():
        url = reverse(f"community:{name}", args=args)
        data = {"body": "x", "title": "x", "action": "hide", "kind": "hug", "follow": "1", "reason": "spam"}
        response = client.post(url, data) if name in POST_ONLY else client.get(url)
        assert response.status_code == 404, f"{name} gave {response.status_code}"
        if name not in POST_ONLY:
            assert client.post(url, data).status_code == 404, f"POST {name}"


def test_a_non_member_who_moderates_another_group_still_gets_404(sleep_group, private_world):
    other_mod = person(email="othermod@example.org", display_name="OtherMod")
    Membership.objects.create(group=sleep_group, user=other_mod, role=Membership.Role.MODERATOR)
    client = client_for(other_mod)
    for name, args in _private_urls(private_world).items():
        url = reverse(f"community:{name}", args=args)
        response = client.post(url, {"action": "hide"}) if name in POST_ONLY else client.get(url)
        assert response.status_code == 404, name


def test_nothing_of_a_private_group_leaks_into_lists_search_or_profiles(stranger, owner, private_world):
    client = client_for(stranger)
    pages = [
        reverse("community:index"),
        reverse("community:search") + "?q=owls",
        reverse("community:search") + "?q=secret",
        reverse("community:profile", args=[owner.pk]),
        reverse("community:feed"),
    ]
    do_follow_user(stranger, owner, True)
    for url in pages:
        html = client.get(url).content.decode()
        assert "Night owls" not in html and "Secret night thread" not in html and "Only for owls" not in html, url


def test_members_can_read_everything(friend, private_world):
    client = client_for(friend)
    for name in ["forum", "group_about", "group_members", "thread_new"]:
        assert client.get(reverse(f"community:{name}", args=[private_world["slug"]])).status_code == 200, name
    assert client.get(reverse("community:thread", args=[private_world["thread"]])).status_code == 200


def test_a_listed_private_group_shows_only_its_name_and_lets_people_ask(stranger, private_group):
    private_group.is_listed = True
    private_group.save()
    client = client_for(stranger)
    html = client.get(reverse("community:index")).content.decode()
    assert "Night owls" in html and "Ask to join" in html
    assert client.get(reverse("community:forum", args=[private_group.slug])).status_code == 404
    assert client.get(reverse("community:group_members", args=[private_group.slug])).status_code == 404
    response = client.post(reverse("community:group_join", args=[private_group.slug]), {"note": "hi"})
    assert response.status_code == 302
    assert Membership.objects.get(group=private_group, user=stranger).status == Membership.Status.REQUESTED
    assert client.get(reverse("community:forum", args=[private_group.slug])).status_code == 404


def test_every_message_url_is_404_for_everyone_but_the_two(owner, friend, stranger):
    message = do_send_message(owner, friend, "Just between us")
    client = client_for(stranger)
    urls = [
        reverse("community:conversation", args=[message.conversation_id]),
        reverse("community:message_report", args=[message.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"body": "intrusion", "reason": "spam"}).status_code == 404, url
    assert client_for(friend).get(urls[0]).status_code == 200
    assert client_for(owner).get(urls[0]).status_code == 200


def test_a_moderator_cannot_read_private_messages_but_sees_a_reported_one(owner, friend, moderator):
    message = do_send_message(owner, friend, "Rude words here")
    other = do_send_message(owner, friend, "A private aside")
    mod = client_for(moderator)
    assert mod.get(reverse("community:conversation", args=[message.conversation_id])).status_code == 404
    report = do_report(friend, message=message, reason="harassment")
    html = mod.get(reverse("community:mod_report", args=[report.pk])).content.decode()
    assert "Rude words here" in html
    assert "A private aside" not in html
    assert other.pk


def test_signed_out_visitors_are_sent_to_log_in(client, private_world):
    response = client.get(reverse("community:index"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(reverse("community:thread", args=[private_world["thread"]])).status_code == 302


def test_posting_in_a_group_needs_membership(stranger, sleep_group):
    client = client_for(stranger)
    response = client.post(reverse("community:thread_new", args=["sleep"]), {"title": "Hi", "body": "there"})
    assert response.status_code == 403
    assert "Join Sleep" in response.content.decode()
    join(stranger, sleep_group)
    assert client.post(reverse("community:thread_new", args=["sleep"]), {"title": "Hi", "body": "x"}).status_code == 302


def test_only_moderators_start_announcements(stranger, moderator):
    url = reverse("community:thread_new", args=["announcements"])
    assert client_for(stranger).get(url).status_code == 403
    assert client_for(moderator).get(url).status_code == 200


def test_all_url_names_resolve():
    resolver = get_resolver()
    assert "community" in resolver.namespace_dict


def test_someone_who_left_a_private_group_is_not_told_about_its_posts(owner, friend, private_group):
    thread = do_start_thread(owner, private_group.forum, "Owls only", "Hello owls")
    theirs = do_reply(friend, thread, "A reply from a friend")
    do_leave_group(friend, private_group)
    do_react(owner, theirs, "hug")
    do_reply(owner, thread, "Quoting you, @Friend", quote_of=theirs)
    assert not Notification.objects.filter(recipient=friend).exists()  # not even the thread's title
    do_join_group(friend, private_group)  # a request now, not a membership
    do_react(owner, theirs, "support")
    assert not Notification.objects.filter(recipient=friend).exists()
