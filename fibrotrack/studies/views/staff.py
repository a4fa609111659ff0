"""The team page: members and their roles, invitations by e-mail, accepting an invitation."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.studies import access, roles
from fibrotrack.studies.actions import staff
from fibrotrack.studies.forms import StaffInviteForm
from fibrotrack.studies.views.manage import error_text


@login_required
def team(request: AuthenticatedHttpRequest, study: uuid.UUID) -> HttpResponse:
    view = access.get_staff_view(request.user, study)
    may_manage = view.has(roles.MANAGES)
    if request.method == "POST":
        access.check_role(view, roles.MANAGES, "invite people to the team")
    form = StaffInviteForm(request.POST or None) if may_manage else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            invite = staff.do_invite_staff(view, email=form.cleaned_data["email"], role=form.cleaned_data["role"])
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invite.email})
            return redirect("studies:staff", study=view.study.uuid)
    members = view.study.memberships.select_related("user").order_by("created_at")
    invites = (
        view.study.staff_invites.filter(accepted_at=None, revoked_at=None).order_by("-created_at") if may_manage else []
    )
    return render(
        request,
        "studies/staff.html",
        {
            "view": view,
            "study": view.study,
            "members": members,
            "invites": invites,
            "form": form,
            "may_manage": may_manage,
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@require_POST
@login_required
def staff_remove(request: AuthenticatedHttpRequest, study: uuid.UUID, pk: int) -> HttpResponse:
    view = access.get_staff_view(request.user, study)
    access.check_role(view, roles.MANAGES, "remove members of the team")
    membership = access.get_membership_for_staff(view, pk)
    try:
        staff.do_remove_staff(view, membership)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("%(name)s is no longer on the team.") % {"name": membership.user.public_name})
    return redirect("studies:staff", study=view.study.uuid)


@require_POST
@login_required
def staff_invite_revoke(request: AuthenticatedHttpRequest, study: uuid.UUID, pk: int) -> HttpResponse:
    view = access.get_staff_view(request.user, study)
    access.check_role(view, roles.MANAGES, "withdraw invitations")
    staff.do_revoke_staff_invite(view, access.get_staff_invite_for_staff(view, pk))
    messages.success(request, _("The invitation was withdrawn."))
    return redirect("studies:staff", study=view.study.uuid)


@login_required
def staff_accept(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    invite = staff.find_staff_invite(token)
    if invite is None:
        raise Http404
    if request.method == "POST":
        staff.do_accept_staff_invite(request.user, invite)  # PermissionDenied (403) says why not
        messages.success(request, _("Welcome to the team."))
        return redirect("studies:home", study=invite.study.uuid)
    problem = ""
    try:
        staff.check_may_accept(request.user, invite)
    except PermissionDenied as exc:  # shown before the button, not raised: the page explains
        problem = str(exc)
    return render(request, "studies/staff_accept.html", {"invite": invite, "problem": problem})
