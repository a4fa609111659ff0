"""Forums and threads: the thread list, starting, reading and replying, following, moderating."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.accounts.models import User
from fibrotrack.community import crisis, markup
from fibrotrack.community import treatments as treatment_links
from fibrotrack.community.access.people import draft_cards, profile_for
from fibrotrack.community.access.permissions import UserPermissions, get_permissions
from fibrotrack.community.access.posts import can_see_post_body
from fibrotrack.community.access.threads import (
    can_reply,
    can_start_thread,
    check_can_edit_thread_tags,
    check_can_moderate_thread,
    check_can_reply,
    check_can_start_thread,
    get_forum_for_user,
    get_thread_for_user,
    thread_tags_refusal,
    threads_in_forum,
)
from fibrotrack.community.actions.moderation import do_moderator_delete_thread, do_move_thread, do_set_thread_flag
from fibrotrack.community.actions.posts import do_reply
from fibrotrack.community.actions.threads import (
    do_follow_thread,
    do_mark_thread_read,
    do_set_thread_treatments,
    do_start_thread,
)
from fibrotrack.community.forms import MoveForm, ReplyForm, ThreadForm, ThreadTagsForm, parse_page
from fibrotrack.community.models import Forum, Post, Reaction, Thread, ThreadFollow, ThreadRead
from fibrotrack.community.templatetags.community_i18n import seeded
from fibrotrack.community.views.base import community_view, paginate, render_page
from fibrotrack.community.views.posts import POSTS_PER_PAGE, REACTIONS, after_post_message, post_url, render_preview

THREADS_PER_PAGE = 30


def _read_cutoff(user: User) -> dt.datetime:
    return profile_for(user).read_cutoff


@community_view
def forum(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    the_forum = get_forum_for_user(perms, slug)
    cutoff = _read_cutoff(user)
    threads = (
        threads_in_forum(perms, the_forum)
        .select_related("author", "last_poster")
        .annotate(
            read_at=Subquery(ThreadRead.objects.filter(user=user, thread=OuterRef("pk")).values("last_read_at")[:1])
        )
        .order_by("-is_pinned", "-last_post_at", "-id")
    )
    page = paginate(threads, parse_page(request.GET.get("page")), THREADS_PER_PAGE)
    tags = treatment_links.treatments_for_threads(list(page.object_list))
    for thread in page.object_list:
        seen = max(thread.read_at or cutoff, cutoff)
        thread.is_unread = thread.last_post_at > seen
        thread.tags = tags.get(thread.pk, [])
    group = the_forum.group
    membership = perms.memberships.get(group.pk) if group else None
    return render_page(
        request,
        "community/forum.html",
        {
            "forum": the_forum,
            "group": group,
            "membership": membership,
            "page": page,
            "cannot_start": can_start_thread(perms, the_forum),
            "can_moderate": perms.can_moderate_forum(the_forum),
        },
    )


@community_view
def thread_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    the_forum = get_forum_for_user(perms, slug)
    check_can_start_thread(perms, the_forum)
    cards = draft_cards(user)
    form = ThreadForm(request.POST or None, cards=cards, treatments=treatment_links.catalogue_choices())
    preview: dict[str, Any] | None = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            try:
                if "preview" in request.POST:
                    html, mentions_crisis = render_preview(cd["body"])
                    preview = {"title": cd["title"], "html": html, "card": cd.get("card"), "crisis": mentions_crisis}
                    status = 200
                else:
                    thread = do_start_thread(
                        user,
                        the_forum,
                        cd["title"],
                        cd["body"],
                        card=cd.get("card"),
                        treatment_ids=cd.get("treatments") or [],
                        permissions=perms,
                    )
                    after_post_message(request, thread.posts.get(position=0))
                    return redirect(thread)
            except ValidationError as error:
                form.add_error(None, error)
    return render_page(
        request,
        "community/thread_new.html",
        {"forum": the_forum, "form": form, "preview": preview, "crisis_resources": crisis.resources_html()},
        status=status,
    )


def _decorate_posts(perms: UserPermissions, thread: Thread, posts: list[Post], read_at: dt.datetime) -> None:
    """Attach reaction counts, the viewer's reactions and visibility to a page of posts, in two queries."""
    user = perms.user
    ids = [p.pk for p in posts]
    counts: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    for row in Reaction.objects.filter(post_id__in=ids).values("post_id", "kind").annotate(n=Count("id")):
        counts[row["post_id"]][row["kind"]] = row["n"]
    mine: dict[int, set[str]] = {pk: set() for pk in ids}
    for post_id, kind in Reaction.objects.filter(post_id__in=ids, user=user).values_list("post_id", "kind"):
        mine[post_id].add(kind)
    blocked = perms.blocked_ids
    moderator = perms.can_moderate_forum(thread.forum)
    for post in posts:
        post.thread = thread
        post.show_body = can_see_post_body(perms, post)  # type: ignore[attr-defined]
        post.by_blocked = post.author_id in blocked  # type: ignore[attr-defined]
        post.is_new = read_at is not None and post.created_at > read_at and post.author_id != user.pk  # type: ignore[attr-defined]
        post.is_mine = post.author_id == user.pk  # type: ignore[attr-defined]
        post.reaction_list = [  # type: ignore[attr-defined]
            {"kind": kind, "label": label, "count": counts[post.pk].get(kind, 0), "mine": kind in mine[post.pk]}
            for kind, label in REACTIONS
        ]
        post.can_moderate = moderator  # type: ignore[attr-defined]


