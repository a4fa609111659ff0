"""Belonging to a group: joining, leaving, requests, invitations, removal; every group's forum."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from fibrotrack.community import markup
from fibrotrack.community.access.permissions import UserPermissions, check_not_banned, permissions_for
from fibrotrack.community.actions.audit import log_action
from fibrotrack.community.models import Forum, Membership, ModerationAction, Notification, SupportGroup, ThreadFollow
from fibrotrack.community.notifications import notify, notify_many

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User

Kind = Notification.Kind


def do_ensure_group_forum(group: SupportGroup) -> Forum:
    """Every group has a forum with the same slug."""
    if group.rules:
        html = markup.render(group.rules).html
        if html != group.rules_html:
            SupportGroup.objects.filter(pk=group.pk).update(rules_html=html)
            group.rules_html = html
    forum, created = Forum.objects.get_or_create(
        group=group,
        defaults={"name": group.name, "slug": group.slug, "description": group.description, "position": group.position},
    )
    if not created and (forum.name, forum.description) != (group.name, group.description):
        forum.name, forum.description = group.name, group.description
        forum.save(update_fields=["name", "description"])
    return forum


def _group_moderators(group: SupportGroup) -> list[Any]:
    return [
        m.user
        for m in Membership.objects.filter(
            group=group, role=Membership.Role.MODERATOR, status=Membership.Status.ACTIVE
        ).select_related("user")
    ]


def do_join_group(
    user: User, group: SupportGroup, note: str = "", *, permissions: UserPermissions | None = None
) -> Membership:
    """Join a public group, accept an invitation, or ask to join a private group."""
    perms = permissions_for(user, permissions)
    check_not_banned(perms)
    if perms.ban_for(group.pk) is not None:
        raise PermissionDenied(gettext_lazy("You are banned from this group."))
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(group=group, user=user).first()
        if membership is not None and membership.status == Membership.Status.ACTIVE:
            return membership
        if membership is not None and membership.status == Membership.Status.INVITED:
            membership.status = Membership.Status.ACTIVE
            membership.save(update_fields=["status"])
        elif not group.is_private:
            membership = Membership.objects.create(group=group, user=user, status=Membership.Status.ACTIVE)
        elif membership is None:
            membership = Membership.objects.create(
                group=group, user=user, status=Membership.Status.REQUESTED, note=note.strip()[:300]
            )
            notify_many(
                _group_moderators(group),
                Kind.GROUP,
                format_lazy(gettext_lazy("{user} asked to join {group}"), user=user.public_name, group=group.name),
                reverse("community:group_manage", args=[group.slug]),
                actor=user,
                group=group,
            )
        perms.forget()
    return membership


def do_leave_group(user: User, group: SupportGroup, *, permissions: UserPermissions | None = None) -> None:
    perms = permissions_for(user, permissions)
    with transaction.atomic():
        Membership.objects.filter(group=group, user=user).delete()
        ThreadFollow.objects.filter(user=user, thread__forum__group=group).delete()
    perms.forget()


def do_decide_request(
    moderator: User, membership: Membership, *, approve: bool, permissions: UserPermissions | None = None
) -> None:
    perms = permissions_for(moderator, permissions)
    group = membership.group
    if not perms.can_moderate_group(group):
        raise PermissionDenied(gettext_lazy("Only this group's moderators can decide on requests."))
    if membership.status != Membership.Status.REQUESTED:
        raise PermissionDenied(gettext_lazy("That request was already decided."))
    with transaction.atomic():
        if approve:
            membership.status = Membership.Status.ACTIVE
            membership.save(update_fields=["status"])
            text = format_lazy(gettext_lazy("You are now a member of {group}. Welcome."), group=group.name)
        else:
            membership.delete()
            text = format_lazy(
                gettext_lazy("Your request to join {group} was not approved this time."), group=group.name
            )
        notify(membership.user, Kind.GROUP, text, reverse("community:index"), group=group)
        log_action(
            moderator,
            ModerationAction.Action.APPROVE_MEMBER if approve else ModerationAction.Action.DECLINE_MEMBER,
            group=group,
            target_user=membership.user,
        )


def do_invite(
    moderator: User, group: SupportGroup, invitee: Any, *, permissions: UserPermissions | None = None
) -> Membership:
    perms = permissions_for(moderator, permissions)
    if not perms.can_moderate_group(group):
        raise PermissionDenied(gettext_lazy("Only this group's moderators can invite people."))
    with transaction.atomic():
        membership = Membership.objects.filter(group=group, user=invitee).first()
        if membership is not None and membership.status == Membership.Status.ACTIVE:
            raise ValidationError(
                format_lazy(gettext_lazy("{invitee} is already a member."), invitee=invitee.public_name)
            )
        if membership is not None and membership.status == Membership.Status.REQUESTED:
            membership.status = Membership.Status.ACTIVE
            membership.save(update_fields=["status"])
            notify(
                invitee,
                Kind.GROUP,
                format_lazy(gettext_lazy("You are now a member of {group}."), group=group.name),
                group.get_absolute_url(),
                group=group,
            )
        elif membership is None:
            membership = Membership.objects.create(
                group=group, user=invitee, status=Membership.Status.INVITED, invited_by=moderator
            )
            notify(
                invitee,
                Kind.GROUP,
                format_lazy(gettext_lazy("You are invited to join {group}"), group=group.name),
                reverse("community:index") + "#invitations",
                actor=moderator,
                group=group,
            )
        log_action(moderator, ModerationAction.Action.INVITE, group=group, target_user=invitee)
    return membership


def do_decline_invite(user: User, group: SupportGroup, *, permissions: UserPermissions | None = None) -> None:
    perms = permissions_for(user, permissions)
    Membership.objects.filter(group=group, user=user, status=Membership.Status.INVITED).delete()
    perms.forget()


def do_remove_member(
    moderator: User, membership: Membership, reason: str = "", *, permissions: UserPermissions | None = None
) -> None:
    perms = permissions_for(moderator, permissions)
    group = membership.group
    if not perms.can_moderate_group(group):
        raise PermissionDenied(gettext_lazy("Only this group's moderators can remove members."))
    if membership.role == Membership.Role.MODERATOR and not perms.is_global_moderator:
        raise PermissionDenied(gettext_lazy("Only site moderators can remove a group moderator."))
    with transaction.atomic():
        membership.delete()
        log_action(
            moderator, ModerationAction.Action.REMOVE_MEMBER, group=group, target_user=membership.user, reason=reason
        )
        notify(
            membership.user,
            Kind.MODERATION,
            format_lazy(gettext_lazy("You were removed from {group}."), group=group.name),
            reverse("community:index"),
        )
