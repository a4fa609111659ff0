"""Who may see and do what in the community. Views read only through here.

Getters raise ``Http404`` for anything the person may not see, so a private
group, somebody else's conversation or a hidden thread is indistinguishable
from one that does not exist. ``check_*`` functions guard writes on things the
person *can* see and raise ``PermissionDenied`` with a plain explanation.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from fibrotrack.community.models import (
    Ban,
    Block,
    Conversation,
    Forum,
    Membership,
    Message,
    Notification,
    Post,
    Profile,
    ProgressCard,
    Report,
    SupportGroup,
    Thread,
    Visibility,
)

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User


# --- Roles -----------------------------------------------------------------------


def is_global_moderator(user: Any) -> bool:
    """Site admins and people given the "moderate_all" permission moderate everything."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cached = getattr(user, "_community_global_mod", None)
    if cached is None:
        cached = bool(user.is_superuser or user.has_perm("community.moderate_all"))
        user._community_global_mod = cached
    return bool(cached)


def memberships_for_user(user: User) -> dict[int, Membership]:
    """All of the person's memberships, requests and invitations, by group id (cached per request)."""
    cached: dict[int, Membership] | None = getattr(user, "_community_memberships", None)
    if cached is None:
        cached = {m.group_id: m for m in Membership.objects.filter(user=user)}
        user._community_memberships = cached  # type: ignore[attr-defined]
    return cached


def forget_cached_roles(user: Any) -> None:
    for attr in ("_community_memberships", "_community_global_mod", "_community_blocked", "_community_bans"):
        if hasattr(user, attr):
            delattr(user, attr)


def active_membership(user: User, group: SupportGroup | int) -> Membership | None:
    group_id = group if isinstance(group, int) else group.pk
    membership = memberships_for_user(user).get(group_id)
    return membership if membership and membership.status == Membership.Status.ACTIVE else None


def is_member(user: User, group: SupportGroup) -> bool:
    return active_membership(user, group) is not None


def moderated_group_ids(user: User) -> set[int]:
    return {
        gid
        for gid, m in memberships_for_user(user).items()
        if m.status == Membership.Status.ACTIVE and m.role == Membership.Role.MODERATOR
    }


def can_moderate_group(user: User, group: SupportGroup | None) -> bool:
    if is_global_moderator(user):
        return True
    return group is not None and group.pk in moderated_group_ids(user)


def can_moderate_forum(user: User, forum: Forum) -> bool:
    if is_global_moderator(user):
        return True
    return forum.group_id is not None and forum.group_id in moderated_group_ids(user)


def is_moderator_anywhere(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and (is_global_moderator(user) or bool(moderated_group_ids(user)))


# --- Bans and blocks ---------------------------------------------------------------


def active_bans(user: User) -> list[Ban]:
    cached: list[Ban] | None = getattr(user, "_community_bans", None)
    if cached is None:
        now = timezone.now()
        cached = list(Ban.objects.filter(user=user, lifted_at=None).filter(Q(expires_at=None) | Q(expires_at__gt=now)))
        user._community_bans = cached  # type: ignore[attr-defined]
    return cached


def ban_for(user: User, group_id: int | None = None) -> Ban | None:
    """The ban that stops ``user`` posting here: community-wide, or for this group."""
    for ban in active_bans(user):
        if not ban.is_active:
            continue
        if ban.group_id is None or (group_id is not None and ban.group_id == group_id):
            return ban
    return None


def _ban_message(ban: Ban) -> str:
    where = "the community" if ban.group_id is None else "this group"
    until = f"until {timezone.localtime(ban.expires_at):%-d %B %Y, %H:%M}" if ban.expires_at else "for good"
    return f"You are banned from posting in {where} {until}. The moderators' reason: {ban.reason}"


def check_not_banned(user: User, group_id: int | None = None) -> None:
    ban = ban_for(user, group_id)
    if ban is not None:
        raise PermissionDenied(_ban_message(ban))


def blocked_ids(user: User) -> set[int]:
    """People ``user`` has blocked (cached per request)."""
    cached: set[int] | None = getattr(user, "_community_blocked", None)
    if cached is None:
        cached = set(Block.objects.filter(blocker=user).values_list("blocked_id", flat=True))
        user._community_blocked = cached  # type: ignore[attr-defined]
    return cached


def has_blocked(blocker_id: int, blocked_id: int) -> bool:
    return Block.objects.filter(blocker_id=blocker_id, blocked_id=blocked_id).exists()


def blocks_between(a_id: int, b_id: int) -> bool:
    return Block.objects.filter(Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)).exists()


