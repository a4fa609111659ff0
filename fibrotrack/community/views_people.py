"""People: profiles, follows and blocks, the feed, notifications, messages, cards, e-mail."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from fibrotrack.community import access, actions, cards, crisis, emails
from fibrotrack.community import treatments as treatment_links
from fibrotrack.community.forms import EmailPreferencesForm, MessageForm, ProfileForm, ReportForm, parse_page
from fibrotrack.community.models import (
    Ban,
    Block,
    Conversation,
    ModeratorWarning,
    NewsletterSubscription,
    Notification,
    Post,
    UserFollow,
    Visibility,
)
from fibrotrack.community.notifications import email_preferences
from fibrotrack.community.viewutils import community_view, paginate, render_page


def _user(request: HttpRequest) -> Any:
    return request.user


# --- Profiles ------------------------------------------------------------------------------------


@community_view
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    person = access.get_person(user, pk)
    person_profile = access.profile_for(person)
    fields: dict[str, Any] = {}
    if person_profile.bio and access.field_visible(user, person.pk, person_profile.bio_visibility):
        from fibrotrack.community.markup import render as render_markdown

        fields["bio"] = render_markdown(person_profile.bio).html
    if person_profile.diagnosis_year and access.field_visible(
        user, person.pk, person_profile.diagnosis_year_visibility
    ):
        fields["diagnosis_year"] = person_profile.diagnosis_year
    if access.field_visible(user, person.pk, person_profile.treatments_visibility):
        fields["treatments"] = list(person_profile.treatments_tried.order_by("name"))
    recent = (
        access.posts_by_person(user, person).select_related("thread").order_by("-created_at")[:10]
        if person.pk not in access.blocked_ids(user)
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
            "is_blocked": person.pk in access.blocked_ids(user),
            "can_moderate": access.is_moderator_anywhere(user) and person.pk != user.pk,
            "only_me": Visibility.ONLY_ME,
        },
    )


@community_view
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    own = access.profile_for(user)
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
            actions.do_save_profile(
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
            messages.success(request, "Your profile is saved.")
            return redirect("community:profile", pk=user.pk)
    return render_page(
        request, "community/profile_edit.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


@community_view
@require_POST
def profile_follow(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    person = access.get_person(user, pk)
    follow = request.POST.get("follow") == "1"
    actions.do_follow_user(user, person, follow)
    messages.success(
        request,
        f"You follow {person.public_name}: their new posts show in your feed."
        if follow
        else f"You no longer follow {person.public_name}.",
    )
    return redirect("community:profile", pk=person.pk)


@community_view
@require_POST
def profile_block(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    person = access.get_person(user, pk)
    block = request.POST.get("block") == "1"
    actions.do_block(user, person, block)
    if block:
        messages.success(
            request,
            f"You blocked {person.public_name}. They cannot message you, and their mentions, replies and "
            "reactions will not reach you. They are not told.",
        )
    else:
        messages.success(request, f"You unblocked {person.public_name}.")
    return redirect("community:profile", pk=person.pk)


@community_view
def profile_report(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    person = access.get_person(user, pk)
    if person.pk == user.pk:
        raise PermissionDenied("You cannot report yourself.")
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.do_report(user, person=person, **form.cleaned_data)
        messages.success(request, "Thank you. The moderators will look at it.")
        return redirect("community:profile", pk=person.pk)
    return render_page(
        request,
        "community/report.html",
        {
            "form": form,
            "what": person.public_name,
            "back": f"/community/u/{person.pk}/",
            "crisis_resources": crisis.resources_html(),
        },
        status=400 if request.method == "POST" else 200,
    )


@community_view
def blocked(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rows = Block.objects.filter(blocker=user).select_related("blocked").order_by("-created_at")
    return render_page(request, "community/blocked.html", {"blocks": rows})


@community_view
def my_moderation(request: HttpRequest) -> HttpResponse:
    """The person's own warnings and bans, in full."""
    user = _user(request)
    return render_page(
        request,
        "community/my_moderation.html",
        {
            "warnings": ModeratorWarning.objects.filter(user=user),
            "bans": Ban.objects.filter(user=user).select_related("group"),
        },
    )


# --- Feed and notifications ------------------------------------------------------------------------


