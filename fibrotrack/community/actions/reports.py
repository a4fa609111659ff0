"""Reports from members, automatic crisis reports, and closing them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from fibrotrack.community.actions.audit import log_action
from fibrotrack.community.models import Message, ModerationAction, Notification, Post, Report, Thread
from fibrotrack.community.notifications import notify

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User

Kind = Notification.Kind


def file_crisis_report(post: Post | None = None, message: Message | None = None) -> None:
    """Put a post or message that mentions self-harm in front of the moderators, once."""
    if post is not None and not Report.objects.filter(post=post, reporter=None, status=Report.Status.OPEN).exists():
        Report.objects.create(
            post=post, reason=Report.Reason.SELF_HARM, details="Found automatically: the post mentions self-harm."
        )
    if message is not None:
        Report.objects.create(
            message=message,
            reason=Report.Reason.SELF_HARM,
            details="Found automatically: the message mentions self-harm.",
        )


def do_report(
    reporter: User,
    *,
    reason: str,
    details: str = "",
    post: Post | None = None,
    message: Message | None = None,
    person: Any = None,
) -> Report:
    if reason not in Report.Reason.values:
        raise ValidationError(gettext_lazy("Choose a reason."))
    if sum(x is not None for x in (post, message, person)) != 1:
        raise ValidationError(gettext_lazy("Report one thing at a time."))
    if person is not None and person.pk == reporter.pk:
        raise PermissionDenied(gettext_lazy("You cannot report yourself."))
    details = (details or "").strip()[:1000]
    target: dict[str, Any] = {"post": post, "message": message, "reported_user": person}
    with transaction.atomic():
        existing = Report.objects.filter(reporter=reporter, status=Report.Status.OPEN, **target).first()
        if existing is not None:
            existing.reason, existing.details = reason, details or existing.details
            existing.save(update_fields=["reason", "details"])
            return existing
        return Report.objects.create(reporter=reporter, reason=reason, details=details, **target)


def close_reports(moderator: User, *, post: Post | None = None, thread: Thread | None = None) -> None:
    """Close the open reports about a post (or a whole thread) that a moderator acted on; thank the reporters."""
    qs = Report.objects.filter(status=Report.Status.OPEN)
    if post is not None:
        qs = qs.filter(post=post)
    elif thread is not None:
        qs = qs.filter(post__thread=thread)
    else:
        return
    reporters = {r.reporter for r in qs.select_related("reporter") if r.reporter is not None}
    qs.update(status=Report.Status.RESOLVED, resolved_at=timezone.now(), resolved_by=moderator)
    for reporter in reporters:
        notify(
            reporter,
            Kind.MODERATION,
            gettext_lazy("Thank you for your report: a moderator acted on it."),
            reverse("community:index"),
        )


def do_close_report(moderator: User, report: Report, *, dismissed: bool, note: str = "") -> None:
    with transaction.atomic():
        report.status = Report.Status.DISMISSED if dismissed else Report.Status.RESOLVED
        report.resolved_at, report.resolved_by = timezone.now(), moderator
        report.save(update_fields=["status", "resolved_at", "resolved_by"])
        log_action(
            moderator,
            ModerationAction.Action.DISMISS_REPORT if dismissed else ModerationAction.Action.RESOLVE_REPORT,
            report=report,
            post=report.post,
            target_user=report.reported_user or (report.post.author if report.post else None),
            reason=note,
        )
        if report.reporter is not None:
            notify(
                report.reporter,
                Kind.MODERATION,
                gettext_lazy("Thank you for your report: no action was needed.")
                if dismissed
                else gettext_lazy("Thank you for your report: a moderator acted on it."),
                reverse("community:index"),
            )