# --- Groups ------------------------------------------------------------------------


def groups_for_directory(user: User) -> QuerySet[SupportGroup]:
    """Groups whose name and description this person may see."""
    if is_global_moderator(user):
        return SupportGroup.objects.all()
    mine = list(memberships_for_user(user))
    return SupportGroup.objects.filter(Q(kind=SupportGroup.Kind.PUBLIC) | Q(is_listed=True) | Q(pk__in=mine)).distinct()


def can_see_group_content(user: User, group: SupportGroup) -> bool:
    return not group.is_private or is_member(user, group) or is_global_moderator(user)


def get_group_for_user(user: User, slug: str) -> SupportGroup:
    """A group whose content (forum, members, rules) this person may see."""
    group = get_object_or_404(SupportGroup, slug=slug)
    if not can_see_group_content(user, group):
        raise Http404("No such group")
    return group


def get_group_to_join(user: User, slug: str) -> SupportGroup:
    """A group this person may join or ask to join: public, listed, or one they are invited to."""
    group = get_object_or_404(SupportGroup, slug=slug)
    if group.is_private and not group.is_listed and group.pk not in memberships_for_user(user):
        raise Http404("No such group")
    return group


def get_group_for_moderator(user: User, slug: str) -> SupportGroup:
    group = get_group_for_user(user, slug)
    if not can_moderate_group(user, group):
        raise PermissionDenied("Only this group's moderators can do that.")
    return group


def can_manage_groups(user: Any) -> bool:
    """Site admins create and configure groups and appoint their moderators.

    They are the same people who moderate everything (superusers and holders
    of ``community.moderate_all``); a group's own moderators run their group
    but do not create groups or appoint other moderators.
    """
    return is_global_moderator(user)


def check_can_manage_groups(user: Any) -> None:
    """Like the other moderator pages, the group tools do not exist for anyone else."""
    if not can_manage_groups(user):
        raise Http404("No such page")


def get_group_for_admin(user: User, slug: str) -> SupportGroup:
    check_can_manage_groups(user)
    return get_object_or_404(SupportGroup.objects.select_related("forum"), slug=slug)


def members_of(user: User, group: SupportGroup) -> QuerySet[Membership]:
    if not can_see_group_content(user, group):
        raise Http404("No such group")
    return (
        Membership.objects.filter(group=group, status=Membership.Status.ACTIVE)
        .select_related("user")
        .order_by("-role", "user__display_name", "user_id")
    )


# --- Forums and threads ----------------------------------------------------------------


def visible_forums(user: User) -> QuerySet[Forum]:
    if is_global_moderator(user):
        return Forum.objects.all()
    mine = [gid for gid, m in memberships_for_user(user).items() if m.status == Membership.Status.ACTIVE]
    return Forum.objects.filter(Q(group=None) | Q(group__kind=SupportGroup.Kind.PUBLIC) | Q(group_id__in=mine))


def visible_forum_ids(user: User) -> list[int]:
    cached: list[int] | None = getattr(user, "_community_forum_ids", None)
    if cached is None:
        cached = list(visible_forums(user).values_list("pk", flat=True))
        user._community_forum_ids = cached  # type: ignore[attr-defined]
    return cached


def get_forum_for_user(user: User, slug: str) -> Forum:
    return get_object_or_404(visible_forums(user).select_related("group"), slug=slug)


def can_start_thread(user: User, forum: Forum) -> str | None:
    """None if allowed, else the reason in plain words."""
    ban = ban_for(user, forum.group_id)
    if ban is not None:
        return _ban_message(ban)
    if forum.staff_only_threads and not can_moderate_forum(user, forum):
        return "Only moderators start threads here. You can reply to them."
    if forum.group is not None and not is_member(user, forum.group) and not is_global_moderator(user):
        return f"Join {forum.group.name} to start a thread. Joining is free and you can leave at any time."
    return None


def check_can_start_thread(user: User, forum: Forum) -> None:
    reason = can_start_thread(user, forum)
    if reason:
        raise PermissionDenied(reason)


def threads_in_forum(user: User, forum: Forum) -> QuerySet[Thread]:
    qs = Thread.objects.filter(forum=forum)
    if not can_moderate_forum(user, forum):
        qs = qs.filter(Q(is_hidden=False) | Q(author=user))
    blocked = blocked_ids(user)
    if blocked:
        qs = qs.exclude(author_id__in=blocked)
    return qs


