"""People: profiles and what they show, blocks, private messages, progress cards, notifications."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext

from fibrotrack.community.access.permissions import UserPermissions, check_not_banned
from fibrotrack.community.access.threads import visible_threads
from fibrotrack.community.models import (
    Block,
    Conversation,
    Message,
    Notification,
    Post,
    Profile,
    ProgressCard,
    Visibility,
)

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User


# --- People --------------------------------------------------------------------------------


def get_person(pk: int) -> User:
    from fibrotrack.accounts.models import User as UserModel

    return get_object_or_404(UserModel, pk=pk, is_active=True)


def profile_for(user: User) -> Profile:
    """The person's community profile, made on first use.

    Threads with no activity since the read cutoff count as read: at first
    that is when they joined (at most 30 days back), so a newcomer is not
    greeted by years of "new" threads.
    """
    cutoff = max(user.date_joined, timezone.now() - dt.timedelta(days=30))
    profile, _ = Profile.objects.get_or_create(user=user, defaults={"read_cutoff": cutoff})
    return profile


def field_visible(viewer: User, owner_id: int, visibility: str) -> bool:
    return viewer.pk == owner_id or visibility == Visibility.MEMBERS


def posts_by_person(permissions: UserPermissions, person: User) -> QuerySet[Post]:
    return Post.objects.filter(
        author=person,
        is_deleted=False,
        is_hidden=False,
        thread__in=visible_threads(permissions).filter(is_hidden=False),
    )


def has_blocked(blocker_id: int, blocked_id: int) -> bool:
    """Asked of the database each time: the other person may have blocked someone a moment ago."""
    return Block.objects.filter(blocker_id=blocker_id, blocked_id=blocked_id).exists()


# --- Messages ------------------------------------------------------------------------------


def conversations_for_user(user: User) -> QuerySet[Conversation]:
    return Conversation.objects.filter(Q(user_a=user) | Q(user_b=user))


def get_conversation_for_user(user: User, pk: int) -> Conversation:
    return get_object_or_404(conversations_for_user(user).select_related("user_a", "user_b"), pk=pk)


def get_message_for_user(user: User, pk: int) -> Message:
    return get_object_or_404(
        Message.objects.filter(Q(conversation__user_a=user) | Q(conversation__user_b=user)).select_related(
            "conversation", "sender"
        ),
        pk=pk,
    )


def check_can_message(permissions: UserPermissions, recipient: User) -> None:
    user = permissions.user
    if recipient.pk == user.pk:
        raise PermissionDenied(gettext("You cannot send a message to yourself."))
    check_not_banned(permissions)
    if has_blocked(recipient.pk, user.pk):
        raise PermissionDenied(
            gettext("%(recipient)s is not accepting messages from you.") % {"recipient": recipient.public_name}
        )
    if has_blocked(user.pk, recipient.pk):
        raise PermissionDenied(
            gettext("You blocked %(recipient)s. Unblock them first to send a message.")
            % {"recipient": recipient.public_name}
        )


# --- Cards, notifications -------------------------------------------------------------------


def cards_for_owner(user: User) -> QuerySet[ProgressCard]:
    return ProgressCard.objects.filter(owner=user)


def get_card_for_owner(user: User, pk: int) -> ProgressCard:
    return get_object_or_404(cards_for_owner(user), pk=pk)


def draft_cards(user: User) -> QuerySet[ProgressCard]:
    return cards_for_owner(user).filter(post=None)


def notifications_for_user(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def get_notification_for_user(user: User, pk: int) -> Notification:
    return get_object_or_404(notifications_for_user(user), pk=pk)
