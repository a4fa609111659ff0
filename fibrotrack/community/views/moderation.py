"""Moderator tools: the queue of reports, acting on a report, warnings, bans and the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.community.access.moderation import (
    check_is_moderator,
    get_report_for_moderator,
    reports_for_moderator,
    warnings_for_moderator,
)
from fibrotrack.community.access.people import get_person
from fibrotrack.community.access.permissions import get_permissions
from fibrotrack.community.actions.bans import do_ban, do_lift_ban, do_warn
from fibrotrack.community.actions.moderation import do_hide_post, do_moderator_delete_post, do_set_thread_flag
from fibrotrack.community.actions.reports import do_close_report
from fibrotrack.community.forms import BanForm, ModerationReasonForm, WarnForm, parse_page
from fibrotrack.community.models import Ban, ModerationAction, Report, SupportGroup
from fibrotrack.community.views.base import community_view, paginate, render_page


@community_view
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    perms = get_permissions(request)
    check_is_moderator(perms)
    show = request.GET.get("show", "open")
    reports = reports_for_moderator(perms).select_related(
        "post", "post__thread", "post__author", "message", "message__sender", "reported_user", "reporter"
    )
    if show == "open":
        reports = reports.filter(status=Report.Status.OPEN)
    page = paginate(reports.order_by("-created_at"), parse_page(request.GET.get("page")), 30)
    for report in page.object_list:
        if report.post is not None:
            from fibrotrack.community.markup import plain_text

            report.excerpt = plain_text(report.post.html, 300)
    return render_page(request, "community/mod_queue.html", {"page": page, "show": show})


@community_view
def report_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    check_is_moderator(perms)
    report = get_report_for_moderator(perms, pk)
    if request.method == "POST":
        what = request.POST.get("action")
        form = ModerationReasonForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        post = report.post
        if what == "dismiss":
            do_close_report(user, report, dismissed=True, note=reason)
            messages.success(request, gettext("Dismissed. The person who reported it is thanked."))
        elif what == "resolve":
            do_close_report(user, report, dismissed=False, note=reason)
            messages.success(request, gettext("Marked as dealt with."))
        elif what == "hide" and post is not None:
            do_hide_post(user, post, reason, report=report, permissions=perms)
            messages.success(request, gettext("The post is hidden and the report closed."))
        elif what == "lock" and post is not None:
            do_set_thread_flag(user, post.thread, "is_locked", True, reason, permissions=perms)
            do_close_report(user, report, dismissed=False, note=reason)
            messages.success(request, gettext("The thread is locked and the report closed."))
        elif what == "delete" and post is not None:
            do_close_report(user, report, dismissed=False, note=reason)
            do_moderator_delete_post(user, post, reason, permissions=perms)
            messages.success(request, gettext("Deleted and the report closed."))
        else:
            raise Http404("Unknown action")
        return redirect("community:mod_queue")
    target_user = report.reported_user or (report.post.author if report.post else None)
    if report.message is not None:
        target_user = report.message.sender
    return render_page(
        request,
        "community/mod_report.html",
        {"report": report, "target_user": target_user, "reason_form": ModerationReasonForm()},
    )


@community_view
def person(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Warn or ban one person; see their warnings and bans."""
    user = request.user
    perms = get_permissions(request)
    check_is_moderator(perms)
    target = get_person(pk)
    is_global = perms.is_global_moderator
    groups = list(SupportGroup.objects.filter(pk__in=perms.moderated_group_ids).values_list("slug", "name"))
    if is_global:
        groups = list(SupportGroup.objects.values_list("slug", "name"))
    warn_form = WarnForm(request.POST if request.POST.get("action") == "warn" else None)
    ban_form = BanForm(
        request.POST if request.POST.get("action") == "ban" else None, groups=groups, community=is_global
    )
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if request.POST.get("action") == "warn" and warn_form.is_valid():
                do_warn(user, target, warn_form.cleaned_data["reason"], permissions=perms)
                messages.success(
                    request, gettext("%(target)s is warned. They were told why.") % {"target": target.public_name}
                )
                return redirect("community:mod_person", pk=target.pk)
            if request.POST.get("action") == "ban" and ban_form.is_valid():
                scope = ban_form.cleaned_data["scope"]
                group = None if scope == "community" else get_object_or_404(SupportGroup, slug=scope)
                do_ban(
                    user, target, ban_form.cleaned_data["reason"], group=group, days=ban_form.days, permissions=perms
                )
                messages.success(
                    request,
                    gettext("%(target)s is banned. They were told why and for how long.")
                    % {"target": target.public_name},
                )
                return redirect("community:mod_person", pk=target.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    bans = Ban.objects.filter(user=target).select_related("group", "moderator")
    if not is_global:
        bans = bans.filter(group_id__in=perms.moderated_group_ids)
    return render_page(
        request,
        "community/mod_person.html",
        {
            "target": target,
            "warn_form": warn_form,
            "ban_form": ban_form,
            "warnings": warnings_for_moderator(perms, target).select_related("moderator"),
            "bans": bans,
        },
        status=status,
    )


@community_view
def ban_lift(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    check_is_moderator(perms)
    if request.method != "POST":
        raise Http404("Use the button")
    ban = get_object_or_404(Ban.objects.select_related("user", "group"), pk=pk, lifted_at=None)
    do_lift_ban(user, ban, permissions=perms)
    messages.success(request, gettext("The ban on %(user)s is lifted.") % {"user": ban.user.public_name})
    return redirect("community:mod_person", pk=ban.user_id)


@community_view
def log(request: AuthenticatedHttpRequest) -> HttpResponse:
    perms = get_permissions(request)
    check_is_moderator(perms)
    entries = ModerationAction.objects.select_related("moderator", "target_user", "group", "thread")
    if not perms.is_global_moderator:
        entries = entries.filter(group_id__in=perms.moderated_group_ids)
    page = paginate(entries, parse_page(request.GET.get("page")), 50)
    return render_page(request, "community/mod_log.html", {"page": page})
