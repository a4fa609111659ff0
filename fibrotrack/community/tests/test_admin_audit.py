"""Changes a site admin makes in Django admin reach the moderation log and the people concerned."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fibrotrack.community.access.permissions import UserPermissions
from fibrotrack.community.models import Ban, Membership, ModerationAction, Notification, SupportGroup

from .conftest import person

pytestmark = pytest.mark.django_db


def _group_form(group, memberships):
    """The change form of a group in Django admin, with its membership inline."""
    created = timezone.localtime(group.created_at)
    data = {
        "name": group.name,
        "slug": group.slug,
        "description": group.description,
        "rules": group.rules,
        "kind": group.kind,
        "position": str(group.position),
        "created_at_0": created.date().isoformat(),
        "created_at_1": created.strftime("%H:%M:%S"),
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(sum(1 for m in memberships if m.get("id"))),
    }
    if group.is_listed:
        data["is_listed"] = "on"
    for i, row in enumerate(memberships):
        for key, value in row.items():
            data[f"memberships-{i}-{key}"] = str(value)
        data[f"memberships-{i}-group"] = str(group.pk)
    return data


def _actions():
    return [(entry.action, entry.target_user_id) for entry in ModerationAction.objects.order_by("id")]


def test_appointing_and_removing_moderators_in_admin_is_logged_and_told(
    admin_client, admin_user, private_group, friend
):
    owner_row = Membership.objects.get(group=private_group, role=Membership.Role.MODERATOR)
    friend_row = Membership.objects.get(group=private_group, user=friend)
    newcomer = person(email="new@example.org", display_name="Newcomer")
    url = reverse("admin:community_supportgroup_change", args=[private_group.pk])
    rows = [
        {"id": owner_row.pk, "user": owner_row.user_id, "role": "member", "status": "active"},
        {"id": friend_row.pk, "user": friend.pk, "role": "moderator", "status": "active"},
        {"user": newcomer.pk, "role": "member", "status": "active"},
    ]
    response = admin_client.post(url, _group_form(private_group, rows))
    assert response.status_code == 302, response.content.decode()[:3000]

    assert sorted(_actions()) == sorted(
        [
            (ModerationAction.Action.REMOVE_MODERATOR, owner_row.user_id),
            (ModerationAction.Action.APPOINT_MODERATOR, friend.pk),
            (ModerationAction.Action.APPROVE_MEMBER, newcomer.pk),
        ]
    )
    assert all(entry.moderator == admin_user for entry in ModerationAction.objects.all())
    texts = dict(Notification.objects.values_list("recipient_id", "text"))
    assert texts[friend.pk] == "You are now a moderator of Night owls."
    assert texts[owner_row.user_id] == "You are no longer a moderator of Night owls."
    assert texts[newcomer.pk] == "You are now a member of Night owls. Welcome."
    friend.refresh_from_db()
    assert UserPermissions(friend).can_moderate_group(private_group)


def test_saving_a_group_in_admin_without_changes_logs_only_what_changed(admin_client, private_group):
    rows = [
        {"id": m.pk, "user": m.user_id, "role": m.role, "status": m.status}
        for m in Membership.objects.filter(group=private_group).order_by("pk")
    ]
    url = reverse("admin:community_supportgroup_change", args=[private_group.pk])
    assert admin_client.post(url, _group_form(private_group, rows)).status_code == 302
    assert _actions() == []
    private_group.description = "Now a different description."
    assert admin_client.post(url, _group_form(private_group, rows)).status_code == 302
    entry = ModerationAction.objects.get()
    assert entry.action == ModerationAction.Action.EDIT_GROUP
    assert entry.detail == {"changed": ["description"], "via": "admin"}
    assert not Notification.objects.exists()


def test_creating_a_group_in_admin_is_logged(admin_client):
    group = SupportGroup(name="Weather", slug="weather", kind="public", is_listed=True, position=5)
    response = admin_client.post(reverse("admin:community_supportgroup_add"), _group_form(group, []))
    assert response.status_code == 302
    entry = ModerationAction.objects.get()
    assert entry.action == ModerationAction.Action.CREATE_GROUP
    assert entry.group == SupportGroup.objects.get(slug="weather")


def test_removing_a_member_in_the_membership_admin_is_logged_and_told(admin_client, private_group, friend):
    row = Membership.objects.get(group=private_group, user=friend)
    response = admin_client.post(reverse("admin:community_membership_delete", args=[row.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert _actions() == [(ModerationAction.Action.REMOVE_MEMBER, friend.pk)]
    assert Notification.objects.get(recipient=friend).text == "You were removed from Night owls."


def test_a_ban_made_in_admin_is_logged_told_and_lifting_it_is_too(admin_client, admin_user, private_group, friend):
    expires = timezone.localtime(timezone.now() + dt.timedelta(days=3))
    data = {
        "user": friend.pk,
        "group": private_group.pk,
        "reason": "Spam links",
        "created_at_0": timezone.localdate().isoformat(),
        "created_at_1": "10:00:00",
        "expires_at_0": expires.date().isoformat(),
        "expires_at_1": "10:00:00",
    }
    response = admin_client.post(reverse("admin:community_ban_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    ban = Ban.objects.get()
    assert ban.moderator == admin_user
    assert _actions() == [(ModerationAction.Action.BAN, friend.pk)]
    assert not Membership.objects.filter(group=private_group, user=friend).exists()  # as with the in-app ban
    notice = Notification.objects.get(recipient=friend)
    assert notice.kind == Notification.Kind.MODERATION
    assert notice.text.startswith("You are banned from Night owls until ") and notice.text.endswith("Spam links")

    # Editing the reason is not a new ban; lifting it is logged and told.
    data["reason"] = "Spam links (three times)"
    admin_client.post(reverse("admin:community_ban_change", args=[ban.pk]), data)
    assert len(_actions()) == 1
    data["lifted_at_0"], data["lifted_at_1"] = timezone.localdate().isoformat(), "11:00:00"
    admin_client.post(reverse("admin:community_ban_change", args=[ban.pk]), data)
    assert _actions()[-1] == (ModerationAction.Action.UNBAN, friend.pk)
    assert Notification.objects.filter(recipient=friend).first().text == "A moderator lifted your ban."
    admin_client.post(reverse("admin:community_ban_change", args=[ban.pk]), data)
    assert len(_actions()) == 2
