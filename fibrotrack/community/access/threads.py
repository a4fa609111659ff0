"""Forums and threads: which a person can see, start, reply to, retag or moderate."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from fibrotrack.community.access.groups import can_see_group_content
from fibrotrack.community.access.permissions import UserPermissions, ban_message
from fibrotrack.community.models import Forum, Thread


def get_forum_for_user(permissions: UserPermissions, slug: str) -> Forum:
    return get_object_or_404(permissions.visible_forums().select_related("group"), slug=slug)


def can_start_thread(permissions: UserPermissions, forum: Forum) -> str | None:
    """None if allowed, else the reason in plain words."""
    ban = permissions.ban_for(forum.group_id)
    if ban is not None:
        return ban_message(ban)
    if forum.staff_only_threads and not permissions.can_moderate_forum(forum):
        return gettext("Only moderators start threads here. You can reply to them.")
    if forum.group is not None and not permissions.is_member(forum.group) and not permissions.is_global_moderator:
        return gettext("Join %(group)s to start a thread. Joining is free and you can leave at any time.") % {
            "group": forum.group.name
        }
    return None


def check_can_start_thread(permissions: UserPermissions, forum: Forum) -> None:
    reason = can_start_thread(permissions, forum)
    if reason:
        raise PermissionDenied(reason)


def threads_in_forum(permissions: UserPermissions, forum: Forum) -> QuerySet[Thread]:
    qs = Thread.objects.filter(forum=forum)
    if not permissions.can_moderate_forum(forum):
        qs = qs.filter(Q(is_hidden=False) | Q(author=permissions.user))
    blocked = permissions.blocked_ids
    if blocked:
        qs = qs.exclude(author_id__in=blocked)
    return qs


def visible_threads(permissions: UserPermissions) -> QuerySet[Thread]:
    """Threads in every forum the person can see, hidden ones only where they moderate."""
    qs = Thread.objects.filter(forum_id__in=permissions.visible_forum_ids)
    if not permissions.is_global_moderator:
        moderated = list(
            Forum.objects.filter(group_id__in=permissions.moderated_group_ids).values_list("pk", flat=True)
        )
        qs = qs.filter(Q(is_hidden=False) | Q(author=permissions.user) | Q(forum_id__in=moderated))
    return qs


def get_thread_for_user(permissions: UserPermissions, pk: int) -> Thread:
    thread = get_object_or_404(Thread.objects.select_related("forum", "forum__group"), pk=pk)
    forum = thread.forum
    if forum.group is not None and not can_see_group_content(permissions, forum.group):
        raise Http404("No such thread")
    if thread.is_hidden and thread.author_id != permissions.user.pk and not permissions.can_moderate_forum(forum):
        raise Http404("No such thread")
    return thread


def can_reply(permissions: UserPermissions, thread: Thread) -> str | None:
    """None if the person may reply, else the reason in plain words."""
    forum = thread.forum
    ban = permissions.ban_for(forum.group_id)
    if ban is not None:
        return ban_message(ban)
    moderator = permissions.can_moderate_forum(forum)
    if thread.is_locked and not moderator:
        return gettext("This thread is locked, so nobody can reply. You can start a new thread.")
    if thread.is_hidden and not moderator:
        return gettext("This thread is hidden by the moderators, so nobody can reply.")
    if forum.group is not None and not permissions.is_member(forum.group) and not moderator:
        return gettext("Join %(group)s to reply. Joining is free and you can leave at any time.") % {
            "group": forum.group.name
        }
    return None


def check_can_reply(permissions: UserPermissions, thread: Thread) -> None:
    reason = can_reply(permissions, thread)
    if reason:
        raise PermissionDenied(reason)


def thread_tags_refusal(permissions: UserPermissions, thread: Thread) -> str | None:
    """None if the person may change the treatments a thread is tagged with, else why not.

    The author may, on the same terms as editing their opening post; the
    thread's moderators always may (to fix a wrong or missing tag).
    """
    forum = thread.forum
    if permissions.can_moderate_forum(forum):
        return None
    if thread.author_id is None or thread.author_id != permissions.user.pk:
        return gettext("Only the person who started this thread and the moderators can change its treatments.")
    if thread.is_hidden:
        return gettext("A moderator hid this thread, so its treatments cannot be changed.")
    if thread.is_locked:
        return gettext("This thread is locked, so its treatments cannot be changed.")
    ban = permissions.ban_for(forum.group_id)
    if ban is not None:
        return ban_message(ban)
    return None


def check_can_edit_thread_tags(permissions: UserPermissions, thread: Thread) -> None:
    reason = thread_tags_refusal(permissions, thread)
    if reason:
        raise PermissionDenied(reason)


def check_can_moderate_thread(permissions: UserPermissions, thread: Thread) -> None:
    if not permissions.can_moderate_forum(thread.forum):
        raise PermissionDenied(gettext("Only moderators can do that."))
