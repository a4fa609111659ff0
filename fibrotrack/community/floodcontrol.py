"""Flood control for everyone, and tighter posting limits for new accounts.

Counts come from the database (the rows just written), so the limits hold
across every worker process and survive restarts. The limits are settings:

* ``COMMUNITY_FLOOD_POSTS`` posts per ``COMMUNITY_FLOOD_SECONDS`` for anyone;
* ``COMMUNITY_FLOOD_MESSAGES`` private messages per ``COMMUNITY_FLOOD_SECONDS``;
* accounts younger than ``COMMUNITY_NEW_ACCOUNT_DAYS``: at most
  ``COMMUNITY_NEW_ACCOUNT_THREADS_PER_DAY`` threads, ``COMMUNITY_NEW_ACCOUNT_POSTS_PER_DAY``
  posts and ``COMMUNITY_NEW_ACCOUNT_LINKS`` links in a post.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext, ngettext

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def is_new_account(user: User) -> bool:
    if user.is_staff:
        return False
    return user.date_joined > timezone.now() - dt.timedelta(days=_setting("COMMUNITY_NEW_ACCOUNT_DAYS", 2))


def check_can_post(user: User, *, new_thread: bool, external_links: int = 0) -> None:
    """Raise ValidationError with a plain explanation if ``user`` may not post right now."""
    from fibrotrack.community.models import Post, Thread

    now = timezone.now()
    window = _setting("COMMUNITY_FLOOD_SECONDS", 60)
    recent = Post.objects.filter(author=user, created_at__gte=now - dt.timedelta(seconds=window)).count()
    if recent >= _setting("COMMUNITY_FLOOD_POSTS", 5):
        raise ValidationError(
            ngettext(
                "You are posting very quickly: at most %(count)s post in %(seconds)s seconds. "
                "Please wait a minute and try again. Your text is still here.",
                "You are posting very quickly: at most %(count)s posts in %(seconds)s seconds. "
                "Please wait a minute and try again. Your text is still here.",
                _setting("COMMUNITY_FLOOD_POSTS", 5),
            )
            % {"count": _setting("COMMUNITY_FLOOD_POSTS", 5), "seconds": window},
            code="flood",
        )
    if not is_new_account(user):
        return
    day_ago = now - dt.timedelta(days=1)
    if new_thread:
        limit = _setting("COMMUNITY_NEW_ACCOUNT_THREADS_PER_DAY", 3)
        if Thread.objects.filter(author=user, created_at__gte=day_ago).count() >= limit:
            raise ValidationError(
                ngettext(
                    "New accounts can start %(count)s thread a day. You can still reply to threads; "
                    "this limit goes away after your first few days.",
                    "New accounts can start %(count)s threads a day. You can still reply to threads; "
                    "this limit goes away after your first few days.",
                    limit,
                )
                % {"count": limit},
                code="new_account_threads",
            )
    limit = _setting("COMMUNITY_NEW_ACCOUNT_POSTS_PER_DAY", 20)
    if Post.objects.filter(author=user, created_at__gte=day_ago).count() >= limit:
        raise ValidationError(
            ngettext(
                "New accounts can post %(count)s time a day. This limit goes away after your first few days.",
                "New accounts can post %(count)s times a day. This limit goes away after your first few days.",
                limit,
            )
            % {"count": limit},
            code="new_account_posts",
        )
    links = _setting("COMMUNITY_NEW_ACCOUNT_LINKS", 2)
    if external_links > links:
        raise ValidationError(
            ngettext(
                "New accounts can include up to %(count)s link in a post (this one has %(found)s). "
                "This keeps spam out; the limit goes away after your first few days.",
                "New accounts can include up to %(count)s links in a post (this one has %(found)s). "
                "This keeps spam out; the limit goes away after your first few days.",
                links,
            )
            % {"count": links, "found": external_links},
            code="new_account_links",
        )


def check_can_message(user: User) -> None:
    from fibrotrack.community.models import Message

    window = _setting("COMMUNITY_FLOOD_SECONDS", 60)
    limit = _setting("COMMUNITY_FLOOD_MESSAGES", 10)
    since = timezone.now() - dt.timedelta(seconds=window)
    if Message.objects.filter(sender=user, created_at__gte=since).count() >= limit:
        raise ValidationError(
            gettext(
                "You are sending messages very quickly: at most %(count)s in %(seconds)s seconds. Please wait a minute."
            )
            % {"count": limit, "seconds": window},
            code="flood",
        )
    if is_new_account(user):
        day_limit = _setting("COMMUNITY_NEW_ACCOUNT_MESSAGES_PER_DAY", 20)
        day_ago = timezone.now() - dt.timedelta(days=1)
        if Message.objects.filter(sender=user, created_at__gte=day_ago).count() >= day_limit:
            raise ValidationError(
                ngettext(
                    "New accounts can send %(count)s message a day. This limit goes away after your first few days.",
                    "New accounts can send %(count)s messages a day. This limit goes away after your first few days.",
                    day_limit,
                )
                % {"count": day_limit},
                code="new_account_messages",
            )
