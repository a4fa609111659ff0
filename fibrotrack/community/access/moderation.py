"""Moderators: which reports they see, and who may warn or ban whom."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from fibrotrack.community.access.permissions import UserPermissions
from fibrotrack.community.models import ModeratorWarning, Report, SupportGroup

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User


def reports_for_moderator(permissions: UserPermissions) -> QuerySet[Report]:
    if permissions.is_global_moderator:
        return Report.objects.all()
    groups = permissions.moderated_group_ids
    if not groups:
        return Report.objects.none()
    return Report.objects.filter(post__thread__forum__group_id__in=groups)


def get_report_for_moderator(permissions: UserPermissions, pk: int) -> Report:
    return get_object_or_404(
        reports_for_moderator(permissions).select_related(
            "post", "post__thread", "post__thread__forum", "message", "message__sender", "reported_user", "reporter"
        ),
        pk=pk,
    )


def warnings_for_moderator(permissions: UserPermissions, person: User) -> QuerySet[ModeratorWarning]:
    """A person's warnings as this moderator may read them.

    A warning about a post belongs to that post's group; one without a post is
    community-wide (only site moderators can give those), as is one whose post
    is gone. A group moderator sees only warnings given in their groups: the
    reasons are about the person, and moderating one small private group is no
    reason to read what happened everywhere else.
    """
    warnings = ModeratorWarning.objects.filter(user=person)
    if permissions.is_global_moderator:
        return warnings
    groups = permissions.moderated_group_ids
    if not groups:
        return ModeratorWarning.objects.none()
    return warnings.filter(post__thread__forum__group_id__in=groups)


def check_is_moderator(permissions: UserPermissions) -> None:
    if not permissions.is_moderator_anywhere:
        raise Http404("No such page")


def check_can_moderate_person(permissions: UserPermissions, group: SupportGroup | None) -> None:
    """Community-wide bans need a global moderator; group bans a moderator of that group."""
    if not permissions.can_moderate_group(group):
        raise PermissionDenied(
            gettext("Only site moderators can act community-wide.")
            if group is None
            else gettext("Only this group's moderators can.")
        )
