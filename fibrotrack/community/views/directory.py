"""The community's front page, search, and the pages about one treatment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.community import markup, search
from fibrotrack.community import treatments as treatment_links
from fibrotrack.community.access.groups import groups_for_directory
from fibrotrack.community.access.permissions import get_permissions
from fibrotrack.community.access.threads import visible_threads
from fibrotrack.community.actions.threads import do_mark_all_read
from fibrotrack.community.forms import SearchForm, parse_page
from fibrotrack.community.models import Forum, Membership, Thread
from fibrotrack.community.views.base import community_view, paginate, render_page
from fibrotrack.community.views.threads import THREADS_PER_PAGE


def _forum_stats(forum_ids: list[int]) -> dict[int, Any]:
    rows = (
        Thread.objects.filter(forum_id__in=forum_ids, is_hidden=False)
        .values("forum_id")
        .annotate(threads=Count("id"), last=Max("last_post_at"))
    )
    return {row["forum_id"]: row for row in rows}


@community_view
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    perms = get_permissions(request)
    memberships = perms.memberships
    groups = list(groups_for_directory(perms).select_related("forum"))
    forums = list(Forum.objects.filter(group=None))
    stats = _forum_stats([f.pk for f in forums] + [g.forum.pk for g in groups if hasattr(g, "forum")])
    mine, others, invitations = [], [], []
    for group in groups:
        membership = memberships.get(group.pk)
        group.membership = membership  # type: ignore[attr-defined]
        group.stats = stats.get(group.forum.pk, {}) if hasattr(group, "forum") else {}  # type: ignore[attr-defined]
        if membership and membership.status == Membership.Status.ACTIVE:
            mine.append(group)
        elif membership and membership.status == Membership.Status.INVITED:
            invitations.append(group)
        else:
            others.append(group)
    for forum in forums:
        forum.stats = stats.get(forum.pk, {})  # type: ignore[attr-defined]
    return render_page(
        request,
        "community/index.html",
        {"mine": mine, "others": others, "invitations": invitations, "categories": forums},
    )


@community_view
@require_POST
def mark_all_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    do_mark_all_read(user)
    messages.success(request, gettext("Everything is marked as read."))
    return redirect(request.POST.get("next") or "community:index" if _safe_next(request) else "community:index")


def _safe_next(request: HttpRequest) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or ""
    return bool(target) and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())


@community_view
def search_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    form = SearchForm(request.GET or None)
    page = None
    query = ""
    if form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data["q"].strip()
        page = paginate(search.search_posts(user, query, permissions=perms), parse_page(request.GET.get("page")), 20)
        for result in page.object_list:
            result.excerpt = markup.plain_text(result.html, 240)
    return render_page(
        request,
        "community/search.html",
        {"form": form, "page": page, "query": query, "extra_query": urlencode({"q": query})},
    )


@community_view
def treatment(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    perms = get_permissions(request)
    the_treatment = treatment_links.get_catalogue_treatment(key)
    blocked = perms.blocked_ids
    threads = (
        visible_threads(perms)
        .filter(treatments=the_treatment, is_hidden=False)
        .exclude(author_id__in=blocked)
        .select_related("forum", "author", "last_poster")
        .order_by("-last_post_at", "-id")
    )
    page = paginate(threads, parse_page(request.GET.get("page")), THREADS_PER_PAGE)
    return render_page(request, "community/treatment.html", {"treatment": the_treatment, "page": page})
