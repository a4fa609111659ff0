"""Warnings and bans."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from fibrotrack.community.access.moderation import check_can_moderate_person
from fibrotrack.community.access.permissions import UserPermissions, permissions_for
from fibrotrack.community.actions.audit import log_action
from fibrotrack.community.models import (
    Ban,
    Membership,
    ModerationAction,
    ModeratorWarning,
    Notification,
    Post,
    SupportGroup,
)
from fibrotrack.community.notices import ban_notice
from fibrotrack.community.notifications import notify

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User

Kind = Notification.Kind


def do_warn(
    moderator: User, person: Any, reason: str, *, post: Post | None = None, permissions: UserPermissions | None = None
) -> ModeratorWarning:
    perms = permissions_for(moderator, permissions)
    group = post.thread.forum.group if post is not None else None
    check_can_moderate_person(perms, group)
    reason = reason.strip()
    if not reason:
        raise ValidationError(gettext_lazy("Write the reason for the warning: the person will read it."))
    with transaction.atomic():
        warning = ModeratorWarning.objects.create(user=person, moderator=moderator, reason=reason, post=post)
        log_action(moderator, ModerationAction.Action.WARN, target_user=person, post=post, group=group, reason=reason)
        notify(
            person,
            Kind.MODERATION,
            format_lazy(gettext_lazy("A moderator warned you: {reason}"), reason=reason),
            reverse("community:my_moderation"),
        )
    return warning


def do_ban(
    moderator: User,
    person: Any,
    reason: str,
    *,
    group: SupportGroup | None = None,
    days: int | None = None,
    permissions: UserPermissions | None = None,
) -> Ban:
    perms = permissions_for(moderator, permissions)
    check_can_moderate_person(perms, group)
    if person.pk == moderator.pk:
        raise PermissionDenied(gettext_lazy("You cannot ban yourself."))
    if permissions_for(person).is_global_moderator:
        raise PermissionDenied(gettext_lazy("Site moderators cannot be banned here; ask a site admin."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(gettext_lazy("Write the reason for the ban: the person will read it."))
    if days is not None and days < 1:
        raise ValidationError(gettext_lazy("A ban lasts at least one day, or choose “for good”."))
    expires = timezone.now() + dt.timedelta(days=days) if days else None
    with transaction.atomic():
        ban = Ban.objects.create(user=person, group=group, moderator=moderator, reason=reason, expires_at=expires)
        if group is not None:
            Membership.objects.filter(group=group, user=person).delete()
        log_action(
            moderator,
            ModerationAction.Action.BAN,
            target_user=person,
            group=group,
            reason=reason,
            detail={"days": days, "scope": group.slug if group else "community"},
        )
        notify(
            person,
            Kind.MODERATION,
            ban_notice(group.name if group else None, None, days, reason),
            reverse("community:my_moderation"),
        )
    return ban


def do_lift_ban(moderator: User, ban: Ban, *, permissions: UserPermissions | None = None) -> None:
    perms = permissions_for(moderator, permissions)
    check_can_moderate_person(perms, ban.group)
    with transaction.atomic():
        ban.lifted_at = timezone.now()
        ban.save(update_fields=["lifted_at"])
        log_action(moderator, ModerationAction.Action.UNBAN, target_user=ban.user, group=ban.group)
        notify(ban.user, Kind.MODERATION, gettext_lazy("A moderator lifted your ban."), reverse("community:index"))