def visible_threads(user: User) -> QuerySet[Thread]:
    """Threads in every forum the person can see, hidden ones only where they moderate."""
    forum_ids = visible_forum_ids(user)
    qs = Thread.objects.filter(forum_id__in=forum_ids)
    if not is_global_moderator(user):
        moderated = list(Forum.objects.filter(group_id__in=moderated_group_ids(user)).values_list("pk", flat=True))
        qs = qs.filter(Q(is_hidden=False) | Q(author=user) | Q(forum_id__in=moderated))
    return qs


def get_thread_for_user(user: User, pk: int) -> Thread:
    thread = get_object_or_404(Thread.objects.select_related("forum", "forum__group"), pk=pk)
    forum = thread.forum
    if forum.group is not None and not can_see_group_content(user, forum.group):
        raise Http404("No such thread")
    if thread.is_hidden and thread.author_id != user.pk and not can_moderate_forum(user, forum):
        raise Http404("No such thread")
    return thread


def can_reply(user: User, thread: Thread) -> str | None:
    """None if ``user`` may reply, else the reason in plain words."""
    forum = thread.forum
    ban = ban_for(user, forum.group_id)
    if ban is not None:
        return _ban_message(ban)
    moderator = can_moderate_forum(user, forum)
    if thread.is_locked and not moderator:
        return "This thread is locked, so nobody can reply. You can start a new thread."
    if thread.is_hidden and not moderator:
        return "This thread is hidden by the moderators, so nobody can reply."
    if forum.group is not None and not is_member(user, forum.group) and not moderator:
        return f"Join {forum.group.name} to reply. Joining is free and you can leave at any time."
    return None


def check_can_reply(user: User, thread: Thread) -> None:
    reason = can_reply(user, thread)
    if reason:
        raise PermissionDenied(reason)


def thread_tags_refusal(user: User, thread: Thread) -> str | None:
    """None if ``user`` may change the treatments a thread is tagged with, else why not.

    The author may, on the same terms as editing their opening post; the
    thread's moderators always may (to fix a wrong or missing tag).
    """
    forum = thread.forum
    if can_moderate_forum(user, forum):
        return None
    if thread.author_id is None or thread.author_id != user.pk:
        return "Only the person who started this thread and the moderators can change its treatments."
    if thread.is_hidden:
        return "A moderator hid this thread, so its treatments cannot be changed."
    if thread.is_locked:
        return "This thread is locked, so its treatments cannot be changed."
    ban = ban_for(user, forum.group_id)
    if ban is not None:
        return _ban_message(ban)
    return None


def check_can_edit_thread_tags(user: User, thread: Thread) -> None:
    reason = thread_tags_refusal(user, thread)
    if reason:
        raise PermissionDenied(reason)


def check_can_moderate_thread(user: User, thread: Thread) -> None:
    if not can_moderate_forum(user, thread.forum):
        raise PermissionDenied("Only moderators can do that.")


# --- Posts -------------------------------------------------------------------------------


def get_post_for_user(user: User, pk: int) -> Post:
    post = get_object_or_404(Post.objects.select_related("thread", "thread__forum", "thread__forum__group"), pk=pk)
    get_thread_for_user(user, post.thread_id)  # raises 404 when the thread is out of reach
    return post


def can_see_post_body(user: User, post: Post) -> bool:
    if post.is_deleted:
        return False
    if not post.is_hidden:
        return True
    return post.author_id == user.pk or can_moderate_forum(user, post.thread.forum)


def check_can_edit_post(user: User, post: Post) -> None:
    if post.author_id != user.pk:
        raise PermissionDenied("You can only edit your own posts.")
    if post.is_deleted:
        raise PermissionDenied("This post was deleted.")
    if post.is_hidden:
        raise PermissionDenied("A moderator hid this post, so it cannot be edited. You can still delete it.")
    if post.thread.is_locked and not can_moderate_forum(user, post.thread.forum):
        raise PermissionDenied("This thread is locked, so its posts cannot be edited.")
    check_not_banned(user, post.thread.forum.group_id)


def check_can_delete_post(user: User, post: Post) -> None:
    if post.author_id != user.pk:
        raise PermissionDenied("You can only delete your own posts.")
    if post.is_deleted:
        raise PermissionDenied("This post is already deleted.")


