"""Site admins' group tools: create and configure groups, appoint and remove moderators."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from fibrotrack.community import markup
from fibrotrack.community.access.permissions import UserPermissions, permissions_for
from fibrotrack.community.actions.audit import log_action
from fibrotrack.community.actions.groups import do_ensure_group_forum
from fibrotrack.community.models import Forum, Membership, ModerationAction, Notification, SupportGroup
from fibrotrack.community.notifications import notify, notify_many

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User

Kind = Notification.Kind


def do_set_role(admin: User, membership: Membership, role: str, *, permissions: UserPermissions | None = None) -> None:
    """Make a member a moderator of their group, or a moderator a plain member again."""
    perms = permissions_for(admin, permissions)
    if not perms.can_manage_groups:
        raise PermissionDenied(gettext_lazy("Only site moderators can appoint group moderators."))
    if role not in Membership.Role.values:
        raise ValidationError(gettext_lazy("Unknown role."))
    group, person = membership.group, membership.user
    was = membership.role if membership.status == Membership.Status.ACTIVE else None
    if was == role:
        return
    appointed = role == Membership.Role.MODERATOR
    if appointed and permissions_for(person).ban_for(group.pk) is not None:
        raise ValidationError(
            format_lazy(
                gettext_lazy("{person} is banned here. Lift the ban before appointing them."), person=person.public_name
            )
        )
    with transaction.atomic():
        membership.role = role
        membership.status = Membership.Status.ACTIVE
        membership.save(update_fields=["role", "status"])
        if appointed:
            action, text = (
                ModerationAction.Action.APPOINT_MODERATOR,
                format_lazy(gettext_lazy("You are now a moderator of {group}."), group=group.name),
            )
            url = reverse("community:group_manage", args=[group.slug])
        elif was == Membership.Role.MODERATOR:
            action, text = (
                ModerationAction.Action.REMOVE_MODERATOR,
                format_lazy(gettext_lazy("You are no longer a moderator of {group}."), group=group.name),
            )
            url = group.get_absolute_url()
        else:
            action, text = (
                ModerationAction.Action.SET_ROLE,
                format_lazy(gettext_lazy("You are now a member of {group}."), group=group.name),
            )
            url = group.get_absolute_url()
        log_action(admin, action, group=group, target_user=person, detail={"role": role, "was": was})
        notify(person, Kind.GROUP, text, url, actor=admin, group=group)
    if person.pk == perms.user.pk:
        perms.forget()


def do_appoint_moderator(
    admin: User, group: SupportGroup, person: Any, *, permissions: UserPermissions | None = None
) -> Membership:
    """Appoint anyone as a moderator of a group; they become a member if they were not one."""
    perms = permissions_for(admin, permissions)
    if not perms.can_manage_groups:
        raise PermissionDenied(gettext_lazy("Only site moderators can appoint group moderators."))
    if not person.is_active:
        raise ValidationError(gettext_lazy("That account is closed."))
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(group=group, user=person).first()
        if membership is None:
            # Rolled back with everything else if do_set_role refuses (a banned person, say).
            membership = Membership.objects.create(
                group=group, user=person, status=Membership.Status.INVITED, invited_by=admin
            )
        elif membership.status == Membership.Status.ACTIVE and membership.role == Membership.Role.MODERATOR:
            raise ValidationError(
                format_lazy(
                    gettext_lazy("{person} is already a moderator of {group}."),
                    person=person.public_name,
                    group=group.name,
                )
            )
        membership.group, membership.user = group, person
        do_set_role(admin, membership, Membership.Role.MODERATOR, permissions=perms)
    return membership


def do_remove_moderator(admin: User, membership: Membership, *, permissions: UserPermissions | None = None) -> None:
    """Take the moderator role away; the person stays a member of the group."""
    if membership.role != Membership.Role.MODERATOR or membership.status != Membership.Status.ACTIVE:
        raise ValidationError(
            format_lazy(
                gettext_lazy("{user} is not a moderator of {group}."),
                user=membership.user.public_name,
                group=membership.group.name,
            )
        )
    do_set_role(admin, membership, Membership.Role.MEMBER, permissions=permissions)


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
        raise ValidationError({"kind": gettext_lazy("Choose public or private.")})
    problems: dict[str, StrOrPromise] = {}
    if not values.name:
        problems["name"] = gettext_lazy("The group needs a name.")
    others = SupportGroup.objects.exclude(pk=group.pk) if group is not None else SupportGroup.objects.all()
    if values.name and others.filter(name__iexact=values.name).exists():
        problems["name"] = format_lazy(
            gettext_lazy("There is already a group called “{name}”. Choose another name."), name=values.name
        )
    own_forum = Forum.objects.filter(group=group) if group is not None else Forum.objects.none()
    if not values.slug:
        problems["slug"] = gettext_lazy("The group needs a web address.")
    elif values.slug in RESERVED_GROUP_SLUGS:
        problems["slug"] = format_lazy(
            gettext_lazy("“{slug}” is used by the site itself. Choose another web address."), slug=values.slug
        )
    elif (
        others.filter(slug=values.slug).exists()
        or Forum.objects.exclude(pk__in=own_forum).filter(slug=values.slug).exists()
    ):
        problems["slug"] = format_lazy(
            gettext_lazy("The web address “{slug}” is taken by another group or forum. Choose another."),
            slug=values.slug,
        )
    if problems:
        raise ValidationError(problems)
    return values


def _sync_group_forum(group: SupportGroup, values: GroupSettings) -> Forum:
    forum = do_ensure_group_forum(group)
    forum.name, forum.slug, forum.description = group.name, group.slug, group.description
    forum.position, forum.staff_only_threads = group.position, values.staff_only_threads
    forum.save(update_fields=["name", "slug", "description", "position", "staff_only_threads"])
    return forum


def do_create_group(admin: User, values: GroupSettings, *, permissions: UserPermissions | None = None) -> SupportGroup:
    """A new support group, with its forum, recorded in the moderation log."""
    perms = permissions_for(admin, permissions)
    if not perms.can_manage_groups:
        raise PermissionDenied(gettext_lazy("Only site admins can create groups."))
    values = _check_group_settings(values)
    try:
        with transaction.atomic():
            group = SupportGroup.objects.create(
                **{name: getattr(values, name) for name in GroupSettings.GROUP_FIELDS},
                rules_html=markup.render(values.rules).html if values.rules else "",
            )
            _sync_group_forum(group, values)
            log_action(
                admin,
                ModerationAction.Action.CREATE_GROUP,
                group=group,
                detail={"name": group.name, "slug": group.slug, "kind": group.kind},
            )
    except IntegrityError as error:  # two admins creating the same group at once
        raise ValidationError(
            {"slug": gettext_lazy("That name or web address was just taken. Choose another.")}
        ) from error
    return group


def do_update_group(
    admin: User, group: SupportGroup, values: GroupSettings, *, permissions: UserPermissions | None = None
) -> list[str]:
    """Change a group's settings and its forum's; return the names of the settings that changed.

    Making a private group public lets in everyone who was waiting for approval,
    since anyone may now join; they are told.
    """
    perms = permissions_for(admin, permissions)
    if not perms.can_manage_groups:
        raise PermissionDenied(gettext_lazy("Only site admins can change a group's settings."))
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
                    format_lazy(
                        gettext_lazy("{group} is now open to everyone, so you are a member. Welcome."), group=group.name
                    ),
                    group.get_absolute_url(),
                    group=group,
                )
            # Short settings are logged before and after; long texts only as "changed".
            short = [name for name in changed if name not in {"description", "rules"}]
            log_action(
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
        raise ValidationError(
            {"slug": gettext_lazy("That name or web address was just taken. Choose another.")}
        ) from error
    return changed
