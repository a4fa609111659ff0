"""The moderation log, and changes site admins make in Django admin."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from fibrotrack.community.models import Ban, Membership, ModerationAction, Notification, SupportGroup
from fibrotrack.community.notices import ban_notice
from fibrotrack.community.notifications import notify

Kind = Notification.Kind


def log_action(moderator: Any, action: str, **kwargs: Any) -> ModerationAction:
    """One entry in the moderation log, which moderators and site admins read."""
    return ModerationAction.objects.create(moderator=moderator, action=action, **kwargs)


# --- Changes made in Django admin ---------------------------------------------------------------------
#
# Site admins can also manage groups, memberships and bans in Django admin. Those
# saves write the rows directly, so the admin classes call these afterwards: the
# audit log gets the same entries as the in-app tools, and the people concerned
# are told, as they would be by the in-app tools.

MembershipStates = dict[int, tuple[str, str]]  # user id -> (role, status)


def membership_states(group: SupportGroup, user_ids: Iterable[int] | None = None) -> MembershipStates:
    qs = Membership.objects.filter(group=group)
    if user_ids is not None:
        qs = qs.filter(user_id__in=list(user_ids))
    return {user_id: (role, status) for user_id, role, status in qs.values_list("user_id", "role", "status")}


def do_record_admin_group_change(admin: Any, group: SupportGroup, *, created: bool, changed: Sequence[str]) -> None:
    """Django admin created or changed a group: log it as the in-app group tools do."""
    if created:
        log_action(
            admin,
            ModerationAction.Action.CREATE_GROUP,
            group=group,
            detail={"name": group.name, "slug": group.slug, "kind": group.kind, "via": "admin"},
        )
    elif changed:
        log_action(
            admin, ModerationAction.Action.EDIT_GROUP, group=group, detail={"changed": list(changed), "via": "admin"}
        )


def _admin_membership_change(
    group: SupportGroup, was: tuple[str, str] | None, now: tuple[str, str] | None
) -> tuple[str, str, StrOrPromise, str] | None:
    """(log action, notification kind, text, url) for one person's membership change, or None."""
    moderator = (Membership.Role.MODERATOR, Membership.Status.ACTIVE)
    active = Membership.Status.ACTIVE
    forum_url, index_url = group.get_absolute_url(), reverse("community:index")
    if now is None:
        if was is not None and was[1] == active:
            return (
                ModerationAction.Action.REMOVE_MEMBER,
                Kind.MODERATION,
                format_lazy(gettext_lazy("You were removed from {group}."), group=group.name),
                index_url,
            )
        if was is not None and was[1] == Membership.Status.REQUESTED:
            text = format_lazy(
                gettext_lazy("Your request to join {group} was not approved this time."), group=group.name
            )
            return ModerationAction.Action.DECLINE_MEMBER, Kind.GROUP, text, index_url
        return None
    if now == moderator and was != moderator:
        text = format_lazy(gettext_lazy("You are now a moderator of {group}."), group=group.name)
        return (
            ModerationAction.Action.APPOINT_MODERATOR,
            Kind.GROUP,
            text,
            reverse("community:group_manage", args=[group.slug]),
        )
    if was == moderator and now != moderator:
        return (
            ModerationAction.Action.REMOVE_MODERATOR,
            Kind.GROUP,
            format_lazy(gettext_lazy("You are no longer a moderator of {group}."), group=group.name),
            forum_url,
        )
    if now[1] == active and (was is None or was[1] != active):
        return (
            ModerationAction.Action.APPROVE_MEMBER,
            Kind.GROUP,
            format_lazy(gettext_lazy("You are now a member of {group}. Welcome."), group=group.name),
            forum_url,
        )
    if now[1] == Membership.Status.INVITED and was is None:
        return (
            ModerationAction.Action.INVITE,
            Kind.GROUP,
            format_lazy(gettext_lazy("You are invited to join {group}"), group=group.name),
            index_url + "#invitations",
        )
    return (
        ModerationAction.Action.SET_ROLE,
        Kind.GROUP,
        format_lazy(gettext_lazy("Your membership of {group} changed."), group=group.name),
        forum_url,
    )


def do_record_admin_membership_changes(
    admin: Any, group: SupportGroup, before: MembershipStates, after: MembershipStates
) -> int:
    """Django admin changed memberships of ``group``: log and announce each change. Returns how many."""
    from fibrotrack.accounts.models import User as UserModel

    changed = [user_id for user_id in sorted(set(before) | set(after)) if before.get(user_id) != after.get(user_id)]
    people = UserModel.objects.in_bulk(changed)
    recorded = 0
    for user_id in changed:
        was, now = before.get(user_id), after.get(user_id)
        change = _admin_membership_change(group, was, now)
        person = people.get(user_id)
        if change is None or person is None:
            continue
        action, kind, text, url = change
        detail = {"via": "admin", "from": list(was) if was else None, "to": list(now) if now else None}
        log_action(admin, action, group=group, target_user=person, detail=detail)
        notify(person, kind, text, url, actor=admin, group=group)
        recorded += 1
    return recorded


def _ban_notice(ban: Ban) -> StrOrPromise:
    return ban_notice(ban.group.name if ban.group is not None else None, ban.expires_at, None, ban.reason)


def do_record_admin_ban(admin: Any, ban: Ban, *, created: bool, was_lifted: bool) -> None:
    """Django admin saved a ban: log it and tell the person, as ``do_ban`` and ``do_lift_ban`` do."""
    with transaction.atomic():
        if created:
            if ban.group_id is not None:
                Membership.objects.filter(group_id=ban.group_id, user_id=ban.user_id).delete()
            log_action(
                admin,
                ModerationAction.Action.BAN,
                target_user=ban.user,
                group=ban.group,
                reason=ban.reason,
                detail={"via": "admin", "expires_at": ban.expires_at.isoformat() if ban.expires_at else None},
            )
            notify(ban.user, Kind.MODERATION, _ban_notice(ban), reverse("community:my_moderation"))
        elif ban.lifted_at is not None and not was_lifted:
            log_action(
                admin, ModerationAction.Action.UNBAN, target_user=ban.user, group=ban.group, detail={"via": "admin"}
            )
            notify(ban.user, Kind.MODERATION, gettext_lazy("A moderator lifted your ban."), reverse("community:index"))