def check_can_react(user: User, post: Post) -> None:
    if post.is_deleted or post.is_hidden:
        raise PermissionDenied("You cannot react to a hidden or deleted post.")
    if post.author_id == user.pk:
        raise PermissionDenied("You cannot react to your own post.")
    check_not_banned(user, post.thread.forum.group_id)


def check_can_see_history(user: User, post: Post) -> None:
    if not can_moderate_forum(user, post.thread.forum):
        raise PermissionDenied("Only moderators can read the edit history.")


# --- People -------------------------------------------------------------------------------


def get_person(user: User, pk: int) -> Any:
    from fibrotrack.accounts.models import User as UserModel

    return get_object_or_404(UserModel, pk=pk, is_active=True)


def profile_for(user: Any) -> Profile:
    """The person's community profile, made on first use.

    Threads with no activity since the read cutoff count as read: at first
    that is when they joined (at most 30 days back), so a newcomer is not
    greeted by years of "new" threads.
    """
    cutoff = max(user.date_joined, timezone.now() - dt.timedelta(days=30))
    profile, _ = Profile.objects.get_or_create(user=user, defaults={"read_cutoff": cutoff})
    return profile


def field_visible(viewer: User, owner_id: int, visibility: str) -> bool:
    return viewer.pk == owner_id or visibility == Visibility.MEMBERS


def posts_by_person(viewer: User, person: Any) -> QuerySet[Post]:
    return Post.objects.filter(
        author=person,
        is_deleted=False,
        is_hidden=False,
        thread__in=visible_threads(viewer).filter(is_hidden=False),
    )


# --- Messages ------------------------------------------------------------------------------


def conversations_for_user(user: User) -> QuerySet[Conversation]:
    return Conversation.objects.filter(Q(user_a=user) | Q(user_b=user))


def get_conversation_for_user(user: User, pk: int) -> Conversation:
    return get_object_or_404(conversations_for_user(user).select_related("user_a", "user_b"), pk=pk)


def get_message_for_user(user: User, pk: int) -> Message:
    return get_object_or_404(
        Message.objects.filter(Q(conversation__user_a=user) | Q(conversation__user_b=user)).select_related(
            "conversation", "sender"
        ),
        pk=pk,
    )


def check_can_message(user: User, recipient: Any) -> None:
    if recipient.pk == user.pk:
        raise PermissionDenied("You cannot send a message to yourself.")
    check_not_banned(user)
    if has_blocked(recipient.pk, user.pk):
        raise PermissionDenied(f"{recipient.public_name} is not accepting messages from you.")
    if has_blocked(user.pk, recipient.pk):
        raise PermissionDenied(f"You blocked {recipient.public_name}. Unblock them first to send a message.")


# --- Cards, notifications -------------------------------------------------------------------


def cards_for_owner(user: User) -> QuerySet[ProgressCard]:
    return ProgressCard.objects.filter(owner=user)


def get_card_for_owner(user: User, pk: int) -> ProgressCard:
    return get_object_or_404(cards_for_owner(user), pk=pk)


def draft_cards(user: User) -> QuerySet[ProgressCard]:
    return cards_for_owner(user).filter(post=None)


def notifications_for_user(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def get_notification_for_user(user: User, pk: int) -> Notification:
    return get_object_or_404(notifications_for_user(user), pk=pk)


# --- Moderation -------------------------------------------------------------------------------


def reports_for_moderator(user: User) -> QuerySet[Report]:
    if is_global_moderator(user):
        return Report.objects.all()
    groups = moderated_group_ids(user)
    if not groups:
        return Report.objects.none()
    return Report.objects.filter(post__thread__forum__group_id__in=groups)


def get_report_for_moderator(user: User, pk: int) -> Report:
    return get_object_or_404(
        reports_for_moderator(user).select_related(
            "post", "post__thread", "post__thread__forum", "message", "message__sender", "reported_user", "reporter"
        ),
        pk=pk,
    )


def check_is_moderator(user: User) -> None:
    if not is_moderator_anywhere(user):
        raise Http404("No such page")


def check_can_moderate_person(user: User, group: SupportGroup | None) -> None:
    """Community-wide bans need a global moderator; group bans a moderator of that group."""
    if not can_moderate_group(user, group):
        raise PermissionDenied(
            "Only site moderators can act community-wide." if group is None else "Only this group's moderators can."
        )
