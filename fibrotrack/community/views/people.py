"""People: profiles, following, blocking and reporting people, the feed, one's own moderation record."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.community import crisis
from fibrotrack.community import treatments as treatment_links
from fibrotrack.community.access.people import field_visible, get_person, posts_by_person, profile_for
from fibrotrack.community.access.permissions import get_permissions
from fibrotrack.community.access.threads import visible_threads
from fibrotrack.community.actions.profiles import do_save_profile
from fibrotrack.community.actions.reports import do_report
from fibrotrack.community.actions.social import do_block, do_follow_user
from fibrotrack.community.forms import ProfileForm, ReportForm, parse_page
from fibrotrack.community.models import Ban, Block, ModeratorWarning, Post, UserFollow, Visibility
from fibrotrack.community.views.base import community_view, paginate, render_page


@community_view
def profile(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    person = get_person(pk)
    person_profile = profile_for(person)
    fields: dict[str, Any] = {}
    if person_profile.bio and field_visible(user, person.pk, person_profile.bio_visibility):
        from fibrotrack.community.markup import render as render_markdown

        fields["bio"] = render_markdown(person_profile.bio).html
    if person_profile.diagnosis_year and field_visible(user, person.pk, person_profile.diagnosis_year_visibility):
        fields["diagnosis_year"] = person_profile.diagnosis_year
    if field_visible(user, person.pk, person_profile.treatments_visibility):
        fields["treatments"] = list(person_profile.treatments_tried.order_by("name"))
    recent = (
        posts_by_person(perms, person).select_related("thread").order_by("-created_at")[:10]
        if person.pk not in perms.blocked_ids
        else []
    )
    return render_page(
        request,
        "community/profile.html",
        {
            "person": person,
            "profile": person_profile,
            "fields": fields,
            "recent": recent,
            "is_me": person.pk == user.pk,
            "is_following": UserFollow.objects.filter(follower=user, followed=person).exists(),
            "is_blocked": person.pk in perms.blocked_ids,
            "can_moderate": perms.is_moderator_anywhere and person.pk != user.pk,
            "only_me": Visibility.ONLY_ME,
        },
    )


@community_view
def profile_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    own = profile_for(user)
    choices = treatment_links.catalogue_choices()
    initial = {
        "display_name": user.display_name,
        "bio": own.bio,
        "bio_visibility": own.bio_visibility,
        "diagnosis_year": own.diagnosis_year,
        "diagnosis_year_visibility": own.diagnosis_year_visibility,
        "treatments_visibility": own.treatments_visibility,
        "treatments_tried": list(own.treatments_tried.values_list("pk", flat=True)),
    }
    form = ProfileForm(request.POST or None, initial=initial, treatments=choices)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            do_save_profile(
                user,
                display_name=cd["display_name"],
                bio=cd["bio"],
                bio_visibility=cd["bio_visibility"],
                diagnosis_year=cd["diagnosis_year"],
                diagnosis_year_visibility=cd["diagnosis_year_visibility"],
                treatments_visibility=cd["treatments_visibility"],
                treatment_ids=cd.get("treatments_tried") or [],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, gettext("Your profile is saved."))
            return redirect("community:profile", pk=user.pk)
    return render_page(
        request, "community/profile_edit.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


@community_view
@require_POST
def profile_follow(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = get_person(pk)
    follow = request.POST.get("follow") == "1"
    do_follow_user(user, person, follow)
    messages.success(
        request,
        gettext("You follow %(person)s: their new posts show in your feed.") % {"person": person.public_name}
        if follow
        else gettext("You no longer follow %(person)s.") % {"person": person.public_name},
    )
    return redirect("community:profile", pk=person.pk)


@community_view
@require_POST
def profile_block(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    person = get_person(pk)
    block = request.POST.get("block") == "1"
    do_block(user, person, block, permissions=perms)
    if block:
        messages.success(
            request,
            gettext(
                "You blocked %(person)s. They cannot message you, and their mentions, replies and reactions will not reach you. They are not told."
            )
            % {"person": person.public_name},
        )
    else:
        messages.success(request, gettext("You unblocked %(person)s.") % {"person": person.public_name})
    return redirect("community:profile", pk=person.pk)


@community_view
def profile_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = get_person(pk)
    if person.pk == user.pk:
        raise PermissionDenied(gettext("You cannot report yourself."))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        do_report(user, person=person, **form.cleaned_data)
        messages.success(request, gettext("Thank you. The moderators will look at it."))
        return redirect("community:profile", pk=person.pk)
    return render_page(
        request,
        "community/report.html",
        {
            "form": form,
            "title": gettext("Report %(name)s") % {"name": person.public_name},
            "back": f"/community/u/{person.pk}/",
            "crisis_resources": crisis.resources_html(),
        },
        status=400 if request.method == "POST" else 200,
    )


@community_view
def blocked(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    rows = Block.objects.filter(blocker=user).select_related("blocked").order_by("-created_at")
    return render_page(request, "community/blocked.html", {"blocks": rows})


@community_view
def my_moderation(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's own warnings and bans, in full."""
    user = request.user
    return render_page(
        request,
        "community/my_moderation.html",
        {
            "warnings": ModeratorWarning.objects.filter(user=user),
            "bans": Ban.objects.filter(user=user).select_related("group"),
        },
    )


@community_view
def feed(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    followed_people = UserFollow.objects.filter(follower=user).values("followed_id")
    followed_threads = user.community_thread_follows.values("thread_id")
    posts = (
        Post.objects.filter(
            Q(author_id__in=followed_people) | Q(thread_id__in=followed_threads),
            thread__in=visible_threads(perms).filter(is_hidden=False),
            is_hidden=False,
            is_deleted=False,
        )
        .exclude(author=user)
        .exclude(author_id__in=perms.blocked_ids)
        .select_related("author", "thread", "thread__forum")
        .order_by("-created_at", "-id")
    )
    page = paginate(posts, parse_page(request.GET.get("page")), 20)
    from fibrotrack.community.markup import plain_text

    for item in page.object_list:
        item.excerpt = plain_text(item.html, 280)
    following = UserFollow.objects.filter(follower=user).select_related("followed").order_by("followed__display_name")
    return render_page(request, "community/feed.html", {"page": page, "following": following})
