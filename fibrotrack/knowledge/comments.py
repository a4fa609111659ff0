"""Comments on an article: a thread of its own in the community's "Treatment articles" forum.

The thread is made when the first comment is posted, so articles nobody
discusses leave no empty threads. Everything else is the community's: posting
(flood control, word filter, crisis reports) goes through ``do_reply``;
reporting and moderating use the community's pages. Comments are for signed-in
members only, like the rest of the community: people write about their own
health there, and a public page would show it to search engines and to anyone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fibrotrack.community import markup
from fibrotrack.community.access.permissions import UserPermissions, ban_message, permissions_for
from fibrotrack.community.access.threads import can_reply
from fibrotrack.community.actions.posts import do_reply
from fibrotrack.community.models import Forum, Post, Thread
from fibrotrack.knowledge.models import Article

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User

FORUM_SLUG = "treatment-articles"
# The latest comments on the article page; all of them are in the community thread.
COMMENTS_SHOWN = 50


def article_forum() -> Forum:
    forum, _ = Forum.objects.get_or_create(
        slug=FORUM_SLUG,
        defaults={
            "name": "Treatment articles",
            "description": "Comments on the treatment articles. Each article has one thread.",
            # Threads here are made by the site, one per article; members reply.
            "staff_only_threads": True,
            "position": 200,
        },
    )
    return forum


def thread_for(article: Article) -> Thread:
    """The article's thread, made on first use (under a row lock, so two first comments make one thread)."""
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if locked.thread_id is not None:
            article.thread_id = locked.thread_id
            return Thread.objects.select_related("forum", "forum__group").get(pk=locked.thread_id)
        now = timezone.now()
        thread = Thread.objects.create(
            forum=article_forum(), title=f"Comments: {article.title}"[:150], created_at=now, last_post_at=now
        )
        body = f"Comments on the article [{article.title}]({article.get_absolute_url()})."
        Post.objects.create(thread=thread, position=0, body=body, html=markup.render(body).html, created_at=now)
        Thread.objects.filter(pk=thread.pk).update(post_count=1)
        Article.objects.filter(pk=article.pk).update(thread=thread)
        article.thread = thread
        return Thread.objects.select_related("forum", "forum__group").get(pk=thread.pk)


def do_comment(user: User, article: Article, body: str, *, permissions: UserPermissions | None = None) -> Post:
    """Post a comment (ValidationError / PermissionDenied as for any community reply)."""
    perms = permissions_for(user, permissions)
    return do_reply(user, thread_for(article), body, permissions=perms)


def comment_refusal(perms: UserPermissions, article: Article) -> str | None:
    """Why this person may not comment (None when they may)."""
    if article.thread is not None:
        return can_reply(perms, article.thread)
    ban = perms.ban_for(None)
    return ban_message(ban) if ban is not None else None


def visible_comments(perms: UserPermissions, article: Article) -> list[Post]:
    """The comments this member may see, oldest first (hidden ones only to their author and moderators)."""
    if article.thread_id is None:
        return []
    qs = Post.objects.filter(thread_id=article.thread_id, position__gt=0, is_deleted=False)
    thread = article.thread
    moderator = thread is not None and perms.can_moderate_forum(thread.forum)
    if not moderator:
        qs = qs.filter(Q(is_hidden=False) | Q(author=perms.user))
    if perms.blocked_ids:
        qs = qs.exclude(author_id__in=perms.blocked_ids)
    posts = list(qs.select_related("author").order_by("-position")[:COMMENTS_SHOWN])
    posts.reverse()
    for post in posts:
        post.is_mine = post.author_id == perms.user.pk  # type: ignore[attr-defined]
        post.can_moderate = moderator  # type: ignore[attr-defined]
    return posts
