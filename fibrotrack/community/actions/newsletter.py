"""The newsletter: double opt-in, unsubscribing, sending an issue."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from fibrotrack.community.models import NewsletterIssue, NewsletterSubscription
from fibrotrack.lib.tasks import enqueue

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User


def do_request_newsletter(user: User) -> NewsletterSubscription:
    """Step one of the double opt-in: a pending subscription and an e-mail with a confirmation link."""
    from fibrotrack.community.emails import send_newsletter_confirmation

    with transaction.atomic():
        subscription, _ = NewsletterSubscription.objects.get_or_create(user=user)
        if subscription.status == NewsletterSubscription.Status.CONFIRMED:
            return subscription
        subscription.status = NewsletterSubscription.Status.PENDING
        subscription.requested_at = timezone.now()
        subscription.save(update_fields=["status", "requested_at"])
        enqueue(send_newsletter_confirmation, user.pk)
    return subscription


def do_confirm_newsletter(user: Any) -> bool:
    with transaction.atomic():
        subscription = NewsletterSubscription.objects.select_for_update().filter(user=user).first()
        if subscription is None or subscription.status == NewsletterSubscription.Status.UNSUBSCRIBED:
            return False
        if subscription.status == NewsletterSubscription.Status.PENDING:
            subscription.status = NewsletterSubscription.Status.CONFIRMED
            subscription.confirmed_at = timezone.now()
            subscription.save(update_fields=["status", "confirmed_at"])
    return True


def do_unsubscribe_newsletter(user: Any) -> None:
    NewsletterSubscription.objects.filter(user=user).exclude(status=NewsletterSubscription.Status.UNSUBSCRIBED).update(
        status=NewsletterSubscription.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now()
    )


def do_send_newsletter(issue: NewsletterIssue) -> None:
    from fibrotrack.community.emails import send_newsletter_issue

    if issue.sent_at is not None:
        raise ValidationError(gettext_lazy("This issue was already sent."))
    enqueue(send_newsletter_issue, issue.pk)
