"""Moderators acting on posts and threads: hide, restore, delete, pin, lock, move."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy, gettext_noop

from fibrotrack.community.access.permissions import UserPermissions, permissions_for
from fibrotrack.community.access.threads import check_can_moderate_thread
from fibrotrack.community.actions.audit import log_action
from fibrotrack.community.actions.posts import erase_post, refresh_thread
from fibrotrack.community.actions.reports import close_reports
from fibrotrack.community.models import Forum, ModerationAction, Notification, Post, Report, Thread
from fibrotrack.community.notices import THREAD_FLAG_NOTICES, moderator_notice
from fibrotrack.community.notifications import notify

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User

Kind = Notification.Kind


def do_hide_post(
    moderator: User,
    post: Post,
    reason: str,
    *,
    report: Report | None = None,
    permissions: UserPermissions | None = None,
) -> None:
    perms = permissions_for(moderator, permissions)
    check_can_moderate_thread(perms, post.thread)
    with transaction.atomic():
        post.is_hidden, post.hidden_reason = True, reason.strip()[:300]
        post.save(update_fields=["is_hidden", "hidden_reason"])
        close_reports(moderator, post=post)
        log_action(
            moderator,
            ModerationAction.Action.HIDE_POST,
            post=post,
            thread=post.thread,
            group=post.thread.forum.group,
            target_user=post.author,
            report=report,
            reason=reason,
        )
        if post.author is not None:
            notify(
                post.author,
                Kind.MODERATION,
                moderator_notice(gettext_noop("A moderator hid your post in “{title}”."), post.thread.title, reason),
                post.get_absolute_url(),
                thread=post.thread,
                post=post,
            )


def do_restore_post(moderator: User, post: Post, *, permissions: UserPermissions | None = None) -> None:
    perms = permissions_for(moderator, permissions)
    check_can_moderate_thread(perms, post.thread)
    with transaction.atomic():
        post.is_hidden, post.hidden_reason = False, ""
        post.save(update_fields=["is_hidden", "hidden_reason"])
        log_action(
            moderator,
            ModerationAction.Action.RESTORE_POST,
            post=post,
            thread=post.thread,
            group=post.thread.forum.group,
            target_user=post.author,
        )
        if post.author is not None:
            notify(
                post.author,
                Kind.MODERATION,
                format_lazy(gettext_lazy("A moderator restored your post in “{title}”."), title=post.thread.title),
                post.get_absolute_url(),
                post=post,
                thread=post.thread,
            )


def do_moderator_delete_post(
    moderator: User, post: Post, reason: str, *, permissions: UserPermissions | None = None
) -> None:
    perms = permissions_for(moderator, permissions)
    check_can_moderate_thread(perms, post.thread)
    with transaction.atomic():
        thread = post.thread
        close_reports(moderator, post=post)
        log_action(
            moderator,
            ModerationAction.Action.DELETE_POST,
            thread=thread,
            group=thread.forum.group,
            target_user=post.author,
            reason=reason,
            detail={"post_id": post.pk},
        )
        if post.is_first:
            do_moderator_delete_thread(moderator, thread, reason, permissions=perms)
            return
        if post.author is not None:
            notify(
                post.author,
                Kind.MODERATION,
                moderator_notice(gettext_noop("A moderator deleted your post in “{title}”."), thread.title, reason),
                thread.get_absolute_url(),
                thread=thread,
            )
        erase_post(post)
        refresh_thread(thread.pk)


def do_set_thread_flag(
    moderator: User,
    thread: Thread,
    flag: str,
    value: bool,
    reason: str = "",
    *,
    permissions: UserPermissions | None = None,
) -> None:
    """Pin, lock or hide (``value=True``), or the reverse."""
    perms = permissions_for(moderator, permissions)
    check_can_moderate_thread(perms, thread)
    actions = {
        ("is_pinned", True): ModerationAction.Action.PIN,
        ("is_pinned", False): ModerationAction.Action.UNPIN,
        ("is_locked", True): ModerationAction.Action.LOCK,
        ("is_locked", False): ModerationAction.Action.UNLOCK,
        ("is_hidden", True): ModerationAction.Action.HIDE_THREAD,
        ("is_hidden", False): ModerationAction.Action.RESTORE_THREAD,
    }
    action = actions.get((flag, value))
    if action is None:
        raise ValidationError(gettext_lazy("Unknown moderation action."))
    with transaction.atomic():
        setattr(thread, flag, value)
        thread.save(update_fields=[flag])
        if flag == "is_hidden" and value:
            close_reports(moderator, thread=thread)
        log_action(moderator, action, thread=thread, group=thread.forum.group, target_user=thread.author, reason=reason)
        if thread.author is not None and flag in {"is_hidden", "is_locked"}:
            notify(
                thread.author,
                Kind.MODERATION,
                moderator_notice(THREAD_FLAG_NOTICES[action], thread.title, reason, optional=True),
                thread.get_absolute_url(),
                thread=thread,
            )


def do_move_thread(
    moderator: User, thread: Thread, forum: Forum, reason: str = "", *, permissions: UserPermissions | None = None
) -> None:
    perms = permissions_for(moderator, permissions)
    check_can_moderate_thread(perms, thread)
    if not perms.can_moderate_forum(forum):
        raise PermissionDenied(gettext_lazy("You can only move threads to forums you moderate."))
    if forum.pk == thread.forum_id:
        return
    with transaction.atomic():
        source = thread.forum
        thread.forum = forum
        thread.save(update_fields=["forum"])
        log_action(
            moderator,
            ModerationAction.Action.MOVE,
            thread=thread,
            group=source.group,
            target_user=thread.author,
            reason=reason,
            detail={"from": source.slug, "to": forum.slug},
        )
        if thread.author is not None:
            notify(
                thread.author,
                Kind.MODERATION,
                format_lazy(
                    gettext_lazy("A moderator moved your thread “{title}” to {forum}."),
                    title=thread.title,
                    forum=forum.name,
                ),
                thread.get_absolute_url(),
                thread=thread,
            )


def do_moderator_delete_thread(
    moderator: User, thread: Thread, reason: str, *, permissions: UserPermissions | None = None
) -> None:
    perms = permissions_for(moderator, permissions)
    check_can_moderate_thread(perms, thread)
    with transaction.atomic():
        log_action(
            moderator,
            ModerationAction.Action.DELETE_THREAD,
            group=thread.forum.group,
            target_user=thread.author,
            reason=reason,
            detail={"thread_id": thread.pk, "title": thread.title, "forum": thread.forum.slug},
        )
        if thread.author is not None:
            notify(
                thread.author,
                Kind.MODERATION,
                moderator_notice(gettext_noop("A moderator deleted your thread “{title}”."), thread.title, reason),
                thread.forum.get_absolute_url(),
            )
        thread.delete()
