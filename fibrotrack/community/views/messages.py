"""Private messages: the inbox, a conversation, writing, reporting a message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.community import crisis
from fibrotrack.community.access.people import (
    check_can_message,
    conversations_for_user,
    get_conversation_for_user,
    get_message_for_user,
    get_person,
)
from fibrotrack.community.access.permissions import get_permissions
from fibrotrack.community.actions.messages import do_mark_conversation_read, do_send_message
from fibrotrack.community.actions.reports import do_report
from fibrotrack.community.forms import MessageForm, ReportForm, parse_page
from fibrotrack.community.models import Conversation
from fibrotrack.community.views.base import community_view, paginate, render_page


@community_view
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    conversations = conversations_for_user(user).select_related("user_a", "user_b").order_by("-last_message_at")
    page = paginate(conversations, parse_page(request.GET.get("page")), 30)
    for conversation in page.object_list:
        mine_a = conversation.user_a_id == user.pk
        conversation.other_person = conversation.user_b if mine_a else conversation.user_a
        read_at = conversation.a_read_at if mine_a else conversation.b_read_at
        conversation.is_unread = read_at is None or conversation.last_message_at > read_at
    return render_page(request, "community/inbox.html", {"page": page})


@community_view
def message_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    person = get_person(pk)
    check_can_message(perms, person)
    a, b = sorted([user.pk, person.pk])
    existing = Conversation.objects.filter(user_a_id=a, user_b_id=b).first()
    if existing is not None:
        return redirect(existing)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = do_send_message(user, person, form.cleaned_data["body"], permissions=perms)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, gettext("Sent to %(person)s.") % {"person": person.public_name})
            return redirect(message.conversation)
    return render_page(
        request,
        "community/message_new.html",
        {"person": person, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@community_view
def conversation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    perms = get_permissions(request)
    the_conversation = get_conversation_for_user(user, pk)
    other = the_conversation.user_b if the_conversation.user_a_id == user.pk else the_conversation.user_a
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_send_message(user, other, form.cleaned_data["body"], permissions=perms)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(the_conversation.get_absolute_url() + "#latest")
    all_messages = the_conversation.messages.select_related("sender").order_by("-id")
    page = paginate(all_messages, parse_page(request.GET.get("page")), 50)
    items = list(reversed(page.object_list))
    do_mark_conversation_read(user, the_conversation)
    cannot_reply = None
    try:
        check_can_message(perms, other)
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
def message_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    message = get_message_for_user(user, pk)
    if message.sender_id == user.pk:
        raise PermissionDenied(gettext("You cannot report your own message."))
    form = ReportForm(request.POST or None)
    back = message.conversation.get_absolute_url()
    if request.method == "POST" and form.is_valid():
        do_report(user, message=message, **form.cleaned_data)
        messages.success(
            request,
            gettext("Thank you. A site moderator will read this one message (and nothing else of the conversation)."),
        )
        return redirect(back)
    return render_page(
        request,
        "community/report.html",
        {
            "form": form,
            "title": gettext("Report this message"),
            "back": back,
            "crisis_resources": crisis.resources_html(),
        },
        status=400 if request.method == "POST" else 200,
    )
