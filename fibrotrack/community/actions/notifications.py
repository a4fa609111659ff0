"""In-app notifications read, e-mail preferences, one-click unsubscribe."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from fibrotrack.community.actions.newsletter import do_unsubscribe_newsletter
from fibrotrack.community.models import EmailChoice, Notification
from fibrotrack.community.notifications import email_preferences

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User

Kind = Notification.Kind


def do_mark_notifications_read(user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at=None)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def do_set_email_preferences(user: User, choices: dict[str, str]) -> None:
    prefs = email_preferences(user)
    for kind, choice in choices.items():
        if kind in Kind.values and choice in EmailChoice.values:
            setattr(prefs, kind, choice)
    prefs.save()


def do_unsubscribe(user: Any, kind: str) -> str:
    """One-click unsubscribe from one kind of e-mail. Returns a sentence saying what happened."""
    from fibrotrack.community.emails import DIGEST, NEWSLETTER

    with transaction.atomic():
        if kind == NEWSLETTER:
            do_unsubscribe_newsletter(user)
            return gettext("You will not get the newsletter any more.")
        prefs = email_preferences(user)
        if kind == DIGEST:
            for k in Kind.values:
                if prefs.choice_for(k) == EmailChoice.DAILY:
                    setattr(prefs, k, EmailChoice.OFF)
            prefs.save()
            return gettext("You will not get the daily digest any more.")
        setattr(prefs, kind, EmailChoice.OFF)
        prefs.save()
        return gettext("You will not get e-mails about “%(kind)s” any more.") % {"kind": Kind(kind).label}
