"""Preparing a person's community content for the deletion of their account."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from fibrotrack.community.actions.posts import refresh_thread
from fibrotrack.community.models import Post, PostRevision, ProgressCard, Reaction, Report, Thread

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User


def do_prepare_account_deletion(user: User, keep_posts: bool) -> None:
    """Call inside the account-deletion transaction, just before ``user.delete()``.

    ``keep_posts=True``: every post and thread the person wrote stays, with no
    author, no edit history and no progress card; nothing links it to them.
    ``keep_posts=False``: their posts are erased. Threads they started that
    others replied to keep the others' replies under a neutral title, so that
    nobody else's words disappear; the rest of their threads are deleted.
    Their reactions, follows, messages, reports, notifications and profile go
    with the user row (``CASCADE``).
    """
    with transaction.atomic():
        thread_ids = set(Post.objects.filter(author=user).values_list("thread_id", flat=True))
        ProgressCard.objects.filter(owner=user).delete()
        PostRevision.objects.filter(post__author=user).delete()
        Report.objects.filter(post__author=user, reporter=None).delete()
        if keep_posts:
            Post.objects.filter(author=user).update(author=None, quote_of=None)
            Thread.objects.filter(author=user).update(author=None)
        else:
            own_threads = Thread.objects.filter(author=user)
            shared = set(
                Post.objects.filter(thread__in=own_threads).exclude(author=user).values_list("thread_id", flat=True)
            )
            own_threads.exclude(pk__in=shared).delete()
            for post in Post.objects.filter(author=user, thread_id__in=shared, position=0):
                post.body, post.html, post.is_deleted, post.author = "", "", True, None
                post.save(update_fields=["body", "html", "is_deleted", "author"])
            Thread.objects.filter(pk__in=shared).update(author=None, title="A thread whose author left")
            Post.objects.filter(author=user).delete()
        Thread.objects.filter(last_poster=user).update(last_poster=None)
        Reaction.objects.filter(user=user).delete()
        for thread_id in Thread.objects.filter(pk__in=thread_ids).values_list("pk", flat=True):
            refresh_thread(thread_id)
