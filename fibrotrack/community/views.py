"""Groups, forums, threads, posts and search. Thin: forms validate, ``actions`` write, ``access`` reads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from fibrotrack.community import access, actions, crisis, markup, search
from fibrotrack.community import treatments as treatment_links
from fibrotrack.community.forms import (
    EditPostForm,
    InviteForm,
    ModerationReasonForm,
    MoveForm,
    ReplyForm,
    ReportForm,
    SearchForm,
    ThreadForm,
    ThreadTagsForm,
    parse_page,
)
from fibrotrack.community.models import (
    Forum,
    Membership,
    Post,
    ProgressCard,
    Reaction,
    Thread,
    ThreadFollow,
    ThreadRead,
)
from fibrotrack.community.viewutils import community_view, paginate, render_page

THREADS_PER_PAGE = 30
POSTS_PER_PAGE = 20
REACTIONS = Reaction.Kind.choices


def _user(request: HttpRequest) -> Any:
    return request.user


# --- The directory ---------------------------------------------------------------------------------


def _forum_stats(forum_ids: list[int]) -> dict[int, Any]:
    rows = (
        Thread.objects.filter(forum_id__in=forum_ids, is_hidden=False)
        .values("forum_id")
        .annotate(threads=Count("id"), last=Max("last_post_at"))
    )
    return {row["forum_id"]: row for row in rows}


@community_view
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    memberships = access.memberships_for_user(user)
    groups = list(access.groups_for_directory(user).select_related("forum"))
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


# --- Groups ------------------------------------------------------------------------------------------


@community_view
def group_about(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    group = access.get_group_for_user(user, slug)
    moderators = [m.user for m in access.members_of(user, group).filter(role=Membership.Role.MODERATOR)]
    return render_page(
        request,
        "community/group_about.html",
        {
            "group": group,
            "moderators": moderators,
            "membership": access.memberships_for_user(user).get(group.pk),
            "can_manage": access.can_moderate_group(user, group),
        },
    )


@community_view
def group_members(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    group = access.get_group_for_user(user, slug)
    page = paginate(access.members_of(user, group), parse_page(request.GET.get("page")), 100)
    return render_page(request, "community/group_members.html", {"group": group, "page": page})


@community_view
@require_POST
def group_join(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    group = access.get_group_to_join(user, slug)
    membership = actions.do_join_group(user, group, note=request.POST.get("note", ""))
    if membership.status == Membership.Status.ACTIVE:
        messages.success(request, f"You joined {group.name}. Welcome!")
        return redirect("community:forum", slug=group.slug)
    messages.success(request, f"You asked to join {group.name}. A moderator will decide soon; we will tell you.")
    return redirect("community:index")


@community_view
@require_POST
def group_leave(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    group = access.get_group_for_user(user, slug)
    membership = access.memberships_for_user(user).get(group.pk)
    if membership is None:
        raise Http404("Not a member")
    actions.do_leave_group(user, group)
    if membership.status == Membership.Status.REQUESTED:
        messages.info(request, f"You withdrew your request to join {group.name}.")
    else:
        messages.info(request, f"You left {group.name}.")
    return redirect("community:index")


@community_view
@require_POST
def group_decline(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    group = access.get_group_to_join(user, slug)
    membership = access.memberships_for_user(user).get(group.pk)
    if membership is None or membership.status != Membership.Status.INVITED:
        raise Http404("No invitation")
    actions.do_decline_invite(user, group)
    messages.info(request, f"You declined the invitation to {group.name}.")
    return redirect("community:index")


@community_view
def group_manage(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    group = access.get_group_for_moderator(user, slug)
    requests = Membership.objects.filter(group=group, status=Membership.Status.REQUESTED).select_related("user")
    invited = Membership.objects.filter(group=group, status=Membership.Status.INVITED).select_related("user")
    members = access.members_of(user, group)
    return render_page(
        request,
        "community/group_manage.html",
        {
            "group": group,
            "requests": requests,
            "invited": invited,
            "members": members,
            "invite_form": InviteForm(),
            "can_set_roles": access.is_global_moderator(user),
        },
    )


@community_view
@require_POST
def group_request(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    user = _user(request)
    group = access.get_group_for_moderator(user, slug)
    membership = get_object_or_404(Membership.objects.select_related("user", "group"), pk=membership_id, group=group)
    approve = request.POST.get("decision") == "approve"
    actions.do_decide_request(user, membership, approve=approve)
    name = membership.user.public_name
    messages.success(request, f"{name} is now a member." if approve else f"You declined {name}'s request.")
    return redirect("community:group_manage", slug=group.slug)


def find_person(name: str) -> Any:
    found, unknown, ambiguous = actions.resolve_mentions([markup.mention_key(name.strip().lstrip("@").strip("[]"))])
    if unknown:
        raise ValidationError(f"Nobody here is called “{name}”. Check the spelling.")
    if ambiguous:
        options = " or ".join(f"member-{p.pk}" for people in ambiguous.values() for p in people)
        raise ValidationError(f"More than one person is called “{name}”: type {options}.")
    target = next(iter(found.values()))
    from fibrotrack.accounts.models import User

    return User.objects.get(pk=target.user_id)


@community_view
@require_POST
def group_invite(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    group = access.get_group_for_moderator(user, slug)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            person = find_person(form.cleaned_data["name"])
            membership = actions.do_invite(user, group, person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if membership.status == Membership.Status.ACTIVE:
                messages.success(request, f"{person.public_name} asked to join earlier, so they are now a member.")
            else:
                messages.success(request, f"Invited {person.public_name}. They can accept from the community page.")
    else:
        messages.error(request, "Type the person's name.")
    return redirect("community:group_manage", slug=group.slug)


@community_view
@require_POST
def group_member(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    user = _user(request)
    group = access.get_group_for_moderator(user, slug)
    membership = get_object_or_404(Membership.objects.select_related("user", "group"), pk=membership_id, group=group)
    what = request.POST.get("action")
    if what == "remove":
        actions.do_remove_member(user, membership, reason=request.POST.get("reason", ""))
        messages.success(request, f"Removed {membership.user.public_name} from {group.name}.")
    elif what in {"moderator", "member"}:
        actions.do_set_role(user, membership, what)
        messages.success(request, f"{membership.user.public_name} is now a {what} of {group.name}.")
    else:
        raise Http404("Unknown action")
    return redirect("community:group_manage", slug=group.slug)


# --- Forums --------------------------------------------------------------------------------------------


def _read_cutoff(user: Any) -> Any:
    return access.profile_for(user).read_cutoff


@community_view
def forum(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    the_forum = access.get_forum_for_user(user, slug)
    cutoff = _read_cutoff(user)
    threads = (
        access.threads_in_forum(user, the_forum)
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
    membership = access.memberships_for_user(user).get(group.pk) if group else None
    return render_page(
        request,
        "community/forum.html",
        {
            "forum": the_forum,
            "group": group,
            "membership": membership,
            "page": page,
            "cannot_start": access.can_start_thread(user, the_forum),
            "can_moderate": access.can_moderate_forum(user, the_forum),
        },
    )


@community_view
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    actions.do_mark_all_read(_user(request))
    messages.success(request, "Everything is marked as read.")
    return redirect(request.POST.get("next") or "community:index" if _safe_next(request) else "community:index")


def _safe_next(request: HttpRequest) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or ""
    return bool(target) and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())


def _preview(user: Any, body: str) -> tuple[str, bool]:
    prepared = actions.prepare_text(body)
    return prepared.html, prepared.crisis


@community_view
def thread_new(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    the_forum = access.get_forum_for_user(user, slug)
    access.check_can_start_thread(user, the_forum)
    cards = access.draft_cards(user)
    form = ThreadForm(request.POST or None, cards=cards, treatments=treatment_links.catalogue_choices())
    preview: dict[str, Any] | None = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            try:
                if "preview" in request.POST:
                    html, mentions_crisis = _preview(user, cd["body"])
                    preview = {"title": cd["title"], "html": html, "card": cd.get("card"), "crisis": mentions_crisis}
                    status = 200
                else:
                    thread = actions.do_start_thread(
                        user,
                        the_forum,
                        cd["title"],
                        cd["body"],
                        card=cd.get("card"),
                        treatment_ids=cd.get("treatments") or [],
                    )
                    _after_post_message(request, thread.posts.get(position=0))
                    return redirect(thread)
            except ValidationError as error:
                form.add_error(None, error)
    return render_page(
        request,
        "community/thread_new.html",
        {"forum": the_forum, "form": form, "preview": preview, "crisis_resources": crisis.resources_html()},
        status=status,
    )


def _after_post_message(request: HttpRequest, post: Post) -> None:
    if post.mentions_crisis:
        messages.warning(
            request,
            "Posted. It sounds like things may be very hard right now. You are not alone: "
            "the crisis resources are shown with your post, and a moderator may reach out.",
        )
    else:
        messages.success(request, "Posted. Thank you for sharing.")


# --- Threads -----------------------------------------------------------------------------------------


def _decorate_posts(user: Any, thread: Thread, posts: list[Post], read_at: Any) -> None:
    """Attach reaction counts, the viewer's reactions and visibility to a page of posts, in two queries."""
    ids = [p.pk for p in posts]
    counts: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    for row in Reaction.objects.filter(post_id__in=ids).values("post_id", "kind").annotate(n=Count("id")):
        counts[row["post_id"]][row["kind"]] = row["n"]
    mine: dict[int, set[str]] = {pk: set() for pk in ids}
    for post_id, kind in Reaction.objects.filter(post_id__in=ids, user=user).values_list("post_id", "kind"):
        mine[post_id].add(kind)
    blocked = access.blocked_ids(user)
    moderator = access.can_moderate_forum(user, thread.forum)
    for post in posts:
        post.thread = thread
        post.show_body = access.can_see_post_body(user, post)  # type: ignore[attr-defined]
        post.by_blocked = post.author_id in blocked  # type: ignore[attr-defined]
        post.is_new = read_at is not None and post.created_at > read_at and post.author_id != user.pk  # type: ignore[attr-defined]
        post.is_mine = post.author_id == user.pk  # type: ignore[attr-defined]
        post.reaction_list = [  # type: ignore[attr-defined]
            {"kind": kind, "label": label, "count": counts[post.pk].get(kind, 0), "mine": kind in mine[post.pk]}
            for kind, label in REACTIONS
        ]
        post.can_moderate = moderator  # type: ignore[attr-defined]


