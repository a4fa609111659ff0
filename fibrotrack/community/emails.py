"""E-mail from the community: tasks run by django-tasks, never inside a request.

Every message carries ``List-Unsubscribe`` (a signed one-click URL) and
``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058), so a mail
client's "Unsubscribe" button works without signing in. E-mails say who did
what and where, with a link; they never quote post text, which may be about
someone's health and is better read behind a login.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise
from django_tasks import task

from fibrotrack.community.models import EmailChoice, NewsletterIssue, NewsletterSubscription, Notification
from fibrotrack.lib.i18n import person_language

UNSUBSCRIBE_SALT = "community.unsubscribe"
NEWSLETTER_SALT = "community.newsletter.confirm"
NEWSLETTER_CONFIRM_MAX_AGE = 7 * 24 * 3600
# A digest holds what is new from the last week; older unread notifications stay in the app only.
DIGEST_DAYS = 7
DIGEST = "digest"
NEWSLETTER = "newsletter"
UNSUBSCRIBE_KINDS = {*Notification.Kind.values, DIGEST, NEWSLETTER}


def absolute(path: str) -> str:
    return settings.SITE_ROOT.rstrip("/") + path


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in UNSUBSCRIBE_KINDS or not isinstance(data.get("u"), int):
        return None
    return data["u"], data["k"]


def unsubscribe_url(user_id: int, kind: str) -> str:
    return absolute(reverse("community:unsubscribe", args=[unsubscribe_token(user_id, kind)]))


def newsletter_token(user_id: int) -> str:
    return signing.dumps({"u": user_id}, salt=NEWSLETTER_SALT)


def read_newsletter_token(token: str) -> int | None:
    try:
        data = signing.loads(token, salt=NEWSLETTER_SALT, max_age=NEWSLETTER_CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    return data.get("u") if isinstance(data, dict) and isinstance(data.get("u"), int) else None


def _message(
    user: Any, subject: StrOrPromise, template: str, context: dict[str, Any], kind: str | None
) -> EmailMessage:
    """The e-mail in the recipient's language (a task has no request to take one from)."""

    with translation.override(person_language(user)):
        return _compose(user, str(subject), template, context, kind)


def _compose(user: Any, subject: str, template: str, context: dict[str, Any], kind: str | None) -> EmailMessage:
    headers = {"Auto-Submitted": "auto-generated"}
    context = {"site_name": settings.SITE_NAME, "user": user, **context}
    if kind is not None:
        url = unsubscribe_url(user.pk, kind)
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        context["unsubscribe_url"] = url
    body = render_to_string(template, context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    subject = " ".join(f"{prefix}{subject}".split())[:200]
    return EmailMessage(subject=subject, body=body, to=[user.email], headers=headers)


@task()
def send_notification_email(notification_id: int) -> bool:
    """Send one notification straight away, if the person still wants it."""
    from fibrotrack.community.notifications import email_preferences

    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at is not None:
            return False
        recipient = notification.recipient
        if (
            not recipient.is_active
            or email_preferences(recipient).choice_for(notification.kind) != EmailChoice.IMMEDIATE
        ):
            return False
        message = _message(
            recipient,
            notification.text,
            "community/email/notification.txt",
            {"notification": notification, "url": absolute(notification.url), "kind": notification.get_kind_display()},
            notification.kind,
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    message.send()
    return True


def digest_kinds(user: Any) -> list[str]:
    from fibrotrack.community.notifications import email_preferences

    prefs = email_preferences(user)
    return [kind for kind in Notification.Kind.values if prefs.choice_for(kind) == EmailChoice.DAILY]


@task()
def send_digest(user_id: int) -> int:
    """One e-mail with everything new of the kinds the person gets daily. Returns how many were included."""
    from fibrotrack.accounts.models import User
    from fibrotrack.community.notifications import email_preferences

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    kinds = digest_kinds(user)
    if not kinds:
        return 0
    with transaction.atomic():
        since = timezone.now() - dt.timedelta(days=DIGEST_DAYS)
        pending = list(
            Notification.objects.select_for_update(of=("self",))
            .filter(recipient=user, kind__in=kinds, emailed_at=None, read_at=None, created_at__gte=since)
            .select_related("actor")
            .order_by("created_at")
        )
        if not pending:
            return 0
        now = timezone.now()
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
        prefs = email_preferences(user)
        prefs.last_digest_at = now
        prefs.save(update_fields=["last_digest_at"])
        items = [{"text": n.text, "url": absolute(n.url), "when": n.created_at} for n in pending]
        message = _message(
            user,
            format_lazy(gettext_lazy("Your daily community digest: {count} new"), count=len(items)),
            "community/email/digest.txt",
            {"items": items, "settings_url": absolute(reverse("community:email_settings"))},
            DIGEST,
        )
    message.send()
    return len(items)


@task()
def send_newsletter_confirmation(user_id: int) -> bool:
    from fibrotrack.accounts.models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    subscription = NewsletterSubscription.objects.filter(user_id=user_id).first()
    if user is None or subscription is None or subscription.status != NewsletterSubscription.Status.PENDING:
        return False
    url = absolute(reverse("community:newsletter_confirm", args=[newsletter_token(user_id)]))
    message = _message(
        user,
        gettext_lazy("Please confirm your newsletter subscription"),
        "community/email/newsletter_confirm.txt",
        {"url": url},
        None,
    )
    message.send()
    return True


@task()
def send_newsletter_issue(issue_id: int) -> int:
    """Send an issue to every confirmed subscriber, once. Returns the number of recipients."""
    with transaction.atomic():
        issue = NewsletterIssue.objects.select_for_update().filter(pk=issue_id, sent_at=None).first()
        if issue is None:
            return 0
        issue.sent_at = timezone.now()
        subscriptions = list(
            NewsletterSubscription.objects.filter(
                status=NewsletterSubscription.Status.CONFIRMED, user__is_active=True
            ).select_related("user")
        )
        issue.recipient_count = len(subscriptions)
        issue.save(update_fields=["sent_at", "recipient_count"])
    for subscription in subscriptions:
        _message(
            subscription.user,
            issue.subject,
            "community/email/newsletter_issue.txt",
            {"issue": issue},
            NEWSLETTER,
        ).send()
    return len(subscriptions)
