"""Threads: starting one, its treatment tags, following and reading."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from fibrotrack.community import crisis
from fibrotrack.community.access.people import profile_for
from fibrotrack.community.access.permissions import UserPermissions, permissions_for
from fibrotrack.community.access.threads import check_can_edit_thread_tags, check_can_start_thread
from fibrotrack.community.actions.audit import log_action
from fibrotrack.community.actions.posts import attach_card, check_posting, notify_mentions
from fibrotrack.community.actions.reports import file_crisis_report
from fibrotrack.community.actions.text import check_title, prepare_text
from fibrotrack.community.models import Forum, ModerationAction, Post, ProgressCard, Thread, ThreadFollow, ThreadRead

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User


def do_start_thread(
    user: User,
    forum: Forum,
    title: str,
    body: str,
    *,
    card: ProgressCard | None = None,
    treatment_ids: Sequence[int] = (),
    permissions: UserPermissions | None = None,
) -> Thread:
    perms = permissions_for(user, permissions)
    check_can_start_thread(perms, forum)
    title = check_title(title)
    prepared = prepare_text(body)
    check_posting(user, prepared, new_thread=True)
    now = timezone.now()
    with transaction.atomic():
        thread = Thread.objects.create(
            forum=forum, author=user, title=title, created_at=now, last_post_at=now, last_poster=user, post_count=1
        )
        post = Post.objects.create(
            thread=thread,
            author=user,
            position=0,
            body=prepared.body,
            html=prepared.html,
            created_at=now,
            mentions_crisis=prepared.crisis or crisis.mentions_crisis(title),
        )
        attach_card(user, post, card)
        _set_treatments(thread, treatment_ids)
        ThreadFollow.objects.create(user=user, thread=thread)
        ThreadRead.objects.create(user=user, thread=thread, last_read_at=now)
        thread.forum = forum
        post.thread = thread
        notify_mentions(user, post, prepared.mentioned, set())
        if post.mentions_crisis:
            file_crisis_report(post=post)
    return thread


def _set_treatments(thread: Thread, treatment_ids: Sequence[int]) -> None:
    from fibrotrack.community import treatments

    treatments.set_thread_treatments(thread, treatment_ids)


def do_set_thread_treatments(
    user: User, thread: Thread, treatment_ids: Sequence[int], *, permissions: UserPermissions | None = None
) -> bool:
    """Change which catalogue treatments a thread is tagged with; True if anything changed.

    The author may retag their thread; a moderator may retag anyone's, and
    that is recorded in the moderation log with the tags before and after.
    """
    from fibrotrack.community import treatments

    perms = permissions_for(user, permissions)
    check_can_edit_thread_tags(perms, thread)
    wanted = list(dict.fromkeys(int(pk) for pk in treatment_ids))
    if len(wanted) > treatments.MAX_THREAD_TAGS:
        raise ValidationError(
            format_lazy(
                gettext_lazy("Choose at most {count} treatments: the ones this thread is mostly about."),
                count=treatments.MAX_THREAD_TAGS,
            ),
            code="too_many",
        )
    with transaction.atomic():
        before = dict(thread.treatments.values_list("pk", "key"))
        treatments.set_thread_treatments(thread, wanted)
        after = dict(thread.treatments.values_list("pk", "key"))
        if set(before) == set(after):
            return False
        if thread.author_id != user.pk:
            log_action(
                user,
                ModerationAction.Action.TAG_THREAD,
                thread=thread,
                group=thread.forum.group,
                target_user=thread.author,
                detail={"from": sorted(before.values()), "to": sorted(after.values())},
            )
    return True


def do_follow_thread(user: User, thread: Thread, follow: bool) -> None:
    if follow:
        ThreadFollow.objects.get_or_create(user=user, thread=thread)
    else:
        ThreadFollow.objects.filter(user=user, thread=thread).delete()


def do_mark_thread_read(user: User, thread: Thread, upto: dt.datetime) -> None:
    read = ThreadRead.objects.filter(user=user, thread=thread).first()
    if read is None:
        try:
            with transaction.atomic():
                ThreadRead.objects.create(user=user, thread=thread, last_read_at=upto)
        except IntegrityError:
            ThreadRead.objects.filter(user=user, thread=thread, last_read_at__lt=upto).update(last_read_at=upto)
    elif read.last_read_at < upto:
        ThreadRead.objects.filter(pk=read.pk).update(last_read_at=upto)


def do_mark_all_read(user: User) -> None:
    with transaction.atomic():
        profile = profile_for(user)
        profile.read_cutoff = timezone.now()
        profile.save(update_fields=["read_cutoff"])
        ThreadRead.objects.filter(user=user).delete()
