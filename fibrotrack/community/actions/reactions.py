"""Reactions to posts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from fibrotrack.community.access.permissions import UserPermissions, permissions_for
from fibrotrack.community.access.posts import check_can_react
from fibrotrack.community.actions.posts import may_open
from fibrotrack.community.models import Notification, Post, Reaction
from fibrotrack.community.notifications import notify

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User

Kind = Notification.Kind


def do_react(user: User, post: Post, kind: str, *, permissions: UserPermissions | None = None) -> bool:
    """Toggle a reaction. Returns True if it is now on."""
    perms = permissions_for(user, permissions)
    if kind not in Reaction.Kind.values:
        raise ValidationError(gettext_lazy("Unknown reaction."))
    check_can_react(perms, post)
    with transaction.atomic():
        deleted, _ = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
        if deleted:
            return False
        try:
            with transaction.atomic():
                Reaction.objects.create(post=post, user=user, kind=kind)
        except IntegrityError:
            return True
        if post.author is not None and post.author_id != user.pk and may_open(post.author, post.thread):
            label = Reaction.Kind(kind).label.lower()
            notify(
                post.author,
                Kind.REACTION,
                format_lazy(
                    gettext_lazy("{user} reacted “{label}” to your post in “{title}”"),
                    user=user.public_name,
                    label=label,
                    title=post.thread.title,
                ),
                post.get_absolute_url(),
                actor=user,
                thread=post.thread,
                post=post,
            )
    return True
