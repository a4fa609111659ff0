"""Private messages between two people."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from fibrotrack.community import floodcontrol
from fibrotrack.community.access.people import check_can_message
from fibrotrack.community.access.permissions import UserPermissions, permissions_for
from fibrotrack.community.actions.reports import file_crisis_report
from fibrotrack.community.actions.text import prepare_text
from fibrotrack.community.models import Conversation, Message, Notification
from fibrotrack.community.notifications import notify

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User

Kind = Notification.Kind


def _pair(a_id: int, b_id: int) -> tuple[int, int]:
    return (a_id, b_id) if a_id < b_id else (b_id, a_id)


def do_send_message(sender: User, recipient: Any, body: str, *, permissions: UserPermissions | None = None) -> Message:
    perms = permissions_for(sender, permissions)
    check_can_message(perms, recipient)
    prepared = prepare_text(
        body, what=gettext_lazy("Your message"), max_chars=int(getattr(settings, "COMMUNITY_MESSAGE_MAX_CHARS", 5000))
    )
    floodcontrol.check_can_message(sender)
    now = timezone.now()
    with transaction.atomic():
        a, b = _pair(sender.pk, recipient.pk)
        conversation, _ = Conversation.objects.get_or_create(user_a_id=a, user_b_id=b)
        message = Message.objects.create(
            conversation=conversation,
            sender=sender,
            body=prepared.body,
            html=prepared.html,
            mentions_crisis=prepared.crisis,
            created_at=now,
        )
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
        _mark_conversation_read(conversation, sender.pk, now)
        notify(
            recipient,
            Kind.MESSAGE,
            format_lazy(gettext_lazy("New private message from {sender}"), sender=sender.public_name),
            conversation.get_absolute_url(),
            actor=sender,
            conversation=conversation,
        )
        if prepared.crisis:
            file_crisis_report(message=message)
    return message


def _mark_conversation_read(conversation: Conversation, user_id: int, at: dt.datetime) -> None:
    field_name = "a_read_at" if user_id == conversation.user_a_id else "b_read_at"
    Conversation.objects.filter(pk=conversation.pk).update(**{field_name: at})


def do_mark_conversation_read(user: User, conversation: Conversation) -> None:
    now = timezone.now()
    with transaction.atomic():
        _mark_conversation_read(conversation, user.pk, now)
        Notification.objects.filter(recipient=user, conversation=conversation, read_at=None).update(read_at=now)
