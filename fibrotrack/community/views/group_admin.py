"""Site admins' group tools: create and configure groups, appoint and remove their moderators.

The same things can be done in Django admin; these pages exist so that a site
admin can do them on a phone, and every change lands in the moderation log.
Like the other moderator pages, they are a 404 for everyone else.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.community.access.groups import check_can_manage_groups, get_group_for_admin
from fibrotrack.community.access.permissions import get_permissions
from fibrotrack.community.actions.group_admin import (
    GroupSettings,
    do_appoint_moderator,
    do_create_group,
    do_remove_moderator,
    do_update_group,
)
from fibrotrack.community.forms import AppointModeratorForm, GroupForm
from fibrotrack.community.models import Membership, SupportGroup
from fibrotrack.community.views.base import community_view, render_page
from fibrotrack.community.views.groups import find_person

# The settings form has a "name" field too: the prefix keeps the ids on the page unique.
APPOINT_PREFIX = "appoint"


def _moderators(group: SupportGroup) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(group=group, role=Membership.Role.MODERATOR, status=Membership.Status.ACTIVE)
        .select_related("user")
        .order_by("user__display_name", "user_id")
    )


@community_view
def groups(request: AuthenticatedHttpRequest) -> HttpResponse:
    perms = get_permissions(request)
    check_can_manage_groups(perms)
    active = Q(memberships__status=Membership.Status.ACTIVE)
    all_groups = (
        SupportGroup.objects.select_related("forum")
        .annotate(
            member_count=Count("memberships", filter=active),
            request_count=Count("memberships", filter=Q(memberships__status=Membership.Status.REQUESTED)),
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(
                    role=Membership.Role.MODERATOR, status=Membership.Status.ACTIVE
                ).select_related("user"),
                to_attr="moderator_memberships",
            )
        )
        .order_by("position", "name")
    )
    return render_page(request, "community/admin_groups.html", {"groups": all_groups})


@community_view
def group_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    check_can_manage_groups(perms)
    form = GroupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            group = do_create_group(user, GroupSettings(**form.settings_values()), permissions=perms)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                gettext("%(group)s is created, with its forum. Now appoint its moderators.") % {"group": group.name},
            )
            return redirect("community:admin_group_edit", slug=group.slug)
    return render_page(
        request,
        "community/admin_group_form.html",
        {"form": form, "group": None},
        status=400 if request.method == "POST" else 200,
    )


@community_view
def group_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    group = get_group_for_admin(perms, slug)
    form = GroupForm(
        request.POST if request.method == "POST" else None,
        initial=GroupForm.initial_for(GroupSettings.of(group)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = do_update_group(user, group, GroupSettings(**form.settings_values()), permissions=perms)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changed:
                messages.success(
                    request,
                    gettext("Saved the settings of %(group)s. The moderation log records it.") % {"group": group.name},
                )
            else:
                messages.info(request, gettext("Nothing was changed."))
            return redirect("community:admin_group_edit", slug=group.slug)
    if request.method == "POST":
        group.refresh_from_db()  # show the saved name and address, not the rejected ones
    return render_page(
        request,
        "community/admin_group_form.html",
        {
            "form": form,
            "group": group,
            "moderators": _moderators(group),
            "appoint_form": AppointModeratorForm(prefix=APPOINT_PREFIX),
        },
        status=400 if request.method == "POST" else 200,
    )


@community_view
@require_POST
def group_moderator_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    group = get_group_for_admin(perms, slug)
    form = AppointModeratorForm(request.POST, prefix=APPOINT_PREFIX)
    if form.is_valid():
        try:
            person = find_person(form.cleaned_data["name"])
            do_appoint_moderator(user, group, person, permissions=perms)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                gettext("%(person)s is now a moderator of %(group)s. They were told.")
                % {"person": person.public_name, "group": group.name},
            )
    else:
        messages.error(request, gettext("Type the person's name."))
    return redirect("community:admin_group_edit", slug=group.slug)


@community_view
@require_POST
def group_moderator_remove(request: AuthenticatedHttpRequest, slug: str, membership_id: int) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    group = get_group_for_admin(perms, slug)
    membership = get_object_or_404(
        _moderators(group).select_related("group"),
        pk=membership_id,
    )
    do_remove_moderator(user, membership, permissions=perms)
    messages.success(
        request,
        gettext("%(user)s is no longer a moderator of %(group)s, but still a member. They were told.")
        % {"user": membership.user.public_name, "group": group.name},
    )
    return redirect("community:admin_group_edit", slug=group.slug)
