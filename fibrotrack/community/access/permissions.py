"""One person's standing in the community, worked out at most once per request.

``UserPermissions`` (modelled on Misago's ``UserPermissionsProxy``) is built
from the user and computes each piece of state (their memberships, bans,
blocks, visible forums, whether they moderate everything) the first time it
is asked for, then keeps it. Views take the request's object from
``get_permissions(request)``: it lives on the request, so nothing it cached
outlives the request, and the next request sees a ban or a block applied in
between. Code without a request (actions called from scripts, Django admin,
tests) gets a fresh object from ``permissions_for(user)``.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from fibrotrack.community.models import Ban, Block, Forum, Membership, SupportGroup

if TYPE_CHECKING:
    from fibrotrack.accounts.http import AuthenticatedHttpRequest
    from fibrotrack.accounts.models import User

# Where the request keeps its permission object (see ``get_permissions``).
REQUEST_ATTRIBUTE = "_community_permissions"


class UserPermissions:
    """What ``user`` may see and do; each property queries the database once, on first use."""

    def __init__(self, user: User) -> None:
        self.user = user

    # --- Roles ----------------------------------------------------------------------

    @cached_property
    def is_global_moderator(self) -> bool:
        """Site admins and people given the "moderate_all" permission moderate everything."""
        user = self.user
        if not user.is_authenticated or not user.is_active:
            return False
        return bool(user.is_superuser or user.has_perm("community.moderate_all"))

    @cached_property
    def memberships(self) -> dict[int, Membership]:
        """All of the person's memberships, requests and invitations, by group id."""
        return {m.group_id: m for m in Membership.objects.filter(user=self.user)}

    @cached_property
    def moderated_group_ids(self) -> frozenset[int]:
        return frozenset(
            gid
            for gid, m in self.memberships.items()
            if m.status == Membership.Status.ACTIVE and m.role == Membership.Role.MODERATOR
        )

    def active_membership(self, group: SupportGroup | int) -> Membership | None:
        group_id = group if isinstance(group, int) else group.pk
        membership = self.memberships.get(group_id)
        return membership if membership and membership.status == Membership.Status.ACTIVE else None

    def is_member(self, group: SupportGroup) -> bool:
        return self.active_membership(group) is not None

    def can_moderate_group(self, group: SupportGroup | None) -> bool:
        if self.is_global_moderator:
            return True
        return group is not None and group.pk in self.moderated_group_ids

    def can_moderate_forum(self, forum: Forum) -> bool:
        if self.is_global_moderator:
            return True
        return forum.group_id is not None and forum.group_id in self.moderated_group_ids

    @property
    def is_moderator_anywhere(self) -> bool:
        return self.user.is_authenticated and (self.is_global_moderator or bool(self.moderated_group_ids))

    @property
    def can_manage_groups(self) -> bool:
        """Site admins create and configure groups and appoint their moderators.

        They are the same people who moderate everything (superusers and holders
        of ``community.moderate_all``); a group's own moderators run their group
        but do not create groups or appoint other moderators.
        """
        return self.is_global_moderator

    # --- Bans and blocks ------------------------------------------------------------

    @cached_property
    def bans(self) -> tuple[Ban, ...]:
        now = timezone.now()
        active = Ban.objects.filter(user=self.user, lifted_at=None).filter(Q(expires_at=None) | Q(expires_at__gt=now))
        return tuple(active)

    def ban_for(self, group_id: int | None = None) -> Ban | None:
        """The ban that stops the person posting here: community-wide, or for this group."""
        for ban in self.bans:
            if not ban.is_active:
                continue
            if ban.group_id is None or (group_id is not None and ban.group_id == group_id):
                return ban
        return None

    @cached_property
    def blocked_ids(self) -> frozenset[int]:
        """People this person has blocked."""
        return frozenset(Block.objects.filter(blocker=self.user).values_list("blocked_id", flat=True))

    # --- Forums ---------------------------------------------------------------------

    def visible_forums(self) -> QuerySet[Forum]:
        if self.is_global_moderator:
            return Forum.objects.all()
        mine = [gid for gid, m in self.memberships.items() if m.status == Membership.Status.ACTIVE]
        return Forum.objects.filter(Q(group=None) | Q(group__kind=SupportGroup.Kind.PUBLIC) | Q(group_id__in=mine))

    @cached_property
    def visible_forum_ids(self) -> tuple[int, ...]:
        return tuple(self.visible_forums().values_list("pk", flat=True))

    # --- Keeping it true within one request -----------------------------------------

    def forget(self) -> None:
        """Drop everything computed so far: call after changing this person's roles, bans or blocks."""
        for name, attribute in vars(type(self)).items():
            if isinstance(attribute, cached_property):
                self.__dict__.pop(name, None)


def get_permissions(request: AuthenticatedHttpRequest) -> UserPermissions:
    """The request's permission object, made on first use and kept on the request (and nowhere else)."""
    permissions = getattr(request, REQUEST_ATTRIBUTE, None)
    if not isinstance(permissions, UserPermissions) or permissions.user is not request.user:
        permissions = UserPermissions(request.user)
        setattr(request, REQUEST_ATTRIBUTE, permissions)
    return permissions


def permissions_for(user: User, permissions: UserPermissions | None = None) -> UserPermissions:
    """``permissions`` (the caller's, usually the request's) if given, else a fresh object for ``user``."""
    if permissions is None:
        return UserPermissions(user)
    if permissions.user.pk != user.pk:
        raise ValueError("These permissions belong to someone else.")
    return permissions


def ban_message(ban: Ban) -> str:
    reason = ban.reason
    if ban.expires_at is None:
        if ban.group_id is None:
            return gettext(
                "You are banned from posting in the community for good. The moderators' reason: %(reason)s"
            ) % {"reason": reason}
        return gettext("You are banned from posting in this group for good. The moderators' reason: %(reason)s") % {
            "reason": reason
        }
    until = date_format(timezone.localtime(ban.expires_at), "j F Y, H:i")
    if ban.group_id is None:
        message = gettext(
            "You are banned from posting in the community until %(until)s. The moderators' reason: %(reason)s"
        )
    else:
        message = gettext(
            "You are banned from posting in this group until %(until)s. The moderators' reason: %(reason)s"
        )
    return message % {"until": until, "reason": reason}


def check_not_banned(permissions: UserPermissions, group_id: int | None = None) -> None:
    ban = permissions.ban_for(group_id)
    if ban is not None:
        raise PermissionDenied(ban_message(ban))