@community_view
def thread(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    the_thread = get_thread_for_user(perms, pk)
    read = ThreadRead.objects.filter(user=user, thread=the_thread).values_list("last_read_at", flat=True).first()
    cutoff = _read_cutoff(user)
    read_at = max(read or cutoff, cutoff)
    posts_qs = the_thread.posts.select_related("author", "card").order_by("position")
    page = paginate(posts_qs, parse_page(request.GET.get("page")), POSTS_PER_PAGE)
    posts = list(page.object_list)
    _decorate_posts(perms, the_thread, posts, read_at)
    if posts:
        do_mark_thread_read(user, the_thread, max(p.created_at for p in posts))
    reply_reason = can_reply(perms, the_thread)
    cards = draft_cards(user) if reply_reason is None else None
    context = {
        "thread": the_thread,
        "forum": the_thread.forum,
        "page": page,
        "posts": posts,
        "tags": treatment_links.treatments_for_threads([the_thread])[the_thread.pk],
        "is_following": ThreadFollow.objects.filter(user=user, thread=the_thread).exists(),
        "reply_reason": reply_reason,
        "reply_form": ReplyForm(cards=cards) if reply_reason is None else None,
        "can_moderate": perms.can_moderate_forum(the_thread.forum),
        "can_edit_tags": thread_tags_refusal(perms, the_thread) is None,
        "show_crisis": any(p.mentions_crisis and p.show_body for p in posts),
        "crisis_resources": crisis.resources_html(),
    }
    return render_page(request, "community/thread.html", context)


@community_view
def thread_reply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    the_thread = get_thread_for_user(perms, pk)
    check_can_reply(perms, the_thread)
    cards = draft_cards(user)
    initial: dict[str, Any] = {}
    quote_id = request.GET.get("quote") or request.POST.get("quote")
    quoted = None
    if quote_id and str(quote_id).isdigit():
        quoted = Post.objects.filter(pk=int(quote_id), thread=the_thread).select_related("author").first()
        if quoted is not None and not can_see_post_body(perms, quoted):
            quoted = None
    if quoted is not None and request.method == "GET":
        name = quoted.author.public_name if quoted.author else gettext("A former member")
        initial = {"body": markup.quote(quoted.body, name) if quoted.author else quoted.body, "quote": quoted.pk}
    form = ReplyForm(request.POST or None, initial=initial, cards=cards)
    preview = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            try:
                if "preview" in request.POST:
                    html, mentions_crisis = render_preview(cd["body"])
                    preview = {"html": html, "card": cd.get("card"), "crisis": mentions_crisis}
                    status = 200
                else:
                    post = do_reply(
                        user, the_thread, cd["body"], quote_of=quoted, card=cd.get("card"), permissions=perms
                    )
                    after_post_message(request, post)
                    return redirect(post_url(post))
            except ValidationError as error:
                form.add_error(None, error)
    return render_page(
        request,
        "community/reply.html",
        {
            "thread": the_thread,
            "form": form,
            "preview": preview,
            "quoted": quoted,
            "crisis_resources": crisis.resources_html(),
        },
        status=status,
    )


@community_view
@require_POST
def thread_follow(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    the_thread = get_thread_for_user(perms, pk)
    follow = request.POST.get("follow") == "1"
    do_follow_thread(user, the_thread, follow)
    messages.success(
        request,
        gettext("You will be told about new replies.")
        if follow
        else gettext("You will not be told about new replies."),
    )
    return redirect(the_thread)


THREAD_ACTIONS = {
    "pin": ("is_pinned", True, gettext_lazy("Pinned.")),
    "unpin": ("is_pinned", False, gettext_lazy("Unpinned.")),
    "lock": ("is_locked", True, gettext_lazy("Locked: nobody can reply now.")),
    "unlock": ("is_locked", False, gettext_lazy("Unlocked.")),
    "hide": ("is_hidden", True, gettext_lazy("Hidden: only moderators and the author can see it now.")),
    "restore": ("is_hidden", False, gettext_lazy("Restored: everyone can see it again.")),
}


@community_view
@require_POST
def thread_moderate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    the_thread = get_thread_for_user(perms, pk)
    check_can_moderate_thread(perms, the_thread)
    what = request.POST.get("action", "")
    reason = request.POST.get("reason", "").strip()[:300]
    if what == "delete":
        forum_url = the_thread.forum.get_absolute_url()
        do_moderator_delete_thread(user, the_thread, reason, permissions=perms)
        messages.success(request, gettext("The thread is deleted. The moderation log records it."))
        return redirect(forum_url)
    if what not in THREAD_ACTIONS:
        raise Http404("Unknown action")
    flag, value, done = THREAD_ACTIONS[what]
    do_set_thread_flag(user, the_thread, flag, value, reason, permissions=perms)
    messages.success(request, done)
    return redirect(the_thread)


@community_view
def thread_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    the_thread = get_thread_for_user(perms, pk)
    check_can_moderate_thread(perms, the_thread)
    targets = [f.pk for f in perms.visible_forums().select_related("group") if perms.can_moderate_forum(f)]
    form = MoveForm(
        request.POST or None, forums=Forum.objects.filter(pk__in=targets), initial={"forum": the_thread.forum}
    )
    if request.method == "POST" and form.is_valid():
        do_move_thread(user, the_thread, form.cleaned_data["forum"], form.cleaned_data["reason"], permissions=perms)
        messages.success(request, gettext("Moved to %(name)s.") % {"name": seeded(form.cleaned_data["forum"].name)})
        return redirect(the_thread)
    return render_page(request, "community/thread_move.html", {"thread": the_thread, "form": form})


@community_view
def thread_tags(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The author or a moderator changes which treatments the thread is about."""
    user = request.user
    perms = get_permissions(request)
    the_thread = get_thread_for_user(perms, pk)
    check_can_edit_thread_tags(perms, the_thread)
    current = [t.pk for t in treatment_links.treatments_for_threads([the_thread])[the_thread.pk]]
    form = ThreadTagsForm(
        # Unticking every box posts no fields, which is still a submission.
        request.POST if request.method == "POST" else None,
        initial={"treatments": current},
        categories=treatment_links.catalogue_choices_by_category(),
        max_tags=treatment_links.MAX_THREAD_TAGS,
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = do_set_thread_treatments(user, the_thread, form.cleaned_data["treatments"], permissions=perms)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            tags = treatment_links.treatments_for_threads([the_thread])[the_thread.pk]
            if not changed:
                messages.info(request, gettext("Nothing was changed."))
            elif tags:
                names = ", ".join(t.name for t in tags)
                messages.success(
                    request, gettext("Saved. The thread now shows on the pages about %(names)s.") % {"names": names}
                )
            else:
                messages.success(request, gettext("Saved. The thread is not tagged with any treatment now."))
            return redirect(the_thread)
    return render_page(
        request,
        "community/thread_tags.html",
        {"thread": the_thread, "forum": the_thread.forum, "form": form},
        status=400 if request.method == "POST" else 200,
    )
