"""The newsletter of new and updated articles, sent to the community's confirmed subscribers.

Staff compose an issue (``do_compose_issue``): the articles changed since the
last issue, and an intro. Sending fans out through the worker, one task and
one e-mail per subscriber. A ``Delivery`` row (unique per issue and person) is
written in the same transaction as the send, so sending an issue again, or a
retried task, never e-mails anyone twice; a failed send rolls its row back, so
sending again reaches the people who were missed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from fibrotrack.community.emails import NEWSLETTER, absolute, unsubscribe_url
from fibrotrack.community.models import NewsletterIssue, NewsletterSubscription
from fibrotrack.knowledge.models import Article, Delivery, Edition
from fibrotrack.lib.tasks import enqueue

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User


def last_issue() -> NewsletterIssue | None:
    return NewsletterIssue.objects.filter(edition__isnull=False).order_by("-created_at").first()


def changed_since_last_issue() -> QuerySet[Article]:
    """Articles created or updated after the last composed issue (all of them before the first)."""
    qs = Article.objects.defer("body", "html", "search_vector").order_by("-updated_at")
    previous = last_issue()
    return qs.filter(updated_at__gt=previous.created_at) if previous is not None else qs


def issue_body(intro: str, articles: Sequence[Article]) -> str:
    """The issue as Markdown: the intro, then each article with its summary and address."""
    parts = [intro.strip()] if intro.strip() else []
    for article in articles:
        parts.append(f"### {article.title}\n\n{article.summary}\n\n{absolute(article.get_absolute_url())}")
    return "\n\n".join(parts) + "\n"


def do_compose_issue(user: User, subject: str, intro: str, articles: Sequence[Article]) -> NewsletterIssue:
    with transaction.atomic():
        issue = NewsletterIssue.objects.create(subject=subject, body=issue_body(intro, articles))
        edition = Edition.objects.create(issue=issue, intro=intro, created_by=user)
        edition.articles.set(articles)
    return issue


def do_send_issue(issue: NewsletterIssue) -> None:
    """Queue the issue; safe to call again (only people not yet sent it get it)."""
    enqueue(send_issue, issue.pk)


def recipients(issue: NewsletterIssue) -> QuerySet[NewsletterSubscription]:
    return NewsletterSubscription.objects.filter(
        status=NewsletterSubscription.Status.CONFIRMED, user__is_active=True
    ).exclude(user_id__in=Delivery.objects.filter(issue=issue).values("user_id"))


@task()
def send_issue(issue_id: int) -> int:
    """Fan out: one task per confirmed subscriber not sent this issue yet. Returns how many were queued."""
    issue = NewsletterIssue.objects.filter(pk=issue_id).first()
    if issue is None:
        return 0
    NewsletterIssue.objects.filter(pk=issue_id, sent_at=None).update(sent_at=timezone.now())
    user_ids = list(recipients(issue).values_list("user_id", flat=True))
    for user_id in user_ids:
        enqueue(send_issue_to, issue_id, user_id)
    return len(user_ids)


def message(issue: NewsletterIssue, user: User) -> EmailMessage:
    url = unsubscribe_url(user.pk, NEWSLETTER)
    headers = {
        "Auto-Submitted": "auto-generated",
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    context = {"issue": issue, "site_name": settings.SITE_NAME, "unsubscribe_url": url, "user": user}
    body = render_to_string("knowledge/email/issue.txt", context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    subject = " ".join(f"{prefix}{issue.subject}".split())[:200]
    return EmailMessage(subject=subject, body=body, to=[user.email], headers=headers)


@task()
def send_issue_to(issue_id: int, user_id: int) -> bool:
    """Send one issue to one subscriber, at most once; False when not (any more) due."""
    subscription = (
        NewsletterSubscription.objects.filter(
            user_id=user_id, status=NewsletterSubscription.Status.CONFIRMED, user__is_active=True
        )
        .select_related("user")
        .first()
    )
    issue = NewsletterIssue.objects.filter(pk=issue_id).first()
    if subscription is None or issue is None:
        return False
    try:
        with transaction.atomic():
            Delivery.objects.create(issue=issue, user_id=user_id)
            message(issue, subscription.user).send()
    except IntegrityError:
        return False  # already sent
    NewsletterIssue.objects.filter(pk=issue_id).update(recipient_count=Delivery.objects.filter(issue=issue).count())
    return True
