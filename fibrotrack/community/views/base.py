"""Plumbing shared by the community views: sign-in, refusals, noindex, counts for the menu."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import F, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.accounts.models import User
from fibrotrack.community.access.permissions import get_permissions
from fibrotrack.community.models import Conversation, Notification

View = Callable[..., HttpResponse]


def community_view(view: View) -> View:
    """Signed-in only; a refusal (PermissionDenied) is explained on a page, with status 403."""

    @login_required
    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except PermissionDenied as refusal:
            reason = str(refusal) or gettext("You cannot do that here.")
            response = render_page(request, "community/denied.html", {"reason": reason}, status=403)
        if not settings.COMMUNITY_ALLOW_INDEXING:
            response.headers.setdefault("X-Robots-Tag", "noindex, nofollow")
        return response

    return wrapper


def nav_counts(user: User) -> dict[str, int]:
    unread_notifications = Notification.objects.filter(recipient=user, read_at=None).count()
    # Sending a message marks the conversation read for the sender, so only the other person's count.
    unread_messages = Conversation.objects.filter(
        Q(user_a=user) & (Q(a_read_at=None) | Q(last_message_at__gt=F("a_read_at")))
        | Q(user_b=user) & (Q(b_read_at=None) | Q(last_message_at__gt=F("b_read_at")))
    ).count()
    return {"unread_notifications": unread_notifications, "unread_messages": unread_messages}


def render_page(
    request: AuthenticatedHttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    perms = get_permissions(request)
    base: dict[str, Any] = {
        "allow_indexing": settings.COMMUNITY_ALLOW_INDEXING,
        "is_moderator": perms.is_moderator_anywhere,
        "can_manage_groups": perms.can_manage_groups,
        **nav_counts(request.user),
    }
    base.update(context)
    return render(request, template, base, status=status)


def paginate(items: Any, number: int, per_page: int) -> Page[Any]:
    paginator = Paginator(items, per_page)
    return paginator.get_page(number)
