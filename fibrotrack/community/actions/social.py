"""Following people, and blocking them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from fibrotrack.community.access.people import has_blocked
from fibrotrack.community.access.permissions import UserPermissions, permissions_for
from fibrotrack.community.models import Block, UserFollow

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User


def do_follow_user(user: User, person: Any, follow: bool) -> None:
    if person.pk == user.pk:
        raise PermissionDenied(gettext_lazy("You cannot follow yourself."))
    if follow:
        if has_blocked(person.pk, user.pk) or has_blocked(user.pk, person.pk):
            raise PermissionDenied(format_lazy(gettext_lazy("You cannot follow {person}."), person=person.public_name))
        UserFollow.objects.get_or_create(follower=user, followed=person)
    else:
        UserFollow.objects.filter(follower=user, followed=person).delete()


def do_block(user: User, person: Any, block: bool, *, permissions: UserPermissions | None = None) -> None:
    """Blocking stops the person's messages, mentions, replies and reactions from reaching ``user``."""
    perms = permissions_for(user, permissions)
    if person.pk == user.pk:
        raise PermissionDenied(gettext_lazy("You cannot block yourself."))
    with transaction.atomic():
        if block:
            Block.objects.get_or_create(blocker=user, blocked=person)
            UserFollow.objects.filter(Q(follower=user, followed=person) | Q(follower=person, followed=user)).delete()
        else:
            Block.objects.filter(blocker=user, blocked=person).delete()
    perms.forget()
