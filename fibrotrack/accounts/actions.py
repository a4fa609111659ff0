"""Writes to accounts: onboarding, settings, and complete account deletion."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import import_module

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fibrotrack.accounts import deletion_steps
from fibrotrack.accounts.models import User
from fibrotrack.accounts.onboarding_steps import OnboardingStep


def do_complete_onboarding(
    user: User,
    *,
    steps: Sequence[tuple[OnboardingStep, forms.Form]],
    time_zone: str,
    day_starts_at_hour: int,
    display_name: str,
) -> None:
    """Save every registered step's valid form and the person's own choices, all or nothing."""
    with transaction.atomic():
        for step, form in steps:
            step.save(user, form)
        user.time_zone = time_zone
        user.day_starts_at_hour = day_starts_at_hour
        if display_name.strip():
            user.display_name = display_name.strip()
        user.onboarded_at = timezone.now()
        user.save(update_fields=["time_zone", "day_starts_at_hour", "display_name", "onboarded_at"])


def do_delete_account(user: User, *, keep_posts: bool = False) -> None:
    """Erase the person and everything they own.

    Every model that holds personal data has a foreign key to the user with
    ``on_delete=CASCADE`` (directly or through a parent that has one), so one
    delete inside a transaction removes it all; a test walks every table to
    prove that nothing is left. Sessions are not linked by foreign key, so
    they are purged explicitly. Apps whose data must outlive the person in
    another form register a step in ``deletion_steps`` (community: posts are
    erased, the default, or left up with no author, as the person chose); the
    steps run first, in the same transaction, so a failing one changes nothing.
    """
    from django.contrib.sessions.models import Session

    with transaction.atomic():
        for step in deletion_steps.registered():
            step(user, keep_posts=keep_posts)
        user_id = str(user.pk)
        for session in Session.objects.iterator():
            if session.get_decoded().get("_auth_user_id") == user_id:
                # Through the session store, so that its cached copy goes too.
                import_module(settings.SESSION_ENGINE).SessionStore(session.session_key).delete()
        user.delete()


def do_set_language(user: User, language: str) -> None:
    """The person's language ("" = follow the browser); one UPDATE, nothing else touched."""
    user.language = language
    user.save(update_fields=["language"])