@community_view
def feed(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    followed_people = UserFollow.objects.filter(follower=user).values("followed_id")
    followed_threads = user.community_thread_follows.values("thread_id")
    posts = (
        Post.objects.filter(
            Q(author_id__in=followed_people) | Q(thread_id__in=followed_threads),
            thread__in=access.visible_threads(user).filter(is_hidden=False),
            is_hidden=False,
            is_deleted=False,
        )
        .exclude(author=user)
        .exclude(author_id__in=access.blocked_ids(user))
        .select_related("author", "thread", "thread__forum")
        .order_by("-created_at", "-id")
    )
    page = paginate(posts, parse_page(request.GET.get("page")), 20)
    from fibrotrack.community.markup import plain_text

    for item in page.object_list:
        item.excerpt = plain_text(item.html, 280)
    following = UserFollow.objects.filter(follower=user).select_related("followed").order_by("followed__display_name")
    return render_page(request, "community/feed.html", {"page": page, "following": following})


@community_view
def notifications(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page = paginate(
        access.notifications_for_user(user).select_related("actor"), parse_page(request.GET.get("page")), 30
    )
    return render_page(request, "community/notifications.html", {"page": page})


@community_view
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    notification = access.get_notification_for_user(user, pk)
    actions.do_mark_notifications_read(user, [notification.pk])
    return redirect(notification.url if notification.url.startswith("/") else "community:notifications")


@community_view
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    count = actions.do_mark_notifications_read(_user(request))
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} as read.")
    return redirect("community:notifications")


# --- Private messages --------------------------------------------------------------------------------


@community_view
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    conversations = access.conversations_for_user(user).select_related("user_a", "user_b").order_by("-last_message_at")
    page = paginate(conversations, parse_page(request.GET.get("page")), 30)
    for conversation in page.object_list:
        mine_a = conversation.user_a_id == user.pk
        conversation.other_person = conversation.user_b if mine_a else conversation.user_a
        read_at = conversation.a_read_at if mine_a else conversation.b_read_at
        conversation.is_unread = read_at is None or conversation.last_message_at > read_at
    return render_page(request, "community/inbox.html", {"page": page})


@community_view
def message_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    person = access.get_person(user, pk)
    access.check_can_message(user, person)
    a, b = sorted([user.pk, person.pk])
    existing = Conversation.objects.filter(user_a_id=a, user_b_id=b).first()
    if existing is not None:
        return redirect(existing)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = actions.do_send_message(user, person, form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Sent to {person.public_name}.")
            return redirect(message.conversation)
    return render_page(
        request,
        "community/message_new.html",
        {"person": person, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@community_view
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    the_conversation = access.get_conversation_for_user(user, pk)
    other = the_conversation.user_b if the_conversation.user_a_id == user.pk else the_conversation.user_a
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_send_message(user, other, form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(the_conversation.get_absolute_url() + "#latest")
    all_messages = the_conversation.messages.select_related("sender").order_by("-id")
    page = paginate(all_messages, parse_page(request.GET.get("page")), 50)
    items = list(reversed(page.object_list))
    actions.do_mark_conversation_read(user, the_conversation)
    cannot_reply = None
    try:
        access.check_can_message(user, other)
    except PermissionDenied as refusal:
        cannot_reply = str(refusal)
    return render_page(
        request,
        "community/conversation.html",
        {
            "conversation": the_conversation,
            "other": other,
            "items": items,
            "page": page,
            "form": form,
            "cannot_reply": cannot_reply,
            "show_crisis": any(m.mentions_crisis for m in items),
            "crisis_resources": crisis.resources_html(),
        },
        status=400 if request.method == "POST" else 200,
    )


@community_view
def message_report(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    message = access.get_message_for_user(user, pk)
    if message.sender_id == user.pk:
        raise PermissionDenied("You cannot report your own message.")
    form = ReportForm(request.POST or None)
    back = message.conversation.get_absolute_url()
    if request.method == "POST" and form.is_valid():
        actions.do_report(user, message=message, **form.cleaned_data)
        messages.success(
            request, "Thank you. A site moderator will read this one message (and nothing else of the conversation)."
        )
        return redirect(back)
    return render_page(
        request,
        "community/report.html",
        {"form": form, "what": "this message", "back": back, "crisis_resources": crisis.resources_html()},
        status=400 if request.method == "POST" else 200,
    )


# --- Progress cards ----------------------------------------------------------------------------------


@community_view
def cards_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rows = access.cards_for_owner(user).select_related("post", "post__thread")
    return render_page(request, "community/cards.html", {"cards": rows, "sources": cards.sources()})


@community_view
def card_new(request: HttpRequest, source: str = "chart") -> HttpResponse:
    """Step 1: choose what to show. Step 2 (POST): the frozen card is saved as a draft and shown exactly."""
    user = _user(request)
    card_source = cards.get_source(source)
    if card_source is None:
        raise Http404("No such kind of card")
    form = card_source.form_class(request.POST or None, user=user)
    caption = (request.POST.get("caption") or "").strip()[:300]
    if request.method == "POST" and form.is_valid():
        snapshot = card_source.build(user, form.cleaned_data)
        try:
            card = actions.do_create_card(
                user, kind=card_source.key, title=snapshot.title, svg=snapshot.svg, caption=caption
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("community:card_detail", pk=card.pk)
    return render_page(
        request,
        "community/card_new.html",
        {"form": form, "source": card_source, "caption": caption},
        status=400 if request.method == "POST" else 200,
    )


@community_view
def card_detail(request: HttpRequest, pk: int) -> HttpResponse:
    card = access.get_card_for_owner(_user(request), pk)
    return render_page(request, "community/card_detail.html", {"card": card})


@community_view
@require_POST
def card_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    card = access.get_card_for_owner(user, pk)
    actions.do_remove_card(user, card)
    messages.success(
        request, "The progress card is deleted." + (" It is gone from your post too." if card.post_id else "")
    )
    return redirect("community:cards")


# --- E-mail, newsletter, unsubscribe ----------------------------------------------------------------------


@community_view
def email_settings(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    prefs = email_preferences(user)
    form = EmailPreferencesForm(
        request.POST or None, initial={kind: prefs.choice_for(kind) for kind in Notification.Kind.values}
    )
    if request.method == "POST" and form.is_valid():
        actions.do_set_email_preferences(user, form.cleaned_data)
        messages.success(request, "Your e-mail choices are saved.")
        return redirect("community:email_settings")
    subscription = NewsletterSubscription.objects.filter(user=user).first()
    return render_page(
        request,
        "community/email_settings.html",
        {"form": form, "subscription": subscription, "statuses": NewsletterSubscription.Status},
        status=400 if request.method == "POST" else 200,
    )


@community_view
@require_POST
def newsletter(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.POST.get("subscribe") == "1":
        subscription = actions.do_request_newsletter(user)
        if subscription.status == NewsletterSubscription.Status.CONFIRMED:
            messages.info(request, "You are already subscribed.")
        else:
            messages.success(
                request, f"Almost done: we sent a link to {user.email}. Open it to confirm your subscription."
            )
    else:
        actions.do_unsubscribe_newsletter(user)
        messages.success(request, "You are unsubscribed from the newsletter.")
    return redirect("community:email_settings")


def newsletter_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the double opt-in e-mail: GET shows a button (link scanners must not subscribe anyone)."""
    from fibrotrack.accounts.models import User

    user_id = emails.read_newsletter_token(token)
    person = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if person is None:
        return render(request, "community/newsletter_confirm.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        done = actions.do_confirm_newsletter(person)
        if not done:
            return render(request, "community/newsletter_confirm.html", {"invalid": True}, status=400)
    response = render(request, "community/newsletter_confirm.html", {"done": done})
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe (RFC 8058): a POST from the mail client, or the button on this page.

    No sign-in and no CSRF token: the signed token in the URL is the authority,
    and all it can do is switch one kind of e-mail off.
    """
    from fibrotrack.accounts.models import User

    parsed = emails.read_unsubscribe_token(token)
    person = User.objects.filter(pk=parsed[0]).first() if parsed else None
    if parsed is None or person is None:
        return render(request, "community/unsubscribe.html", {"invalid": True}, status=400)
    kind = parsed[1]
    if request.method == "POST":
        sentence = actions.do_unsubscribe(person, kind)
        return render(request, "community/unsubscribe.html", {"done": sentence})
    labels = dict(Notification.Kind.choices)
    label = labels.get(kind) or {"digest": "The daily digest", "newsletter": "The newsletter"}[kind]
    return render(request, "community/unsubscribe.html", {"label": label})
