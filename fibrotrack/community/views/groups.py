"""Groups: about, members, joining and leaving, and the group moderators' page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.accounts.models import User
from fibrotrack.community import markup
from fibrotrack.community.access.groups import (
    get_group_for_moderator,
    get_group_for_user,
    get_group_to_join,
    members_of,
)
from fibrotrack.community.access.permissions import get_permissions
from fibrotrack.community.actions.group_admin import do_set_role
from fibrotrack.community.actions.groups import (
    do_decide_request,
    do_decline_invite,
    do_invite,
    do_join_group,
    do_leave_group,
    do_remove_member,
)
from fibrotrack.community.actions.text import resolve_mentions
from fibrotrack.community.forms import InviteForm, parse_page
from fibrotrack.community.models import Membership
from fibrotrack.community.reference import COMMON_RULES
from fibrotrack.community.views.base import community_view, paginate, render_page


@community_view
def group_about(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    perms = get_permissions(request)
    group = get_group_for_user(perms, slug)
    moderators = [m.user for m in members_of(perms, group).filter(role=Membership.Role.MODERATOR)]
    # The seeded rules are shown in the reader's language until an admin changes them.
    rules_html = markup.render(gettext(COMMON_RULES)).html if group.rules == COMMON_RULES else group.rules_html
    return render_page(
        request,
        "community/group_about.html",
        {
            "group": group,
            "rules_html": rules_html,
            "moderators": moderators,
            "membership": perms.memberships.get(group.pk),
            "can_manage": perms.can_moderate_group(group),
        },
    )


@community_view
def group_members(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    perms = get_permissions(request)
    group = get_group_for_user(perms, slug)
    page = paginate(members_of(perms, group), parse_page(request.GET.get("page")), 100)
    return render_page(request, "community/group_members.html", {"group": group, "page": page})


@community_view
@require_POST
def group_join(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    group = get_group_to_join(perms, slug)
    membership = do_join_group(user, group, note=request.POST.get("note", ""), permissions=perms)
    if membership.status == Membership.Status.ACTIVE:
        messages.success(request, gettext("You joined %(group)s. Welcome!") % {"group": group.name})
        return redirect("community:forum", slug=group.slug)
    messages.success(
        request,
        gettext("You asked to join %(group)s. A moderator will decide soon; we will tell you.") % {"group": group.name},
    )
    return redirect("community:index")


@community_view
@require_POST
def group_leave(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    group = get_group_for_user(perms, slug)
    membership = perms.memberships.get(group.pk)
    if membership is None:
        raise Http404("Not a member")
    do_leave_group(user, group, permissions=perms)
    if membership.status == Membership.Status.REQUESTED:
        messages.info(request, gettext("You withdrew your request to join %(group)s.") % {"group": group.name})
    else:
        messages.info(request, gettext("You left %(group)s.") % {"group": group.name})
    return redirect("community:index")


@community_view
@require_POST
def group_decline(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    group = get_group_to_join(perms, slug)
    membership = perms.memberships.get(group.pk)
    if membership is None or membership.status != Membership.Status.INVITED:
        raise Http404("No invitation")
    do_decline_invite(user, group, permissions=perms)
    messages.info(request, gettext("You declined the invitation to %(group)s.") % {"group": group.name})
    return redirect("community:index")


@community_view
def group_manage(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    perms = get_permissions(request)
    group = get_group_for_moderator(perms, slug)
    requests = Membership.objects.filter(group=group, status=Membership.Status.REQUESTED).select_related("user")
    invited = Membership.objects.filter(group=group, status=Membership.Status.INVITED).select_related("user")
    members = members_of(perms, group)
    return render_page(
        request,
        "community/group_manage.html",
        {
            "group": group,
            "requests": requests,
            "invited": invited,
            "members": members,
            "invite_form": InviteForm(),
            "can_set_roles": perms.is_global_moderator,
        },
    )


@community_view
@require_POST
def group_request(request: AuthenticatedHttpRequest, slug: str, membership_id: int) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    group = get_group_for_moderator(perms, slug)
    membership = get_object_or_404(Membership.objects.select_related("user", "group"), pk=membership_id, group=group)
    approve = request.POST.get("decision") == "approve"
    do_decide_request(user, membership, approve=approve, permissions=perms)
    name = membership.user.public_name
    messages.success(
        request,
        gettext("%(name)s is now a member.") % {"name": name}
        if approve
        else gettext("You declined %(name)s's request.") % {"name": name},
    )
    return redirect("community:group_manage", slug=group.slug)


def find_person(name: str) -> User:
    found, unknown, ambiguous = resolve_mentions([markup.mention_key(name.strip().lstrip("@").strip("[]"))])
    if unknown:
        raise ValidationError(gettext("Nobody here is called “%(name)s”. Check the spelling.") % {"name": name})
    if ambiguous:
        options = gettext(" or ").join(f"member-{p.pk}" for people in ambiguous.values() for p in people)
        raise ValidationError(
            gettext("More than one person is called “%(name)s”: type %(options)s.") % {"name": name, "options": options}
        )
    target = next(iter(found.values()))
    return User.objects.get(pk=target.user_id)


@community_view
@require_POST
def group_invite(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    group = get_group_for_moderator(perms, slug)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            person = find_person(form.cleaned_data["name"])
            membership = do_invite(user, group, person, permissions=perms)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if membership.status == Membership.Status.ACTIVE:
                messages.success(
                    request,
                    gettext("%(person)s asked to join earlier, so they are now a member.")
                    % {"person": person.public_name},
                )
            else:
                messages.success(
                    request,
                    gettext("Invited %(person)s. They can accept from the community page.")
                    % {"person": person.public_name},
                )
    else:
        messages.error(request, gettext("Type the person's name."))
    return redirect("community:group_manage", slug=group.slug)


@community_view
@require_POST
def group_member(request: AuthenticatedHttpRequest, slug: str, membership_id: int) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    group = get_group_for_moderator(perms, slug)
    membership = get_object_or_404(Membership.objects.select_related("user", "group"), pk=membership_id, group=group)
    what = request.POST.get("action")
    if what == "remove":
        do_remove_member(user, membership, reason=request.POST.get("reason", ""), permissions=perms)
        messages.success(
            request,
            gettext("Removed %(user)s from %(group)s.") % {"user": membership.user.public_name, "group": group.name},
        )
    elif what in {"moderator", "member"}:
        do_set_role(user, membership, what, permissions=perms)
        role = (
            gettext("%(user)s is now a moderator of %(group)s.")
            if what == "moderator"
            else gettext("%(user)s is now a member of %(group)s.")
        )
        messages.success(request, role % {"user": membership.user.public_name, "group": group.name})
    else:
        raise Http404("Unknown action")
    return redirect("community:group_manage", slug=group.slug)
