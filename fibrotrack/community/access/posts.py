"""Single posts: reading one, editing or deleting one's own, reacting, the edit history."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from fibrotrack.community.access.permissions import UserPermissions, check_not_banned
from fibrotrack.community.access.threads import get_thread_for_user
from fibrotrack.community.models import Post


def get_post_for_user(permissions: UserPermissions, pk: int) -> Post:
    post = get_object_or_404(Post.objects.select_related("thread", "thread__forum", "thread__forum__group"), pk=pk)
    get_thread_for_user(permissions, post.thread_id)  # raises 404 when the thread is out of reach
    return post


def can_see_post_body(permissions: UserPermissions, post: Post) -> bool:
    if post.is_deleted:
        return False
    if not post.is_hidden:
        return True
    return post.author_id == permissions.user.pk or permissions.can_moderate_forum(post.thread.forum)


def check_can_edit_post(permissions: UserPermissions, post: Post) -> None:
    if post.author_id != permissions.user.pk:
        raise PermissionDenied(gettext("You can only edit your own posts."))
    if post.is_deleted:
        raise PermissionDenied(gettext("This post was deleted."))
    if post.is_hidden:
        raise PermissionDenied(gettext("A moderator hid this post, so it cannot be edited. You can still delete it."))
    if post.thread.is_locked and not permissions.can_moderate_forum(post.thread.forum):
        raise PermissionDenied(gettext("This thread is locked, so its posts cannot be edited."))
    check_not_banned(permissions, post.thread.forum.group_id)


def check_can_delete_post(permissions: UserPermissions, post: Post) -> None:
    if post.author_id != permissions.user.pk:
        raise PermissionDenied(gettext("You can only delete your own posts."))
    if post.is_deleted:
        raise PermissionDenied(gettext("This post is already deleted."))


def check_can_react(permissions: UserPermissions, post: Post) -> None:
    if post.is_deleted or post.is_hidden:
        raise PermissionDenied(gettext("You cannot react to a hidden or deleted post."))
    if post.author_id == permissions.user.pk:
        raise PermissionDenied(gettext("You cannot react to your own post."))
    check_not_banned(permissions, post.thread.forum.group_id)


def check_can_see_history(permissions: UserPermissions, post: Post) -> None:
    if not permissions.can_moderate_forum(post.thread.forum):
        raise PermissionDenied(gettext("Only moderators can read the edit history."))
