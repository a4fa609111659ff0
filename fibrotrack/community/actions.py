"""Every write to the community, with its side effects, inside a transaction.

Validation that needs the database (mentions, flood control, the word filter)
raises ``django.core.exceptions.ValidationError`` with a message meant for the
person; permission problems raise ``PermissionDenied`` (see ``access``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone

from fibrotrack.community import access, crisis, floodcontrol, markup, wordfilter
from fibrotrack.community.models import (
    Ban,
    Block,
    Conversation,
    EmailChoice,
    Forum,
    Membership,
    Message,
    ModerationAction,
    ModeratorWarning,
    NewsletterIssue,
    NewsletterSubscription,
    Notification,
    Post,
    PostRevision,
    Profile,
    ProgressCard,
    Reaction,
    Report,
    SupportGroup,
    Thread,
    ThreadFollow,
    ThreadRead,
    UserFollow,
)
from fibrotrack.community.notifications import email_preferences, enqueue, notify, notify_many

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User

Kind = Notification.Kind


def _max_post_chars() -> int:
    return int(getattr(settings, "COMMUNITY_POST_MAX_CHARS", 20_000))


# --- Text: length, word filter, mentions, rendering ----------------------------------------


@dataclass
class PreparedText:
    body: str
    html: str
    mentioned: list[Any] = field(default_factory=list)
    crisis: bool = False
    external_links: int = 0


def check_text(text: str, *, what: str = "Your post", max_chars: int | None = None) -> str:
    # NUL never belongs in text, and PostgreSQL refuses to store it; forms already
    # reject it, this covers imports and other callers of the actions layer.
    text = (text or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError(f"{what} is empty. Write something first.", code="empty")
    limit = max_chars or _max_post_chars()
    if len(text) > limit:
        raise ValidationError(
            f"{what} is {len(text):,} characters long; the most is {limit:,}. "
            "Please shorten it or split it into two posts.",
            code="too_long",
        )
    blocked = wordfilter.blocked_words_in(text)
    if blocked:
        raise ValidationError(
            f"{what} contains words this community does not allow: {', '.join(blocked)}. Please reword it.",
            code="word_filter",
        )
    return text


def resolve_mentions(names: Sequence[str]) -> tuple[dict[str, markup.MentionTarget], list[str], dict[str, list[Any]]]:
    """Map case-folded names to people. Returns (found, unknown, ambiguous)."""
    from fibrotrack.accounts.models import User as UserModel

    found: dict[str, markup.MentionTarget] = {}
    unknown: list[str] = []
    ambiguous: dict[str, list[Any]] = {}
    if not names:
        return found, unknown, ambiguous
    names = list(dict.fromkeys(names))[:20]
    by_id: dict[str, int] = {}
    query = Q()
    for name in names:
        if name.startswith("member-") and name[7:].isdigit():
            by_id[name] = int(name[7:])
            query |= Q(pk=int(name[7:]))
        else:
            query |= Q(display_name__iexact=name)
    people = list(UserModel.objects.filter(query, is_active=True).only("pk", "display_name"))
    for name in names:
        if name in by_id:
            matches = [p for p in people if p.pk == by_id[name]]
        else:
            matches = [p for p in people if markup.mention_key(p.display_name) == name]
        if not matches:
            unknown.append(name)
        elif len(matches) > 1:
            ambiguous[name] = matches
        else:
            person = matches[0]
            found[name] = markup.MentionTarget(
                person.pk, reverse("community:profile", args=[person.pk]), person.public_name
            )
    return found, unknown, ambiguous


def prepare_text(text: str, *, what: str = "Your post", max_chars: int | None = None) -> PreparedText:
    """Validate and render text for a post or message; raise ValidationError with every problem."""
    from fibrotrack.accounts.models import User as UserModel

    body = check_text(text, what=what, max_chars=max_chars)
    names = markup.mention_names(body)
    found, unknown, ambiguous = resolve_mentions(names)
    problems = []
    if unknown:
        listed = ", ".join(f"@{n}" for n in unknown)
        problems.append(
            ValidationError(
                f"Nobody here is called {listed}. Check the spelling, or remove the @ if you did not mean to "
                "mention someone. For a name with spaces, write @[Their Name].",
                code="unknown_mention",
            )
        )
    for name, people in ambiguous.items():
        options = " or ".join(f"@member-{p.pk}" for p in people)
        problems.append(
            ValidationError(
                f"More than one person is called @{name}. Write {options} to say which one you mean.",
                code="ambiguous_mention",
            )
        )
    if problems:
        raise ValidationError(problems)
    rendered = markup.render(body, found)
    mentioned = list(UserModel.objects.filter(pk__in=[t.user_id for t in found.values()]))
    return PreparedText(
        body=body,
        html=rendered.html,
        mentioned=mentioned,
        crisis=crisis.mentions_crisis(body),
        external_links=markup.count_links(rendered.html),
    )


def check_title(title: str) -> str:
    title = " ".join((title or "").replace("\x00", "").split())
    if not title:
        raise ValidationError("The title is empty. A few words about what you want to talk about.", code="empty")
    if len(title) > 150:
        raise ValidationError(f"The title is {len(title)} characters long; the most is 150.", code="too_long")
    blocked = wordfilter.blocked_words_in(title)
    if blocked:
        raise ValidationError(
            f"The title contains words this community does not allow: {', '.join(blocked)}.", code="word_filter"
        )
    return title


# --- Groups -----------------------------------------------------------------------------------


def do_ensure_group_forum(group: SupportGroup) -> Forum:
    """Every group has a forum with the same slug."""
    if group.rules:
        html = markup.render(group.rules).html
        if html != group.rules_html:
            SupportGroup.objects.filter(pk=group.pk).update(rules_html=html)
            group.rules_html = html
    forum, created = Forum.objects.get_or_create(
        group=group,
        defaults={"name": group.name, "slug": group.slug, "description": group.description, "position": group.position},
    )
    if not created and (forum.name, forum.description) != (group.name, group.description):
        forum.name, forum.description = group.name, group.description
        forum.save(update_fields=["name", "description"])
    return forum


def _log(moderator: Any, action: str, **kwargs: Any) -> ModerationAction:
    return ModerationAction.objects.create(moderator=moderator, action=action, **kwargs)


def _group_moderators(group: SupportGroup) -> list[Any]:
    return [
        m.user
        for m in Membership.objects.filter(
            group=group, role=Membership.Role.MODERATOR, status=Membership.Status.ACTIVE
        ).select_related("user")
    ]


def do_join_group(user: User, group: SupportGroup, note: str = "") -> Membership:
    """Join a public group, accept an invitation, or ask to join a private group."""
    access.check_not_banned(user)
    if access.ban_for(user, group.pk) is not None:
        raise PermissionDenied("You are banned from this group.")
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(group=group, user=user).first()
        if membership is not None and membership.status == Membership.Status.ACTIVE:
            return membership
        if membership is not None and membership.status == Membership.Status.INVITED:
            membership.status = Membership.Status.ACTIVE
            membership.save(update_fields=["status"])
        elif not group.is_private:
            membership = Membership.objects.create(group=group, user=user, status=Membership.Status.ACTIVE)
        elif membership is None:
            membership = Membership.objects.create(
                group=group, user=user, status=Membership.Status.REQUESTED, note=note.strip()[:300]
            )
            notify_many(
                _group_moderators(group),
                Kind.GROUP,
                f"{user.public_name} asked to join {group.name}",
                reverse("community:group_manage", args=[group.slug]),
                actor=user,
                group=group,
            )
        access.forget_cached_roles(user)
    return membership


def do_leave_group(user: User, group: SupportGroup) -> None:
    with transaction.atomic():
        Membership.objects.filter(group=group, user=user).delete()
        ThreadFollow.objects.filter(user=user, thread__forum__group=group).delete()
    access.forget_cached_roles(user)


def do_decide_request(moderator: User, membership: Membership, *, approve: bool) -> None:
    group = membership.group
    if not access.can_moderate_group(moderator, group):
        raise PermissionDenied("Only this group's moderators can decide on requests.")
    if membership.status != Membership.Status.REQUESTED:
        raise PermissionDenied("That request was already decided.")
    with transaction.atomic():
        if approve:
            membership.status = Membership.Status.ACTIVE
            membership.save(update_fields=["status"])
            text = f"You are now a member of {group.name}. Welcome."
        else:
            membership.delete()
            text = f"Your request to join {group.name} was not approved this time."
        notify(membership.user, Kind.GROUP, text, reverse("community:index"), group=group)
        _log(
            moderator,
            ModerationAction.Action.APPROVE_MEMBER if approve else ModerationAction.Action.DECLINE_MEMBER,
            group=group,
            target_user=membership.user,
        )


def do_invite(moderator: User, group: SupportGroup, invitee: Any) -> Membership:
    if not access.can_moderate_group(moderator, group):
        raise PermissionDenied("Only this group's moderators can invite people.")
    with transaction.atomic():
        membership = Membership.objects.filter(group=group, user=invitee).first()
        if membership is not None and membership.status == Membership.Status.ACTIVE:
            raise ValidationError(f"{invitee.public_name} is already a member.")
        if membership is not None and membership.status == Membership.Status.REQUESTED:
            membership.status = Membership.Status.ACTIVE
            membership.save(update_fields=["status"])
            notify(invitee, Kind.GROUP, f"You are now a member of {group.name}.", group.get_absolute_url(), group=group)
        elif membership is None:
            membership = Membership.objects.create(
                group=group, user=invitee, status=Membership.Status.INVITED, invited_by=moderator
            )
            notify(
                invitee,
                Kind.GROUP,
                f"You are invited to join {group.name}",
                reverse("community:index") + "#invitations",
                actor=moderator,
                group=group,
            )
        _log(moderator, ModerationAction.Action.INVITE, group=group, target_user=invitee)
    return membership


def do_decline_invite(user: User, group: SupportGroup) -> None:
    Membership.objects.filter(group=group, user=user, status=Membership.Status.INVITED).delete()
    access.forget_cached_roles(user)


def do_remove_member(moderator: User, membership: Membership, reason: str = "") -> None:
    group = membership.group
    if not access.can_moderate_group(moderator, group):
        raise PermissionDenied("Only this group's moderators can remove members.")
    if membership.role == Membership.Role.MODERATOR and not access.is_global_moderator(moderator):
        raise PermissionDenied("Only site moderators can remove a group moderator.")
    with transaction.atomic():
        membership.delete()
        _log(moderator, ModerationAction.Action.REMOVE_MEMBER, group=group, target_user=membership.user, reason=reason)
        notify(membership.user, Kind.MODERATION, f"You were removed from {group.name}.", reverse("community:index"))


def do_set_role(admin: User, membership: Membership, role: str) -> None:
    """Make a member a moderator of their group, or a moderator a plain member again."""
    if not access.can_manage_groups(admin):
        raise PermissionDenied("Only site moderators can appoint group moderators.")
    if role not in Membership.Role.values:
        raise ValidationError("Unknown role.")
    group, person = membership.group, membership.user
    was = membership.role if membership.status == Membership.Status.ACTIVE else None
    if was == role:
        return
    appointed = role == Membership.Role.MODERATOR
    if appointed and access.ban_for(person, group.pk) is not None:
        raise ValidationError(f"{person.public_name} is banned here. Lift the ban before appointing them.")
    with transaction.atomic():
        membership.role = role
        membership.status = Membership.Status.ACTIVE
        membership.save(update_fields=["role", "status"])
        if appointed:
            action, text = ModerationAction.Action.APPOINT_MODERATOR, f"You are now a moderator of {group.name}."
            url = reverse("community:group_manage", args=[group.slug])
        elif was == Membership.Role.MODERATOR:
            action, text = ModerationAction.Action.REMOVE_MODERATOR, f"You are no longer a moderator of {group.name}."
            url = group.get_absolute_url()
        else:
            action, text = ModerationAction.Action.SET_ROLE, f"You are now a member of {group.name}."
            url = group.get_absolute_url()
        _log(admin, action, group=group, target_user=person, detail={"role": role, "was": was})
        notify(person, Kind.GROUP, text, url, actor=admin, group=group)
    access.forget_cached_roles(person)


def do_appoint_moderator(admin: User, group: SupportGroup, person: Any) -> Membership:
    """Appoint anyone as a moderator of a group; they become a member if they were not one."""
    if not access.can_manage_groups(admin):
        raise PermissionDenied("Only site moderators can appoint group moderators.")
    if not person.is_active:
        raise ValidationError("That account is closed.")
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(group=group, user=person).first()
        if membership is None:
            # Rolled back with everything else if do_set_role refuses (a banned person, say).
            membership = Membership.objects.create(
                group=group, user=person, status=Membership.Status.INVITED, invited_by=admin
            )
        elif membership.status == Membership.Status.ACTIVE and membership.role == Membership.Role.MODERATOR:
            raise ValidationError(f"{person.public_name} is already a moderator of {group.name}.")
        membership.group, membership.user = group, person
        do_set_role(admin, membership, Membership.Role.MODERATOR)
    return membership


def do_remove_moderator(admin: User, membership: Membership) -> None:
    """Take the moderator role away; the person stays a member of the group."""
    if membership.role != Membership.Role.MODERATOR or membership.status != Membership.Status.ACTIVE:
        raise ValidationError(f"{membership.user.public_name} is not a moderator of {membership.group.name}.")
    do_set_role(admin, membership, Membership.Role.MEMBER)


@dataclass
class GroupSettings:
    """Everything a site admin sets on a group and its forum."""

    name: str
    slug: str
    description: str = ""
    rules: str = ""
    kind: str = SupportGroup.Kind.PUBLIC
    is_listed: bool = True
    position: int = 100
    staff_only_threads: bool = False

    GROUP_FIELDS = ("name", "slug", "description", "rules", "kind", "is_listed", "position")

    @classmethod
    def of(cls, group: SupportGroup) -> GroupSettings:
        forum = Forum.objects.filter(group=group).first()
        values = {name: getattr(group, name) for name in cls.GROUP_FIELDS}
        return cls(**values, staff_only_threads=bool(forum and forum.staff_only_threads))


# "mod/groups/new/" would hide the settings page of a group called "new".
RESERVED_GROUP_SLUGS = frozenset({"new"})


def _check_group_settings(values: GroupSettings, group: SupportGroup | None = None) -> GroupSettings:
    """Clean the settings and check that the name and web address are free; raise per-field errors."""
    values.name = " ".join(values.name.split())
    values.slug = values.slug.strip().lower()
    values.description, values.rules = values.description.strip(), values.rules.replace("\r\n", "\n").strip()
    if values.kind not in SupportGroup.Kind.values:
        raise ValidationError({"kind": "Choose public or private."})
    problems: dict[str, str] = {}
    if not values.name:
        problems["name"] = "The group needs a name."
    others = SupportGroup.objects.exclude(pk=group.pk) if group is not None else SupportGroup.objects.all()
    if values.name and others.filter(name__iexact=values.name).exists():
        problems["name"] = f"There is already a group called “{values.name}”. Choose another name."
    own_forum = Forum.objects.filter(group=group) if group is not None else Forum.objects.none()
    if not values.slug:
        problems["slug"] = "The group needs a web address."
    elif values.slug in RESERVED_GROUP_SLUGS:
        problems["slug"] = f"“{values.slug}” is used by the site itself. Choose another web address."
    elif (
        others.filter(slug=values.slug).exists()
        or Forum.objects.exclude(pk__in=own_forum).filter(slug=values.slug).exists()
    ):
        problems["slug"] = f"The web address “{values.slug}” is taken by another group or forum. Choose another."
    if problems:
        raise ValidationError(problems)
    return values


def _sync_group_forum(group: SupportGroup, values: GroupSettings) -> Forum:
    forum = do_ensure_group_forum(group)
    forum.name, forum.slug, forum.description = group.name, group.slug, group.description
    forum.position, forum.staff_only_threads = group.position, values.staff_only_threads
    forum.save(update_fields=["name", "slug", "description", "position", "staff_only_threads"])
    return forum


def do_create_group(admin: User, values: GroupSettings) -> SupportGroup:
    """A new support group, with its forum, recorded in the moderation log."""
    if not access.can_manage_groups(admin):
        raise PermissionDenied("Only site admins can create groups.")
    values = _check_group_settings(values)
    try:
        with transaction.atomic():
            group = SupportGroup.objects.create(
                **{name: getattr(values, name) for name in GroupSettings.GROUP_FIELDS},
                rules_html=markup.render(values.rules).html if values.rules else "",
            )
            _sync_group_forum(group, values)
            _log(
                admin,
                ModerationAction.Action.CREATE_GROUP,
                group=group,
                detail={"name": group.name, "slug": group.slug, "kind": group.kind},
            )
    except IntegrityError as error:  # two admins creating the same group at once
        raise ValidationError({"slug": "That name or web address was just taken. Choose another."}) from error
    return group


def do_update_group(admin: User, group: SupportGroup, values: GroupSettings) -> list[str]:
    """Change a group's settings and its forum's; return the names of the settings that changed.

    Making a private group public lets in everyone who was waiting for approval,
    since anyone may now join; they are told.
    """
    if not access.can_manage_groups(admin):
        raise PermissionDenied("Only site admins can change a group's settings.")
    values = _check_group_settings(values, group)
    before = GroupSettings.of(group)
    changed = [
        name
        for name in (*GroupSettings.GROUP_FIELDS, "staff_only_threads")
        if getattr(before, name) != getattr(values, name)
    ]
    if not changed:
        return []
    opened = before.kind == SupportGroup.Kind.PRIVATE and values.kind == SupportGroup.Kind.PUBLIC
    try:
        with transaction.atomic():
            for name in GroupSettings.GROUP_FIELDS:
                setattr(group, name, getattr(values, name))
            group.rules_html = markup.render(values.rules).html if values.rules else ""
            group.save()
            _sync_group_forum(group, values)
            let_in: list[Any] = []
            if opened:
                waiting = Membership.objects.filter(group=group, status=Membership.Status.REQUESTED).select_related(
                    "user"
                )
                let_in = [m.user for m in waiting]
                waiting.update(status=Membership.Status.ACTIVE)
                notify_many(
                    let_in,
                    Kind.GROUP,
                    f"{group.name} is now open to everyone, so you are a member. Welcome.",
                    group.get_absolute_url(),
                    group=group,
                )
            # Short settings are logged before and after; long texts only as "changed".
            short = [name for name in changed if name not in {"description", "rules"}]
            _log(
                admin,
                ModerationAction.Action.EDIT_GROUP,
                group=group,
                detail={
                    "changed": changed,
                    "from": {name: getattr(before, name) for name in short},
                    "to": {name: getattr(values, name) for name in short},
                    "requests_approved": len(let_in),
                },
            )
    except IntegrityError as error:
        raise ValidationError({"slug": "That name or web address was just taken. Choose another."}) from error
    return changed


# --- Threads and posts --------------------------------------------------------------------------


def _refresh_thread(thread_id: int) -> None:
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


def _crisis_report(post: Post | None = None, message: Message | None = None) -> None:
    """Put a post or message that mentions self-harm in front of the moderators, once."""
    if post is not None and not Report.objects.filter(post=post, reporter=None, status=Report.Status.OPEN).exists():
        Report.objects.create(
            post=post, reason=Report.Reason.SELF_HARM, details="Found automatically: the post mentions self-harm."
        )
    if message is not None:
        Report.objects.create(
            message=message,
            reason=Report.Reason.SELF_HARM,
            details="Found automatically: the message mentions self-harm.",
        )


def _may_open(person: Any, thread: Thread) -> bool:
    """Nobody learns of a post (not even its thread's title) that they cannot open."""
    if thread.is_hidden:
        return False
    group = thread.forum.group
    if group is not None and group.is_private:
        access.forget_cached_roles(person)
        return access.can_see_group_content(person, group)
    return True


def _notify_mentions(author: Any, post: Post, mentioned: Iterable[Any], already: set[int]) -> set[int]:
    thread = post.thread
    for person in mentioned:
        if person.pk in already or person.pk == author.pk:
            continue
        if not _may_open(person, thread):
            continue
        notify(
            person,
            Kind.MENTION,
            f"{author.public_name} mentioned you in “{thread.title}”",
            post.get_absolute_url(),
            actor=author,
            thread=thread,
            post=post,
        )
        already.add(person.pk)
    return already


def _attach_card(user: Any, post: Post, card: ProgressCard | None) -> None:
    if card is None:
        return
    if card.owner_id != user.pk:
        raise PermissionDenied("That progress card is not yours.")
    updated = ProgressCard.objects.filter(pk=card.pk, owner=user, post=None).update(post=post)
    if not updated:
        raise ValidationError("That progress card is already on another post. Make a new one.")


def _check_posting(user: Any, prepared: PreparedText, *, new_thread: bool) -> None:
    floodcontrol.check_can_post(user, new_thread=new_thread, external_links=prepared.external_links)


def do_start_thread(
    user: User,
    forum: Forum,
    title: str,
    body: str,
    *,
    card: ProgressCard | None = None,
    treatment_ids: Sequence[int] = (),
) -> Thread:
    access.check_can_start_thread(user, forum)
    title = check_title(title)
    prepared = prepare_text(body)
    _check_posting(user, prepared, new_thread=True)
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
        _attach_card(user, post, card)
        _set_treatments(thread, treatment_ids)
        ThreadFollow.objects.create(user=user, thread=thread)
        ThreadRead.objects.create(user=user, thread=thread, last_read_at=now)
        thread.forum = forum
        post.thread = thread
        _notify_mentions(user, post, prepared.mentioned, set())
        if post.mentions_crisis:
            _crisis_report(post=post)
    return thread


def _set_treatments(thread: Thread, treatment_ids: Sequence[int]) -> None:
    from fibrotrack.community import treatments

    treatments.set_thread_treatments(thread, treatment_ids)


def do_set_thread_treatments(user: User, thread: Thread, treatment_ids: Sequence[int]) -> bool:
    """Change which catalogue treatments a thread is tagged with; True if anything changed.

    The author may retag their thread; a moderator may retag anyone's, and
    that is recorded in the moderation log with the tags before and after.
    """
    from fibrotrack.community import treatments

    access.check_can_edit_thread_tags(user, thread)
    wanted = list(dict.fromkeys(int(pk) for pk in treatment_ids))
    if len(wanted) > treatments.MAX_THREAD_TAGS:
        raise ValidationError(
            f"Choose at most {treatments.MAX_THREAD_TAGS} treatments: the ones this thread is mostly about.",
            code="too_many",
        )
    with transaction.atomic():
        before = dict(thread.treatments.values_list("pk", "key"))
        treatments.set_thread_treatments(thread, wanted)
        after = dict(thread.treatments.values_list("pk", "key"))
        if set(before) == set(after):
            return False
        if thread.author_id != user.pk:
            _log(
                user,
                ModerationAction.Action.TAG_THREAD,
                thread=thread,
                group=thread.forum.group,
                target_user=thread.author,
                detail={"from": sorted(before.values()), "to": sorted(after.values())},
            )
    return True


def do_reply(
    user: User,
    thread: Thread,
    body: str,
    *,
    quote_of: Post | None = None,
    card: ProgressCard | None = None,
) -> Post:
    access.check_can_reply(user, thread)
    prepared = prepare_text(body)
    _check_posting(user, prepared, new_thread=False)
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
        _attach_card(user, post, card)
        Thread.objects.filter(pk=thread.pk).update(post_count=F("post_count") + 1, last_post_at=now, last_poster=user)
        thread.post_count, thread.last_post_at, thread.last_poster = locked.post_count + 1, now, user
        ThreadFollow.objects.get_or_create(user=user, thread=thread)
        ThreadRead.objects.update_or_create(user=user, thread=thread, defaults={"last_read_at": now})

        notified = _notify_mentions(user, post, prepared.mentioned, set())
        if (
            quote_of is not None
            and quote_of.author is not None
            and quote_of.author_id not in notified
            and quote_of.author_id != user.pk
            and _may_open(quote_of.author, thread)
        ):
            notify(
                quote_of.author,
                Kind.REPLY,
                f"{user.public_name} quoted you in “{thread.title}”",
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
                    f"{user.public_name} replied in “{thread.title}”",
                    post.get_absolute_url(),
                    actor=user,
                    thread=thread,
                    post=post,
                )
        if post.mentions_crisis:
            _crisis_report(post=post)
    return post


def do_edit_post(user: User, post: Post, body: str, *, title: str | None = None) -> Post:
    access.check_can_edit_post(user, post)
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
        _notify_mentions(user, post, [p for p in prepared.mentioned if p.pk not in old_ids], set())
        if post.mentions_crisis:
            _crisis_report(post=post)
    return post


def do_delete_post(user: User, post: Post) -> str:
    """The author deletes their post. Returns "thread" if the whole thread went with it, else "post".

    The text is erased (with its edit history); a short placeholder keeps the
    conversation readable when others have replied. A thread with no replies
    from anyone else is deleted outright.
    """
    access.check_can_delete_post(user, post)
    with transaction.atomic():
        thread = post.thread
        others = Post.objects.filter(thread=thread, is_deleted=False).exclude(author=user).exists()
        if post.is_first and not others:
            thread.delete()
            return "thread"
        _erase_post(post)
        _refresh_thread(thread.pk)
    return "post"


def _erase_post(post: Post) -> None:
    post.revisions.all().delete()
    ProgressCard.objects.filter(post=post).delete()
    Reaction.objects.filter(post=post).delete()
    post.body, post.html, post.is_deleted, post.mentions_crisis = "", "", True, False
    post.save(update_fields=["body", "html", "is_deleted", "mentions_crisis"])


def do_react(user: User, post: Post, kind: str) -> bool:
    """Toggle a reaction. Returns True if it is now on."""
    if kind not in Reaction.Kind.values:
        raise ValidationError("Unknown reaction.")
    access.check_can_react(user, post)
    with transaction.atomic():
        deleted, _ = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
        if deleted:
            return False
        try:
            with transaction.atomic():
                Reaction.objects.create(post=post, user=user, kind=kind)
        except IntegrityError:
            return True
        if post.author is not None and post.author_id != user.pk and _may_open(post.author, post.thread):
            label = Reaction.Kind(kind).label.lower()
            notify(
                post.author,
                Kind.REACTION,
                f"{user.public_name} reacted “{label}” to your post in “{post.thread.title}”",
                post.get_absolute_url(),
                actor=user,
                thread=post.thread,
                post=post,
            )
    return True


# --- Progress cards --------------------------------------------------------------------------------


def do_create_card(user: User, *, kind: str, title: str, svg: str, caption: str = "") -> ProgressCard:
    caption = " ".join(caption.split())
    if caption:
        caption = check_text(caption, what="The caption", max_chars=300)
    return ProgressCard.objects.create(owner=user, kind=kind, title=title[:200], svg=svg, caption=caption)


def do_remove_card(user: User, card: ProgressCard) -> None:
    if card.owner_id != user.pk:
        raise PermissionDenied("That progress card is not yours.")
    card.delete()


# --- Following, blocking, reading ------------------------------------------------------------------


def do_follow_thread(user: User, thread: Thread, follow: bool) -> None:
    if follow:
        ThreadFollow.objects.get_or_create(user=user, thread=thread)
    else:
        ThreadFollow.objects.filter(user=user, thread=thread).delete()


def do_follow_user(user: User, person: Any, follow: bool) -> None:
    if person.pk == user.pk:
        raise PermissionDenied("You cannot follow yourself.")
    if follow:
        if access.has_blocked(person.pk, user.pk) or access.has_blocked(user.pk, person.pk):
            raise PermissionDenied(f"You cannot follow {person.public_name}.")
        UserFollow.objects.get_or_create(follower=user, followed=person)
    else:
        UserFollow.objects.filter(follower=user, followed=person).delete()


def do_block(user: User, person: Any, block: bool) -> None:
    """Blocking stops the person's messages, mentions, replies and reactions from reaching ``user``."""
    if person.pk == user.pk:
        raise PermissionDenied("You cannot block yourself.")
    with transaction.atomic():
        if block:
            Block.objects.get_or_create(blocker=user, blocked=person)
            UserFollow.objects.filter(Q(follower=user, followed=person) | Q(follower=person, followed=user)).delete()
        else:
            Block.objects.filter(blocker=user, blocked=person).delete()
    access.forget_cached_roles(user)


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
        profile = access.profile_for(user)
        profile.read_cutoff = timezone.now()
        profile.save(update_fields=["read_cutoff"])
        ThreadRead.objects.filter(user=user).delete()


def do_save_profile(
    user: User,
    *,
    display_name: str,
    bio: str,
    bio_visibility: str,
    diagnosis_year: int | None,
    diagnosis_year_visibility: str,
    treatments_visibility: str,
    treatment_ids: Sequence[int] = (),
) -> Profile:
    display_name = " ".join((display_name or "").split())
    if display_name and wordfilter.blocked_words_in(display_name):
        raise ValidationError("That name contains words this community does not allow.")
    bio = (bio or "").strip()
    if bio:
        bio = check_text(bio, what="Your bio", max_chars=1000)
    with transaction.atomic():
        user.display_name = display_name
        user.save(update_fields=["display_name"])
        profile = access.profile_for(user)
        profile.bio = bio
        profile.bio_visibility = bio_visibility
        profile.diagnosis_year = diagnosis_year
        profile.diagnosis_year_visibility = diagnosis_year_visibility
        profile.treatments_visibility = treatments_visibility
        profile.save()
        from fibrotrack.community import treatments

        treatments.set_profile_treatments(profile, treatment_ids)
    return profile


# --- Private messages -------------------------------------------------------------------------------


def _pair(a_id: int, b_id: int) -> tuple[int, int]:
    return (a_id, b_id) if a_id < b_id else (b_id, a_id)


def do_send_message(sender: User, recipient: Any, body: str) -> Message:
    access.check_can_message(sender, recipient)
    prepared = prepare_text(
        body, what="Your message", max_chars=int(getattr(settings, "COMMUNITY_MESSAGE_MAX_CHARS", 5000))
    )
    floodcontrol.check_can_message(sender)
    now = timezone.now()
    with transaction.atomic():
        a, b = _pair(sender.pk, recipient.pk)
        conversation, _ = Conversation.objects.get_or_create(user_a_id=a, user_b_id=b)
        message = Message.objects.create(
            conversation=conversation,
            sender=sender,
            body=prepared.body,
            html=prepared.html,
            mentions_crisis=prepared.crisis,
            created_at=now,
        )
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
        _mark_conversation_read(conversation, sender.pk, now)
        notify(
            recipient,
            Kind.MESSAGE,
            f"New private message from {sender.public_name}",
            conversation.get_absolute_url(),
            actor=sender,
            conversation=conversation,
        )
        if prepared.crisis:
            _crisis_report(message=message)
    return message


def _mark_conversation_read(conversation: Conversation, user_id: int, at: dt.datetime) -> None:
    field_name = "a_read_at" if user_id == conversation.user_a_id else "b_read_at"
    Conversation.objects.filter(pk=conversation.pk).update(**{field_name: at})


def do_mark_conversation_read(user: User, conversation: Conversation) -> None:
    now = timezone.now()
    with transaction.atomic():
        _mark_conversation_read(conversation, user.pk, now)
        Notification.objects.filter(recipient=user, conversation=conversation, read_at=None).update(read_at=now)


# --- Notifications and e-mail preferences --------------------------------------------------------------


def do_mark_notifications_read(user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at=None)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def do_set_email_preferences(user: User, choices: dict[str, str]) -> None:
    prefs = email_preferences(user)
    for kind, choice in choices.items():
        if kind in Kind.values and choice in EmailChoice.values:
            setattr(prefs, kind, choice)
    prefs.save()


def do_unsubscribe(user: Any, kind: str) -> str:
    """One-click unsubscribe from one kind of e-mail. Returns a sentence saying what happened."""
    from fibrotrack.community.emails import DIGEST, NEWSLETTER

    with transaction.atomic():
        if kind == NEWSLETTER:
            do_unsubscribe_newsletter(user)
            return "You will not get the newsletter any more."
        prefs = email_preferences(user)
        if kind == DIGEST:
            for k in Kind.values:
                if prefs.choice_for(k) == EmailChoice.DAILY:
                    setattr(prefs, k, EmailChoice.OFF)
            prefs.save()
            return "You will not get the daily digest any more."
        setattr(prefs, kind, EmailChoice.OFF)
        prefs.save()
        return f"You will not get e-mails about “{Kind(kind).label.lower()}” any more."


def do_request_newsletter(user: User) -> NewsletterSubscription:
    """Step one of the double opt-in: a pending subscription and an e-mail with a confirmation link."""
    from fibrotrack.community.emails import send_newsletter_confirmation

    with transaction.atomic():
        subscription, _ = NewsletterSubscription.objects.get_or_create(user=user)
        if subscription.status == NewsletterSubscription.Status.CONFIRMED:
            return subscription
        subscription.status = NewsletterSubscription.Status.PENDING
        subscription.requested_at = timezone.now()
        subscription.save(update_fields=["status", "requested_at"])
        enqueue(send_newsletter_confirmation, user.pk)
    return subscription


def do_confirm_newsletter(user: Any) -> bool:
    with transaction.atomic():
        subscription = NewsletterSubscription.objects.select_for_update().filter(user=user).first()
        if subscription is None or subscription.status == NewsletterSubscription.Status.UNSUBSCRIBED:
            return False
        if subscription.status == NewsletterSubscription.Status.PENDING:
            subscription.status = NewsletterSubscription.Status.CONFIRMED
            subscription.confirmed_at = timezone.now()
            subscription.save(update_fields=["status", "confirmed_at"])
    return True


def do_unsubscribe_newsletter(user: Any) -> None:
    NewsletterSubscription.objects.filter(user=user).exclude(status=NewsletterSubscription.Status.UNSUBSCRIBED).update(
        status=NewsletterSubscription.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now()
    )


def do_send_newsletter(issue: NewsletterIssue) -> None:
    from fibrotrack.community.emails import send_newsletter_issue

    if issue.sent_at is not None:
        raise ValidationError("This issue was already sent.")
    enqueue(send_newsletter_issue, issue.pk)


# --- Reports and moderation ---------------------------------------------------------------------------


def do_report(
    reporter: User,
    *,
    reason: str,
    details: str = "",
    post: Post | None = None,
    message: Message | None = None,
    person: Any = None,
) -> Report:
    if reason not in Report.Reason.values:
        raise ValidationError("Choose a reason.")
    if sum(x is not None for x in (post, message, person)) != 1:
        raise ValidationError("Report one thing at a time.")
    if person is not None and person.pk == reporter.pk:
        raise PermissionDenied("You cannot report yourself.")
    details = (details or "").strip()[:1000]
    target: dict[str, Any] = {"post": post, "message": message, "reported_user": person}
    with transaction.atomic():
        existing = Report.objects.filter(reporter=reporter, status=Report.Status.OPEN, **target).first()
        if existing is not None:
            existing.reason, existing.details = reason, details or existing.details
            existing.save(update_fields=["reason", "details"])
            return existing
        return Report.objects.create(reporter=reporter, reason=reason, details=details, **target)


def _close_reports(moderator: User, *, post: Post | None = None, thread: Thread | None = None) -> None:
    """Close the open reports about a post (or a whole thread) that a moderator acted on; thank the reporters."""
    qs = Report.objects.filter(status=Report.Status.OPEN)
    if post is not None:
        qs = qs.filter(post=post)
    elif thread is not None:
        qs = qs.filter(post__thread=thread)
    else:
        return
    reporters = {r.reporter for r in qs.select_related("reporter") if r.reporter is not None}
    qs.update(status=Report.Status.RESOLVED, resolved_at=timezone.now(), resolved_by=moderator)
    for reporter in reporters:
        notify(
            reporter, Kind.MODERATION, "Thank you for your report: a moderator acted on it.", reverse("community:index")
        )


def do_hide_post(moderator: User, post: Post, reason: str, *, report: Report | None = None) -> None:
    access.check_can_moderate_thread(moderator, post.thread)
    with transaction.atomic():
        post.is_hidden, post.hidden_reason = True, reason.strip()[:300]
        post.save(update_fields=["is_hidden", "hidden_reason"])
        _close_reports(moderator, post=post)
        _log(
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
                f"A moderator hid your post in “{post.thread.title}”. Reason: {reason or 'not given'}",
                post.get_absolute_url(),
                thread=post.thread,
                post=post,
            )


def do_restore_post(moderator: User, post: Post) -> None:
    access.check_can_moderate_thread(moderator, post.thread)
    with transaction.atomic():
        post.is_hidden, post.hidden_reason = False, ""
        post.save(update_fields=["is_hidden", "hidden_reason"])
        _log(
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
                f"A moderator restored your post in “{post.thread.title}”.",
                post.get_absolute_url(),
                post=post,
                thread=post.thread,
            )


def do_moderator_delete_post(moderator: User, post: Post, reason: str) -> None:
    access.check_can_moderate_thread(moderator, post.thread)
    with transaction.atomic():
        thread = post.thread
        _close_reports(moderator, post=post)
        _log(
            moderator,
            ModerationAction.Action.DELETE_POST,
            thread=thread,
            group=thread.forum.group,
            target_user=post.author,
            reason=reason,
            detail={"post_id": post.pk},
        )
        if post.is_first:
            do_moderator_delete_thread(moderator, thread, reason)
            return
        if post.author is not None:
            notify(
                post.author,
                Kind.MODERATION,
                f"A moderator deleted your post in “{thread.title}”. Reason: {reason or 'not given'}",
                thread.get_absolute_url(),
                thread=thread,
            )
        _erase_post(post)
        _refresh_thread(thread.pk)


def do_set_thread_flag(moderator: User, thread: Thread, flag: str, value: bool, reason: str = "") -> None:
    """Pin, lock or hide (``value=True``), or the reverse."""
    access.check_can_moderate_thread(moderator, thread)
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
        raise ValidationError("Unknown moderation action.")
    with transaction.atomic():
        setattr(thread, flag, value)
        thread.save(update_fields=[flag])
        if flag == "is_hidden" and value:
            _close_reports(moderator, thread=thread)
        _log(moderator, action, thread=thread, group=thread.forum.group, target_user=thread.author, reason=reason)
        if thread.author is not None and flag in {"is_hidden", "is_locked"}:
            notify(
                thread.author,
                Kind.MODERATION,
                f"A moderator {ModerationAction.Action(action).label.lower().replace(' a thread', '')} "
                f"your thread “{thread.title}”." + (f" Reason: {reason}" if reason else ""),
                thread.get_absolute_url(),
                thread=thread,
            )


def do_move_thread(moderator: User, thread: Thread, forum: Forum, reason: str = "") -> None:
    access.check_can_moderate_thread(moderator, thread)
    if not access.can_moderate_forum(moderator, forum):
        raise PermissionDenied("You can only move threads to forums you moderate.")
    if forum.pk == thread.forum_id:
        return
    with transaction.atomic():
        source = thread.forum
        thread.forum = forum
        thread.save(update_fields=["forum"])
        _log(
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
                f"A moderator moved your thread “{thread.title}” to {forum.name}.",
                thread.get_absolute_url(),
                thread=thread,
            )


def do_moderator_delete_thread(moderator: User, thread: Thread, reason: str) -> None:
    access.check_can_moderate_thread(moderator, thread)
    with transaction.atomic():
        _log(
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
                f"A moderator deleted your thread “{thread.title}”. Reason: {reason or 'not given'}",
                thread.forum.get_absolute_url(),
            )
        thread.delete()


def do_warn(moderator: User, person: Any, reason: str, *, post: Post | None = None) -> ModeratorWarning:
    group = post.thread.forum.group if post is not None else None
    access.check_can_moderate_person(moderator, group)
    reason = reason.strip()
    if not reason:
        raise ValidationError("Write the reason for the warning: the person will read it.")
    with transaction.atomic():
        warning = ModeratorWarning.objects.create(user=person, moderator=moderator, reason=reason, post=post)
        _log(moderator, ModerationAction.Action.WARN, target_user=person, post=post, group=group, reason=reason)
        notify(person, Kind.MODERATION, f"A moderator warned you: {reason}", reverse("community:my_moderation"))
    return warning


def do_ban(
    moderator: User, person: Any, reason: str, *, group: SupportGroup | None = None, days: int | None = None
) -> Ban:
    access.check_can_moderate_person(moderator, group)
    if person.pk == moderator.pk:
        raise PermissionDenied("You cannot ban yourself.")
    if access.is_global_moderator(person):
        raise PermissionDenied("Site moderators cannot be banned here; ask a site admin.")
    reason = reason.strip()
    if not reason:
        raise ValidationError("Write the reason for the ban: the person will read it.")
    if days is not None and days < 1:
        raise ValidationError("A ban lasts at least one day, or choose “for good”.")
    expires = timezone.now() + dt.timedelta(days=days) if days else None
    with transaction.atomic():
        ban = Ban.objects.create(user=person, group=group, moderator=moderator, reason=reason, expires_at=expires)
        if group is not None:
            Membership.objects.filter(group=group, user=person).delete()
        _log(
            moderator,
            ModerationAction.Action.BAN,
            target_user=person,
            group=group,
            reason=reason,
            detail={"days": days, "scope": group.slug if group else "community"},
        )
        where = group.name if group else "the community"
        until = f"for {days} day{'s' if days != 1 else ''}" if days else "for good"
        notify(
            person,
            Kind.MODERATION,
            f"You are banned from {where} {until}. Reason: {reason}",
            reverse("community:my_moderation"),
        )
    access.forget_cached_roles(person)
    return ban


def do_lift_ban(moderator: User, ban: Ban) -> None:
    access.check_can_moderate_person(moderator, ban.group)
    with transaction.atomic():
        ban.lifted_at = timezone.now()
        ban.save(update_fields=["lifted_at"])
        _log(moderator, ModerationAction.Action.UNBAN, target_user=ban.user, group=ban.group)
        notify(ban.user, Kind.MODERATION, "A moderator lifted your ban.", reverse("community:index"))


def do_close_report(moderator: User, report: Report, *, dismissed: bool, note: str = "") -> None:
    with transaction.atomic():
        report.status = Report.Status.DISMISSED if dismissed else Report.Status.RESOLVED
        report.resolved_at, report.resolved_by = timezone.now(), moderator
        report.save(update_fields=["status", "resolved_at", "resolved_by"])
        _log(
            moderator,
            ModerationAction.Action.DISMISS_REPORT if dismissed else ModerationAction.Action.RESOLVE_REPORT,
            report=report,
            post=report.post,
            target_user=report.reported_user or (report.post.author if report.post else None),
            reason=note,
        )
        if report.reporter is not None:
            outcome = "no action was needed" if dismissed else "a moderator acted on it"
            notify(
                report.reporter,
                Kind.MODERATION,
                f"Thank you for your report: {outcome}.",
                reverse("community:index"),
            )


# --- Changes made in Django admin ---------------------------------------------------------------------
#
# Site admins can also manage groups, memberships and bans in Django admin. Those
# saves write the rows directly, so the admin classes call these afterwards: the
# audit log gets the same entries as the in-app tools, and the people concerned
# are told, as they would be by the in-app tools.

MembershipStates = dict[int, tuple[str, str]]  # user id -> (role, status)


def membership_states(group: SupportGroup, user_ids: Iterable[int] | None = None) -> MembershipStates:
    qs = Membership.objects.filter(group=group)
    if user_ids is not None:
        qs = qs.filter(user_id__in=list(user_ids))
    return {user_id: (role, status) for user_id, role, status in qs.values_list("user_id", "role", "status")}


def do_record_admin_group_change(admin: Any, group: SupportGroup, *, created: bool, changed: Sequence[str]) -> None:
    """Django admin created or changed a group: log it as the in-app group tools do."""
    if created:
        _log(
            admin,
            ModerationAction.Action.CREATE_GROUP,
            group=group,
            detail={"name": group.name, "slug": group.slug, "kind": group.kind, "via": "admin"},
        )
    elif changed:
        _log(admin, ModerationAction.Action.EDIT_GROUP, group=group, detail={"changed": list(changed), "via": "admin"})


def _admin_membership_change(
    group: SupportGroup, was: tuple[str, str] | None, now: tuple[str, str] | None
) -> tuple[str, str, str, str] | None:
    """(log action, notification kind, text, url) for one person's membership change, or None."""
    moderator = (Membership.Role.MODERATOR, Membership.Status.ACTIVE)
    active = Membership.Status.ACTIVE
    forum_url, index_url = group.get_absolute_url(), reverse("community:index")
    if now is None:
        if was is not None and was[1] == active:
            return (
                ModerationAction.Action.REMOVE_MEMBER,
                Kind.MODERATION,
                f"You were removed from {group.name}.",
                index_url,
            )
        if was is not None and was[1] == Membership.Status.REQUESTED:
            text = f"Your request to join {group.name} was not approved this time."
            return ModerationAction.Action.DECLINE_MEMBER, Kind.GROUP, text, index_url
        return None
    if now == moderator and was != moderator:
        text = f"You are now a moderator of {group.name}."
        return (
            ModerationAction.Action.APPOINT_MODERATOR,
            Kind.GROUP,
            text,
            reverse("community:group_manage", args=[group.slug]),
        )
    if was == moderator and now != moderator:
        return (
            ModerationAction.Action.REMOVE_MODERATOR,
            Kind.GROUP,
            f"You are no longer a moderator of {group.name}.",
            forum_url,
        )
    if now[1] == active and (was is None or was[1] != active):
        return (
            ModerationAction.Action.APPROVE_MEMBER,
            Kind.GROUP,
            f"You are now a member of {group.name}. Welcome.",
            forum_url,
        )
    if now[1] == Membership.Status.INVITED and was is None:
        return (
            ModerationAction.Action.INVITE,
            Kind.GROUP,
            f"You are invited to join {group.name}",
            index_url + "#invitations",
        )
    return ModerationAction.Action.SET_ROLE, Kind.GROUP, f"Your membership of {group.name} changed.", forum_url


def do_record_admin_membership_changes(
    admin: Any, group: SupportGroup, before: MembershipStates, after: MembershipStates
) -> int:
    """Django admin changed memberships of ``group``: log and announce each change. Returns how many."""
    from fibrotrack.accounts.models import User as UserModel

    changed = [user_id for user_id in sorted(set(before) | set(after)) if before.get(user_id) != after.get(user_id)]
    people = UserModel.objects.in_bulk(changed)
    recorded = 0
    for user_id in changed:
        was, now = before.get(user_id), after.get(user_id)
        change = _admin_membership_change(group, was, now)
        person = people.get(user_id)
        if change is None or person is None:
            continue
        action, kind, text, url = change
        detail = {"via": "admin", "from": list(was) if was else None, "to": list(now) if now else None}
        _log(admin, action, group=group, target_user=person, detail=detail)
        notify(person, kind, text, url, actor=admin, group=group)
        access.forget_cached_roles(person)
        recorded += 1
    return recorded


def _ban_notice(ban: Ban) -> str:
    where = ban.group.name if ban.group is not None else "the community"
    until = f"until {timezone.localtime(ban.expires_at):%-d %B %Y}" if ban.expires_at else "for good"
    return f"You are banned from {where} {until}. Reason: {ban.reason}"


def do_record_admin_ban(admin: Any, ban: Ban, *, created: bool, was_lifted: bool) -> None:
    """Django admin saved a ban: log it and tell the person, as ``do_ban`` and ``do_lift_ban`` do."""
    with transaction.atomic():
        if created:
            if ban.group_id is not None:
                Membership.objects.filter(group_id=ban.group_id, user_id=ban.user_id).delete()
            _log(
                admin,
                ModerationAction.Action.BAN,
                target_user=ban.user,
                group=ban.group,
                reason=ban.reason,
                detail={"via": "admin", "expires_at": ban.expires_at.isoformat() if ban.expires_at else None},
            )
            notify(ban.user, Kind.MODERATION, _ban_notice(ban), reverse("community:my_moderation"))
        elif ban.lifted_at is not None and not was_lifted:
            _log(admin, ModerationAction.Action.UNBAN, target_user=ban.user, group=ban.group, detail={"via": "admin"})
            notify(ban.user, Kind.MODERATION, "A moderator lifted your ban.", reverse("community:index"))
    access.forget_cached_roles(ban.user)


# --- Account deletion ------------------------------------------------------------------------------------


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
            _refresh_thread(thread_id)
