"""In-app notifications, and the hand-off to e-mail.

``notify`` writes the row inside the caller's transaction and, when the
person wants that kind of notification straight away, enqueues the e-mail
task. With the database task backend the task row commits or rolls back with
the notification (a transactional outbox); other backends enqueue on commit,
so that a worker never looks for a row that is not there yet. No request ever
waits on SMTP.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import translation
from django_stubs_ext import StrOrPromise

from fibrotrack.community.models import Block, EmailChoice, EmailPreferences, Notification
from fibrotrack.lib.i18n import person_language
from fibrotrack.lib.tasks import enqueue

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User

# Kinds that a block silences: the blocked person cannot reach the blocker through them.
PERSONAL_KINDS = {
    Notification.Kind.REPLY,
    Notification.Kind.MENTION,
    Notification.Kind.REACTION,
    Notification.Kind.MESSAGE,
}


def email_preferences(user: Any) -> EmailPreferences:
    prefs, _ = EmailPreferences.objects.get_or_create(user=user)
    return prefs


def notify(
    recipient: Any,
    kind: str,
    text: StrOrPromise,
    url: str,
    *,
    actor: Any = None,
    **targets: Any,
) -> Notification | None:
    """Create one notification; None when it must not be sent (to oneself, or from someone blocked)."""
    if actor is not None and recipient.pk == actor.pk:
        return None
    if (
        actor is not None
        and kind in PERSONAL_KINDS
        and Block.objects.filter(blocker_id=recipient.pk, blocked_id=actor.pk).exists()
    ):
        return None
    # The row keeps words, not a message key: put them in the recipient's language, not the actor's.
    with translation.override(person_language(recipient)):
        words = str(text)
    notification = Notification.objects.create(
        recipient=recipient, actor=actor, kind=kind, text=words[:300], url=url[:200], **targets
    )
    if email_preferences(recipient).choice_for(kind) == EmailChoice.IMMEDIATE:
        from fibrotrack.community.emails import send_notification_email

        enqueue(send_notification_email, notification.pk)
    return notification


def notify_many(
    recipients: Iterable[Any], kind: str, text: StrOrPromise, url: str, *, actor: Any = None, **targets: Any
) -> list[Notification]:
    sent = []
    for recipient in recipients:
        notification = notify(recipient, kind, text, url, actor=actor, **targets)
        if notification is not None:
            sent.append(notification)
    return sent


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).count()


def recent(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("actor")
