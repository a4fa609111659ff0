"""Replies, edits and deletions, and what posting sets off: mentions, follows, crisis reports."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from fibrotrack.community import crisis, floodcontrol, markup
from fibrotrack.community.access.groups import can_see_group_content
from fibrotrack.community.access.permissions import UserPermissions, permissions_for
from fibrotrack.community.access.posts import check_can_delete_post, check_can_edit_post
from fibrotrack.community.access.threads import check_can_reply
from fibrotrack.community.actions.reports import file_crisis_report
from fibrotrack.community.actions.text import PreparedText, check_title, prepare_text, resolve_mentions
from fibrotrack.community.models import (
    Membership,
    Notification,
    Post,
    PostRevision,
    ProgressCard,
    Reaction,
    Thread,
    ThreadFollow,
    ThreadRead,
)
from fibrotrack.community.notifications import notify

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User

Kind = Notification.Kind


def refresh_thread(thread_id: int) -> None:
    last = (
        Post.objects.filter(thread_id=thread_id, is_deleted=False)
        .order_by("-position")
        .values("created_at", "author_id")
        .first()
    )
    count = Post.objects.filter(thread_id=thread_id).count()
    updates: dict[str, Any] = {"post_count": count}
    if last is not None:
        updates.update(last_post_at=last["created_at"], last_poster_id=last["author_id"])
    Thread.objects.filter(pk=thread_id).update(**updates)


def may_open(person: User, thread: Thread) -> bool:
    """Nobody learns of a post (not even its thread's title) that they cannot open."""
    if thread.is_hidden:
        return False
    group = thread.forum.group
    if group is not None and group.is_private:
        # Their own permissions, fresh: they may have joined or left a moment ago.
        return can_see_group_content(permissions_for(person), group)
    return True


def notify_mentions(author: Any, post: Post, mentioned: Iterable[Any], already: set[int]) -> set[int]:
    thread = post.thread
    for person in mentioned:
        if person.pk in already or person.pk == author.pk:
            continue
        if not may_open(person, thread):
            continue
        notify(
            person,
            Kind.MENTION,
            format_lazy(
                gettext_lazy("{author} mentioned you in “{title}”"), author=author.public_name, title=thread.title
            ),
            post.get_absolute_url(),
            actor=author,
            thread=thread,
            post=post,
        )
        already.add(person.pk)
    return already


def attach_card(user: Any, post: Post, card: ProgressCard | None) -> None:
    if card is None:
        return
    if card.owner_id != user.pk:
        raise PermissionDenied(gettext_lazy("That progress card is not yours."))
    updated = ProgressCard.objects.filter(pk=card.pk, owner=user, post=None).update(post=post)
    if not updated:
        raise ValidationError(gettext_lazy("That progress card is already on another post. Make a new one."))


def check_posting(user: Any, prepared: PreparedText, *, new_thread: bool) -> None:
    floodcontrol.check_can_post(user, new_thread=new_thread, external_links=prepared.external_links)


def do_reply(
    user: User,
    thread: Thread,
    body: str,
    *,
    quote_of: Post | None = None,
    card: ProgressCard | None = None,
    permissions: UserPermissions | None = None,
) -> Post:
    perms = permissions_for(user, permissions)
    check_can_reply(perms, thread)
    prepared = prepare_text(body)
    check_posting(user, prepared, new_thread=False)
    now = timezone.now()
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        position = (Post.objects.filter(thread=locked).aggregate(m=Max("position"))["m"] or 0) + 1
        if quote_of is not None and quote_of.thread_id != thread.pk:
            quote_of = None
        post = Post.objects.create(
            thread=locked,
            author=user,
            position=position,
            body=prepared.body,
            html=prepared.html,
            created_at=now,
            mentions_crisis=prepared.crisis,
            quote_of=quote_of,
        )
        post.thread = thread
        attach_card(user, post, card)
        Thread.objects.filter(pk=thread.pk).update(post_count=F("post_count") + 1, last_post_at=now, last_poster=user)
        thread.post_count, thread.last_post_at, thread.last_poster = locked.post_count + 1, now, user
        ThreadFollow.objects.get_or_create(user=user, thread=thread)
        ThreadRead.objects.update_or_create(user=user, thread=thread, defaults={"last_read_at": now})

        notified = notify_mentions(user, post, prepared.mentioned, set())
        if (
            quote_of is not None
            and quote_of.author is not None
            and quote_of.author_id not in notified
            and quote_of.author_id != user.pk
            and may_open(quote_of.author, thread)
        ):
            notify(
                quote_of.author,
                Kind.REPLY,
                format_lazy(gettext_lazy("{user} quoted you in “{title}”"), user=user.public_name, title=thread.title),
                post.get_absolute_url(),
                actor=user,
                thread=thread,
                post=post,
            )
            notified.add(quote_of.author.pk)
        followers = ThreadFollow.objects.filter(thread=thread).exclude(user_id__in=notified | {user.pk})
        group = thread.forum.group
        if group is not None and group.is_private:
            followers = followers.filter(
                user__community_memberships__group=group,
                user__community_memberships__status=Membership.Status.ACTIVE,
            )
        if not thread.is_hidden:
            for follow in followers.select_related("user"):
                notify(
                    follow.user,
                    Kind.REPLY,
                    format_lazy(gettext_lazy("{user} replied in “{title}”"), user=user.public_name, title=thread.title),
                    post.get_absolute_url(),
                    actor=user,
                    thread=thread,
                    post=post,
                )
        if post.mentions_crisis:
            file_crisis_report(post=post)
    return post


def do_edit_post(
    user: User, post: Post, body: str, *, title: str | None = None, permissions: UserPermissions | None = None
) -> Post:
    perms = permissions_for(user, permissions)
    check_can_edit_post(perms, post)
    prepared = prepare_text(body)
    new_title = check_title(title) if title is not None and post.is_first else None
    if floodcontrol.is_new_account(user):
        floodcontrol.check_can_post(user, new_thread=False, external_links=prepared.external_links)
    with transaction.atomic():
        thread = post.thread
        title_changed = new_title is not None and new_title != thread.title
        if prepared.body == post.body and not title_changed:
            return post
        PostRevision.objects.create(post=post, body=post.body, title=thread.title if post.is_first else "")
        old_found, _, _ = resolve_mentions(markup.mention_names(post.body))
        old_ids = {target.user_id for target in old_found.values()}
        post.body, post.html = prepared.body, prepared.html
        post.mentions_crisis = prepared.crisis or (post.is_first and crisis.mentions_crisis(new_title or thread.title))
        post.edited_at = timezone.now()
        post.edit_count += 1
        post.save(update_fields=["body", "html", "mentions_crisis", "edited_at", "edit_count"])
        if title_changed and new_title is not None:
            thread.title = new_title
            thread.save(update_fields=["title"])
        # Only people newly mentioned by this edit are notified.
        notify_mentions(user, post, [p for p in prepared.mentioned if p.pk not in old_ids], set())
        if post.mentions_crisis:
            file_crisis_report(post=post)
    return post


def do_delete_post(user: User, post: Post, *, permissions: UserPermissions | None = None) -> str:
    """The author deletes their post. Returns "thread" if the whole thread went with it, else "post".

    The text is erased (with its edit history); a short placeholder keeps the
    conversation readable when others have replied. A thread with no replies
    from anyone else is deleted outright.
    """
    perms = permissions_for(user, permissions)
    check_can_delete_post(perms, post)
    with transaction.atomic():
        thread = post.thread
        others = Post.objects.filter(thread=thread, is_deleted=False).exclude(author=user).exists()
        if post.is_first and not others:
            thread.delete()
            return "thread"
        erase_post(post)
        refresh_thread(thread.pk)
    return "post"


def erase_post(post: Post) -> None:
    post.revisions.all().delete()
    ProgressCard.objects.filter(post=post).delete()
    Reaction.objects.filter(post=post).delete()
    post.body, post.html, post.is_deleted, post.mentions_crisis = "", "", True, False
    post.save(update_fields=["body", "html", "is_deleted", "mentions_crisis"])
