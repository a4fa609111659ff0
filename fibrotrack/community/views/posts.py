"""Single posts: a link to one, editing, deleting, history, reactions, reports, moderating."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.community import crisis
from fibrotrack.community.access.permissions import get_permissions
from fibrotrack.community.access.posts import (
    check_can_delete_post,
    check_can_edit_post,
    check_can_see_history,
    get_post_for_user,
)
from fibrotrack.community.access.threads import check_can_moderate_thread
from fibrotrack.community.actions.cards import do_remove_card
from fibrotrack.community.actions.moderation import do_hide_post, do_moderator_delete_post, do_restore_post
from fibrotrack.community.actions.posts import do_delete_post, do_edit_post
from fibrotrack.community.actions.reactions import do_react
from fibrotrack.community.actions.reports import do_report
from fibrotrack.community.actions.text import prepare_text
from fibrotrack.community.forms import EditPostForm, ModerationReasonForm, ReportForm
from fibrotrack.community.models import Post, ProgressCard, Reaction
from fibrotrack.community.views.base import community_view, render_page

POSTS_PER_PAGE = 20


REACTIONS = Reaction.Kind.choices


def render_preview(body: str) -> tuple[str, bool]:
    prepared = prepare_text(body)
    return prepared.html, prepared.crisis


def after_post_message(request: HttpRequest, post: Post) -> None:
    if post.mentions_crisis:
        messages.warning(
            request,
            gettext(
                "Posted. It sounds like things may be very hard right now. You are not alone: "
                "the crisis resources are shown with your post, and a moderator may reach out."
            ),
        )
    else:
        messages.success(request, gettext("Posted. Thank you for sharing."))


def post_url(post: Post) -> str:
    before = Post.objects.filter(thread_id=post.thread_id, position__lt=post.position).count()
    page = before // POSTS_PER_PAGE + 1
    url = reverse("community:thread", args=[post.thread_id])
    return f"{url}?page={page}#post-{post.pk}" if page > 1 else f"{url}#post-{post.pk}"


@community_view
def post(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    perms = get_permissions(request)
    the_post = get_post_for_user(perms, pk)
    return redirect(post_url(the_post))


@community_view
def post_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    the_post = get_post_for_user(perms, pk)
    check_can_edit_post(perms, the_post)
    initial = {"body": the_post.body, "title": the_post.thread.title}
    form = EditPostForm(request.POST or None, initial=initial, with_title=the_post.is_first)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            if "preview" in request.POST:
                preview = {"html": render_preview(form.cleaned_data["body"])[0]}
            else:
                do_edit_post(
                    user, the_post, form.cleaned_data["body"], title=form.cleaned_data.get("title"), permissions=perms
                )
                messages.success(request, gettext("Saved. Moderators can see earlier versions."))
                return redirect(post_url(the_post))
        except ValidationError as error:
            form.add_error(None, error)
    status = 400 if request.method == "POST" and preview is None else 200
    return render_page(
        request, "community/post_edit.html", {"post": the_post, "form": form, "preview": preview}, status=status
    )


@community_view
def post_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    the_post = get_post_for_user(perms, pk)
    check_can_delete_post(perms, the_post)
    if request.method == "POST":
        forum_url = the_post.thread.forum.get_absolute_url()
        outcome = do_delete_post(user, the_post, permissions=perms)
        if outcome == "thread":
            messages.success(request, gettext("Your thread is deleted."))
            return redirect(forum_url)
        messages.success(request, gettext("Your post is deleted. Its text and history are gone."))
        return redirect(the_post.thread)
    return render_page(request, "community/post_delete.html", {"post": the_post})


@community_view
def post_history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    perms = get_permissions(request)
    the_post = get_post_for_user(perms, pk)
    check_can_see_history(perms, the_post)
    revisions = list(the_post.revisions.all())
    return render_page(request, "community/post_history.html", {"post": the_post, "revisions": revisions})


@community_view
@require_POST
def post_react(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    the_post = get_post_for_user(perms, pk)
    kind = request.POST.get("kind", "")
    try:
        on = do_react(user, the_post, kind, permissions=perms)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        label = dict(REACTIONS).get(kind, kind)
        messages.success(
            request,
            gettext("You reacted “%(label)s”.") % {"label": label}
            if on
            else gettext("You took back your “%(label)s”.") % {"label": label},
        )
    return redirect(post_url(the_post))


@community_view
def post_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    the_post = get_post_for_user(perms, pk)
    if the_post.author_id == user.pk:
        raise PermissionDenied(gettext("You cannot report your own post. You can edit or delete it."))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        do_report(user, post=the_post, **form.cleaned_data)
        messages.success(
            request, gettext("Thank you. The moderators will look at it; we will tell you what they decide.")
        )
        return redirect(post_url(the_post))
    return render_page(
        request,
        "community/report.html",
        {
            "form": form,
            "title": gettext("Report this post"),
            "back": post_url(the_post),
            "crisis_resources": crisis.resources_html(),
        },
        status=400 if request.method == "POST" else 200,
    )


@community_view
@require_POST
def post_moderate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    the_post = get_post_for_user(perms, pk)
    check_can_moderate_thread(perms, the_post.thread)
    form = ModerationReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    what = request.POST.get("action")
    if what == "hide":
        do_hide_post(user, the_post, reason, permissions=perms)
        messages.success(request, gettext("The post is hidden. Its author was told."))
    elif what == "restore":
        do_restore_post(user, the_post, permissions=perms)
        messages.success(request, gettext("The post is visible again."))
    elif what == "delete":
        thread_id, was_first = the_post.thread_id, the_post.is_first
        forum_url = the_post.thread.forum.get_absolute_url()
        do_moderator_delete_post(user, the_post, reason, permissions=perms)
        messages.success(request, gettext("Deleted. The moderation log records it."))
        return redirect(forum_url if was_first else reverse("community:thread", args=[thread_id]))
    else:
        raise Http404("Unknown action")
    return redirect(post_url(the_post))


@community_view
@require_POST
def post_card_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    the_post = get_post_for_user(perms, pk)
    card = ProgressCard.objects.filter(post=the_post, owner=user).first()
    if card is None:
        raise Http404("No card of yours on this post")
    do_remove_card(user, card)
    messages.success(request, gettext("The progress card is removed from your post and deleted."))
    return redirect(post_url(the_post))
