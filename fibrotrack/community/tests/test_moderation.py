"""Reports, the moderator queue, hiding, locking, moving, deleting, warnings, bans and the audit log."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from fibrotrack.community.actions.bans import do_ban
from fibrotrack.community.actions.groups import do_join_group
from fibrotrack.community.actions.messages import do_send_message
from fibrotrack.community.actions.moderation import do_set_thread_flag
from fibrotrack.community.actions.posts import do_reply
from fibrotrack.community.actions.reports import do_report
from fibrotrack.community.actions.threads import do_start_thread
from fibrotrack.community.models import (
    Ban,
    Forum,
    Membership,
    ModerationAction,
    ModeratorWarning,
    Notification,
    Report,
    Thread,
)

from .conftest import client_for, join, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(owner, friend, sleep_group):
    join(owner, sleep_group)
    join(friend, sleep_group)
    thread = do_start_thread(owner, Forum.objects.get(slug="sleep"), "Sleep tips", "Try this miracle cure")
    return thread


def _post(thread):
    return thread.posts.get(position=0)


def test_report_a_post_then_a_moderator_hides_it(thread, friend, moderator, owner):
    post = _post(thread)
    response = client_for(friend).post(
        reverse("community:post_report", args=[post.pk]), {"reason": "misinformation", "details": "Dangerous claim"}
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.reason, report.reporter, report.post) == ("misinformation", friend, post)
    mod = client_for(moderator)
    queue = mod.get(reverse("community:mod_queue")).content.decode()
    assert "Medical misinformation" in queue and "Try this miracle cure" in queue
    mod.post(reverse("community:mod_report", args=[report.pk]), {"action": "hide", "reason": "Not safe advice"})
    post.refresh_from_db()
    report.refresh_from_db()
    assert post.is_hidden and post.hidden_reason == "Not safe advice"
    assert report.status == Report.Status.RESOLVED
    assert ModerationAction.objects.filter(action="hide_post", moderator=moderator, post=post).exists()
    assert Notification.objects.filter(recipient=owner, kind="moderation").exists()
    assert Notification.objects.filter(recipient=friend, kind="moderation", text__contains="Thank you").exists()
    # Readers see a placeholder; the author still sees their words and why.
    assert "miracle" not in client_for(friend).get(thread.get_absolute_url()).content.decode()
    assert "Not safe advice" in client_for(owner).get(thread.get_absolute_url()).content.decode()
    mod.post(reverse("community:post_moderate", args=[post.pk]), {"action": "restore"})
    post.refresh_from_db()
    assert not post.is_hidden
    assert ModerationAction.objects.filter(action="restore_post").exists()


def test_reporting_twice_updates_the_same_report(thread, friend):
    post = _post(thread)
    do_report(friend, post=post, reason="spam")
    do_report(friend, post=post, reason="harassment", details="actually")
    assert Report.objects.get().reason == "harassment"


def test_a_person_can_be_reported(owner, friend, moderator):
    client_for(friend).post(reverse("community:profile_report", args=[owner.pk]), {"reason": "harassment"})
    report = Report.objects.get()
    assert report.reported_user == owner
    assert "the person Owner" in client_for(moderator).get(reverse("community:mod_queue")).content.decode()


def test_non_moderators_cannot_see_the_queue_or_the_log(friend):
    client = client_for(friend)
    assert client.get(reverse("community:mod_queue")).status_code == 404
    assert client.get(reverse("community:mod_log")).status_code == 404


def test_group_moderators_see_only_their_groups_reports(thread, friend, stranger, sleep_group):
    group_mod = person(display_name="SleepMod")
    Membership.objects.create(group=sleep_group, user=group_mod, role=Membership.Role.MODERATOR)
    do_report(friend, post=_post(thread), reason="spam")
    do_report(friend, person=stranger, reason="spam")
    html = client_for(group_mod).get(reverse("community:mod_queue")).content.decode()
    assert "Sleep tips" in html and "the person Stranger" not in html


@pytest.mark.parametrize(
    ("action", "field", "value", "logged"),
    [
        ("lock", "is_locked", True, "lock"),
        ("pin", "is_pinned", True, "pin"),
        ("hide", "is_hidden", True, "hide_thread"),
    ],
)
def test_thread_moderation_is_logged(thread, moderator, action, field, value, logged):
    client_for(moderator).post(
        reverse("community:thread_moderate", args=[thread.pk]), {"action": action, "reason": "r"}
    )
    thread.refresh_from_db()
    assert getattr(thread, field) is value
    entry = ModerationAction.objects.get(action=logged)
    assert (entry.moderator, entry.thread, entry.reason) == (moderator, thread, "r")


def test_hidden_threads_vanish_for_readers_but_not_for_the_author(thread, owner, friend, moderator):
    do_set_thread_flag(moderator, thread, "is_hidden", True, "Off topic")
    assert client_for(friend).get(thread.get_absolute_url()).status_code == 404
    assert client_for(owner).get(thread.get_absolute_url()).status_code == 200
    assert "Sleep tips" not in client_for(friend).get(reverse("community:forum", args=["sleep"])).content.decode()


def test_move_a_thread(thread, moderator):
    response = client_for(moderator).post(
        reverse("community:thread_move", args=[thread.pk]), {"forum": Forum.objects.get(slug="off-topic").pk}
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.forum.slug == "off-topic"
    assert ModerationAction.objects.get(action="move").detail == {"from": "sleep", "to": "off-topic"}


def test_a_moderator_deletes_a_thread_and_the_log_keeps_a_record(thread, moderator, owner):
    client_for(moderator).post(
        reverse("community:thread_moderate", args=[thread.pk]), {"action": "delete", "reason": "spam"}
    )
    assert not Thread.objects.exists()
    entry = ModerationAction.objects.get(action="delete_thread")
    assert entry.detail["title"] == "Sleep tips" and entry.target_user == owner
    assert "Sleep tips" in client_for(moderator).get(reverse("community:mod_log")).content.decode()


def test_warnings_are_sent_and_listed(owner, moderator):
    response = client_for(moderator).post(
        reverse("community:mod_person", args=[owner.pk]), {"action": "warn", "reason": "Please be kinder"}
    )
    assert response.status_code == 302
    assert ModeratorWarning.objects.get(user=owner).reason == "Please be kinder"
    assert Notification.objects.get(recipient=owner).text == "A moderator warned you: Please be kinder"
    assert "Please be kinder" in client_for(owner).get(reverse("community:my_moderation")).content.decode()


def test_a_timed_ban_stops_posting_until_it_ends(thread, friend, moderator):
    client_for(moderator).post(
        reverse("community:mod_person", args=[friend.pk]),
        {"action": "ban", "reason": "Cooling off", "length": "7", "scope": "community"},
    )
    ban = Ban.objects.get(user=friend)
    assert ban.expires_at is not None and ban.group is None
    response = client_for(friend).post(reverse("community:thread_reply", args=[thread.pk]), {"body": "hi"})
    assert response.status_code == 403 and "Cooling off" in response.content.decode()
    with pytest.raises(Exception, match="banned"):
        do_send_message(friend, thread.author, "hi")
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        do_reply(friend, thread, "I am back, and calmer")


def test_a_permanent_group_ban_removes_membership_and_can_be_lifted(thread, friend, moderator, sleep_group):
    do_ban(moderator, friend, "Repeated spam", group=sleep_group)
    assert not Membership.objects.filter(group=sleep_group, user=friend).exists()
    client = client_for(friend)
    assert client.post(reverse("community:group_join", args=["sleep"])).status_code == 403
    ban = Ban.objects.get()
    assert ban.expires_at is None
    client_for(moderator).post(reverse("community:ban_lift", args=[ban.pk]))
    ban.refresh_from_db()
    assert ban.lifted_at is not None
    assert client.post(reverse("community:group_join", args=["sleep"])).status_code == 302
    assert [a.action for a in ModerationAction.objects.order_by("id")] == ["ban", "unban"]


def test_group_moderators_cannot_ban_community_wide(friend, sleep_group):
    group_mod = person(display_name="SleepMod")
    Membership.objects.create(group=sleep_group, user=group_mod, role=Membership.Role.MODERATOR)
    response = client_for(group_mod).post(
        reverse("community:mod_person", args=[friend.pk]),
        {"action": "ban", "reason": "x", "length": "1", "scope": "community"},
    )
    assert response.status_code == 400
    assert not Ban.objects.exists()
    client_for(group_mod).post(
        reverse("community:mod_person", args=[friend.pk]),
        {"action": "ban", "reason": "x", "length": "1", "scope": "sleep"},
    )
    assert Ban.objects.get().group == sleep_group


def test_join_requests_and_invitations_in_a_private_group(owner, stranger, private_group):
    private_group.is_listed = True
    private_group.save()
    do_join_group(stranger, private_group, note="I'm a night owl too")
    assert Notification.objects.filter(recipient=owner, kind="group").exists()
    membership = Membership.objects.get(user=stranger)
    client_for(owner).post(
        reverse("community:group_request", args=[private_group.slug, membership.pk]), {"decision": "approve"}
    )
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE
    assert client_for(stranger).get(reverse("community:forum", args=[private_group.slug])).status_code == 200
    invitee = person(display_name="Invitee")
    client_for(owner).post(reverse("community:group_invite", args=[private_group.slug]), {"name": "Invitee"})
    assert Membership.objects.get(user=invitee).status == Membership.Status.INVITED
    assert "Night owls" in client_for(invitee).get(reverse("community:index")).content.decode()
    client_for(invitee).post(reverse("community:group_join", args=[private_group.slug]))
    assert Membership.objects.get(user=invitee).status == Membership.Status.ACTIVE
    assert {a.action for a in ModerationAction.objects.all()} == {"approve_member", "invite"}


def test_only_site_moderators_appoint_group_moderators(owner, friend, moderator, private_group):
    membership = Membership.objects.get(user=friend, group=private_group)
    url = reverse("community:group_member", args=[private_group.slug, membership.pk])
    assert client_for(owner).post(url, {"action": "moderator"}).status_code == 403
    client_for(moderator).post(url, {"action": "moderator"})
    membership.refresh_from_db()
    assert membership.role == Membership.Role.MODERATOR


def test_the_audit_log_is_append_only_in_admin(moderator):
    from django.contrib.admin.sites import site

    model_admin = site._registry[ModerationAction]
    assert not model_admin.has_change_permission(None)
    assert not model_admin.has_delete_permission(None)
    assert not model_admin.has_add_permission(None)


def test_admin_creates_a_group_with_its_forum(admin_client):
    response = admin_client.post(
        reverse("admin:community_supportgroup_add"),
        {
            "name": "Weather",
            "slug": "weather",
            "description": "Flares and the weather",
            "rules": "Be kind",
            "kind": "public",
            "is_listed": "on",
            "position": "5",
            "created_at_0": "2025-01-01",
            "created_at_1": "10:00:00",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Forum.objects.get(slug="weather").group.name == "Weather"


def test_moderators_read_only_the_warnings_within_their_reach(thread, owner, moderator, sleep_group, private_group):
    from fibrotrack.community.actions.bans import do_warn

    sleep_mod = person(display_name="SleepMod")
    Membership.objects.create(group=sleep_group, user=sleep_mod, role=Membership.Role.MODERATOR)
    night_mod = person(display_name="NightMod")
    Membership.objects.create(group=private_group, user=night_mod, role=Membership.Role.MODERATOR)
    do_warn(moderator, owner, "Community-wide: selling pills by private message")
    do_warn(sleep_mod, owner, "In the sleep group: miracle cures", post=_post(thread))
    url = reverse("community:mod_person", args=[owner.pk])

    seen = {}
    for name, who in (("site", moderator), ("sleep", sleep_mod), ("night", night_mod)):
        response = client_for(who).get(url)
        assert response.status_code == 200
        html = response.content.decode()
        seen[name] = ("selling pills" in html, "miracle cures" in html)
    assert seen == {"site": (True, True), "sleep": (False, True), "night": (False, False)}
