"""Groups: which a person can find, see inside, join or run."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from fibrotrack.community.access.permissions import UserPermissions
from fibrotrack.community.models import Membership, SupportGroup


def groups_for_directory(permissions: UserPermissions) -> QuerySet[SupportGroup]:
    """Groups whose name and description this person may see."""
    if permissions.is_global_moderator:
        return SupportGroup.objects.all()
    mine = list(permissions.memberships)
    return SupportGroup.objects.filter(Q(kind=SupportGroup.Kind.PUBLIC) | Q(is_listed=True) | Q(pk__in=mine)).distinct()


def can_see_group_content(permissions: UserPermissions, group: SupportGroup) -> bool:
    return not group.is_private or permissions.is_member(group) or permissions.is_global_moderator


def get_group_for_user(permissions: UserPermissions, slug: str) -> SupportGroup:
    """A group whose content (forum, members, rules) this person may see."""
    group = get_object_or_404(SupportGroup, slug=slug)
    if not can_see_group_content(permissions, group):
        raise Http404("No such group")
    return group


def get_group_to_join(permissions: UserPermissions, slug: str) -> SupportGroup:
    """A group this person may join or ask to join: public, listed, or one they are invited to."""
    group = get_object_or_404(SupportGroup, slug=slug)
    if group.is_private and not group.is_listed and group.pk not in permissions.memberships:
        raise Http404("No such group")
    return group


def get_group_for_moderator(permissions: UserPermissions, slug: str) -> SupportGroup:
    group = get_group_for_user(permissions, slug)
    if not permissions.can_moderate_group(group):
        raise PermissionDenied(gettext("Only this group's moderators can do that."))
    return group


def check_can_manage_groups(permissions: UserPermissions) -> None:
    """Like the other moderator pages, the group tools do not exist for anyone else."""
    if not permissions.can_manage_groups:
        raise Http404("No such page")


def get_group_for_admin(permissions: UserPermissions, slug: str) -> SupportGroup:
    check_can_manage_groups(permissions)
    return get_object_or_404(SupportGroup.objects.select_related("forum"), slug=slug)


def members_of(permissions: UserPermissions, group: SupportGroup) -> QuerySet[Membership]:
    if not can_see_group_content(permissions, group):
        raise Http404("No such group")
    return (
        Membership.objects.filter(group=group, status=Membership.Status.ACTIVE)
        .select_related("user")
        .order_by("-role", "user__display_name", "user_id")
    )