@community_view
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    the_thread = access.get_thread_for_user(user, pk)
    read = ThreadRead.objects.filter(user=user, thread=the_thread).values_list("last_read_at", flat=True).first()
    cutoff = _read_cutoff(user)
    read_at = max(read or cutoff, cutoff)
    posts_qs = the_thread.posts.select_related("author", "card").order_by("position")
    page = paginate(posts_qs, parse_page(request.GET.get("page")), POSTS_PER_PAGE)
    posts = list(page.object_list)
    _decorate_posts(user, the_thread, posts, read_at)
    if posts:
        actions.do_mark_thread_read(user, the_thread, max(p.created_at for p in posts))
    reply_reason = access.can_reply(user, the_thread)
    cards = access.draft_cards(user) if reply_reason is None else None
    context = {
        "thread": the_thread,
        "forum": the_thread.forum,
        "page": page,
        "posts": posts,
        "tags": treatment_links.treatments_for_threads([the_thread])[the_thread.pk],
        "is_following": ThreadFollow.objects.filter(user=user, thread=the_thread).exists(),
        "reply_reason": reply_reason,
        "reply_form": ReplyForm(cards=cards) if reply_reason is None else None,
        "can_moderate": access.can_moderate_forum(user, the_thread.forum),
        "can_edit_tags": access.thread_tags_refusal(user, the_thread) is None,
        "show_crisis": any(p.mentions_crisis and p.show_body for p in posts),
        "crisis_resources": crisis.resources_html(),
    }
    return render_page(request, "community/thread.html", context)


@community_view
def thread_reply(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    the_thread = access.get_thread_for_user(user, pk)
    access.check_can_reply(user, the_thread)
    cards = access.draft_cards(user)
    initial: dict[str, Any] = {}
    quote_id = request.GET.get("quote") or request.POST.get("quote")
    quoted = None
    if quote_id and str(quote_id).isdigit():
        quoted = Post.objects.filter(pk=int(quote_id), thread=the_thread).select_related("author").first()
        if quoted is not None and not access.can_see_post_body(user, quoted):
            quoted = None
    if quoted is not None and request.method == "GET":
        name = quoted.author.public_name if quoted.author else "A former member"
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
                    html, mentions_crisis = _preview(user, cd["body"])
                    preview = {"html": html, "card": cd.get("card"), "crisis": mentions_crisis}
                    status = 200
                else:
                    post = actions.do_reply(user, the_thread, cd["body"], quote_of=quoted, card=cd.get("card"))
                    _after_post_message(request, post)
                    return redirect(_post_url(post))
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


def _post_url(post: Post) -> str:
    before = Post.objects.filter(thread_id=post.thread_id, position__lt=post.position).count()
    page = before // POSTS_PER_PAGE + 1
    url = reverse("community:thread", args=[post.thread_id])
    return f"{url}?page={page}#post-{post.pk}" if page > 1 else f"{url}#post-{post.pk}"


@community_view
@require_POST
def thread_follow(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    the_thread = access.get_thread_for_user(user, pk)
    follow = request.POST.get("follow") == "1"
    actions.do_follow_thread(user, the_thread, follow)
    messages.success(
        request, "You will be told about new replies." if follow else "You will not be told about new replies."
    )
    return redirect(the_thread)


THREAD_ACTIONS = {
    "pin": ("is_pinned", True, "Pinned."),
    "unpin": ("is_pinned", False, "Unpinned."),
    "lock": ("is_locked", True, "Locked: nobody can reply now."),
    "unlock": ("is_locked", False, "Unlocked."),
    "hide": ("is_hidden", True, "Hidden: only moderators and the author can see it now."),
    "restore": ("is_hidden", False, "Restored: everyone can see it again."),
}


@community_view
@require_POST
def thread_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    the_thread = access.get_thread_for_user(user, pk)
    access.check_can_moderate_thread(user, the_thread)
    what = request.POST.get("action", "")
    reason = request.POST.get("reason", "").strip()[:300]
    if what == "delete":
        forum_url = the_thread.forum.get_absolute_url()
        actions.do_moderator_delete_thread(user, the_thread, reason)
        messages.success(request, "The thread is deleted. The moderation log records it.")
        return redirect(forum_url)
    if what not in THREAD_ACTIONS:
        raise Http404("Unknown action")
    flag, value, done = THREAD_ACTIONS[what]
    actions.do_set_thread_flag(user, the_thread, flag, value, reason)
    messages.success(request, done)
    return redirect(the_thread)


@community_view
def thread_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    the_thread = access.get_thread_for_user(user, pk)
    access.check_can_moderate_thread(user, the_thread)
    targets = [f.pk for f in access.visible_forums(user).select_related("group") if access.can_moderate_forum(user, f)]
    form = MoveForm(
        request.POST or None, forums=Forum.objects.filter(pk__in=targets), initial={"forum": the_thread.forum}
    )
    if request.method == "POST" and form.is_valid():
        actions.do_move_thread(user, the_thread, form.cleaned_data["forum"], form.cleaned_data["reason"])
        messages.success(request, f"Moved to {form.cleaned_data['forum'].name}.")
        return redirect(the_thread)
    return render_page(request, "community/thread_move.html", {"thread": the_thread, "form": form})


@community_view
def thread_tags(request: HttpRequest, pk: int) -> HttpResponse:
    """The author or a moderator changes which treatments the thread is about."""
    user = _user(request)
    the_thread = access.get_thread_for_user(user, pk)
    access.check_can_edit_thread_tags(user, the_thread)
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
            changed = actions.do_set_thread_treatments(user, the_thread, form.cleaned_data["treatments"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            tags = treatment_links.treatments_for_threads([the_thread])[the_thread.pk]
            if not changed:
                messages.info(request, "Nothing was changed.")
            elif tags:
                names = ", ".join(t.name for t in tags)
                messages.success(request, f"Saved. The thread now shows on the pages about {names}.")
            else:
                messages.success(request, "Saved. The thread is not tagged with any treatment now.")
            return redirect(the_thread)
    return render_page(
        request,
        "community/thread_tags.html",
        {"thread": the_thread, "forum": the_thread.forum, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# --- Posts --------------------------------------------------------------------------------------------------


@community_view
def post(request: HttpRequest, pk: int) -> HttpResponse:
    the_post = access.get_post_for_user(_user(request), pk)
    return redirect(_post_url(the_post))


@community_view
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    the_post = access.get_post_for_user(user, pk)
    access.check_can_edit_post(user, the_post)
    initial = {"body": the_post.body, "title": the_post.thread.title}
    form = EditPostForm(request.POST or None, initial=initial, with_title=the_post.is_first)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            if "preview" in request.POST:
                preview = {"html": _preview(user, form.cleaned_data["body"])[0]}
            else:
                actions.do_edit_post(user, the_post, form.cleaned_data["body"], title=form.cleaned_data.get("title"))
                messages.success(request, "Saved. Moderators can see earlier versions.")
                return redirect(_post_url(the_post))
        except ValidationError as error:
            form.add_error(None, error)
    status = 400 if request.method == "POST" and preview is None else 200
    return render_page(
        request, "community/post_edit.html", {"post": the_post, "form": form, "preview": preview}, status=status
    )


@community_view
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    the_post = access.get_post_for_user(user, pk)
    access.check_can_delete_post(user, the_post)
    if request.method == "POST":
        forum_url = the_post.thread.forum.get_absolute_url()
        outcome = actions.do_delete_post(user, the_post)
        if outcome == "thread":
            messages.success(request, "Your thread is deleted.")
            return redirect(forum_url)
        messages.success(request, "Your post is deleted. Its text and history are gone.")
        return redirect(the_post.thread)
    return render_page(request, "community/post_delete.html", {"post": the_post})


@community_view
def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    the_post = access.get_post_for_user(user, pk)
    access.check_can_see_history(user, the_post)
    revisions = list(the_post.revisions.all())
    return render_page(request, "community/post_history.html", {"post": the_post, "revisions": revisions})


@community_view
@require_POST
def post_react(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    the_post = access.get_post_for_user(user, pk)
    kind = request.POST.get("kind", "")
    try:
        on = actions.do_react(user, the_post, kind)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        label = dict(REACTIONS).get(kind, kind)
        messages.success(request, f"You reacted “{label}”." if on else f"You took back your “{label}”.")
    return redirect(_post_url(the_post))


@community_view
def post_report(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    the_post = access.get_post_for_user(user, pk)
    if the_post.author_id == user.pk:
        raise PermissionDenied("You cannot report your own post. You can edit or delete it.")
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.do_report(user, post=the_post, **form.cleaned_data)
        messages.success(request, "Thank you. The moderators will look at it; we will tell you what they decide.")
        return redirect(_post_url(the_post))
    return render_page(
        request,
        "community/report.html",
        {"form": form, "what": "this post", "back": _post_url(the_post), "crisis_resources": crisis.resources_html()},
        status=400 if request.method == "POST" else 200,
    )


@community_view
@require_POST
def post_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    the_post = access.get_post_for_user(user, pk)
    access.check_can_moderate_thread(user, the_post.thread)
    form = ModerationReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    what = request.POST.get("action")
    if what == "hide":
        actions.do_hide_post(user, the_post, reason)
        messages.success(request, "The post is hidden. Its author was told.")
    elif what == "restore":
        actions.do_restore_post(user, the_post)
        messages.success(request, "The post is visible again.")
    elif what == "delete":
        thread_id, was_first = the_post.thread_id, the_post.is_first
        forum_url = the_post.thread.forum.get_absolute_url()
        actions.do_moderator_delete_post(user, the_post, reason)
        messages.success(request, "Deleted. The moderation log records it.")
        return redirect(forum_url if was_first else reverse("community:thread", args=[thread_id]))
    else:
        raise Http404("Unknown action")
    return redirect(_post_url(the_post))


@community_view
@require_POST
def post_card_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    the_post = access.get_post_for_user(user, pk)
    card = ProgressCard.objects.filter(post=the_post, owner=user).first()
    if card is None:
        raise Http404("No card of yours on this post")
    actions.do_remove_card(user, card)
    messages.success(request, "The progress card is removed from your post and deleted.")
    return redirect(_post_url(the_post))


# --- Search and treatments ----------------------------------------------------------------------------------


@community_view
def search_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = SearchForm(request.GET or None)
    page = None
    query = ""
    if form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data["q"].strip()
        page = paginate(search.search_posts(user, query), parse_page(request.GET.get("page")), 20)
        for result in page.object_list:
            result.excerpt = markup.plain_text(result.html, 240)
    return render_page(
        request,
        "community/search.html",
        {"form": form, "page": page, "query": query, "extra_query": urlencode({"q": query})},
    )


@community_view
def treatment(request: HttpRequest, key: str) -> HttpResponse:
    user = _user(request)
    the_treatment = treatment_links.get_catalogue_treatment(key)
    blocked = access.blocked_ids(user)
    threads = (
        access.visible_threads(user)
        .filter(treatments=the_treatment, is_hidden=False)
        .exclude(author_id__in=blocked)
        .select_related("forum", "author", "last_poster")
        .order_by("-last_post_at", "-id")
    )
    page = paginate(threads, parse_page(request.GET.get("page")), THREADS_PER_PAGE)
    return render_page(request, "community/treatment.html", {"treatment": the_treatment, "page": page})
