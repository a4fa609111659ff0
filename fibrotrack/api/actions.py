"""Every write to API tokens."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone

from fibrotrack.accounts.models import User
from fibrotrack.api.access import PREFIX, token_digest
from fibrotrack.api.models import ApiToken

MAX_LIFETIME = dt.timedelta(days=366)
# last_used_at is written at most this often, so that reading the API is not a write per request.
LAST_USED_EVERY = dt.timedelta(minutes=1)


def do_create_token(user: User, *, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    """A new token and its secret, which is never stored and never shown again."""
    lifetime = dt.timedelta(days=days)
    if not dt.timedelta(days=1) <= lifetime <= MAX_LIFETIME:
        raise ValueError("A token lasts from 1 day to a year")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        hint=secret[:10],
        digest=token_digest(secret),
        scope=scope,
        expires_at=timezone.now() + lifetime,
    )
    return token, secret


def do_revoke_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def do_note_use(token: ApiToken, now: dt.datetime) -> None:
    """Record when the token was last used, at most once a minute (one UPDATE, no read)."""
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def delete_tokens_step(user: User, *, keep_posts: bool) -> None:
    """Account deletion: the tokens go first, in the deletion's transaction (they also cascade)."""
    with transaction.atomic():
        ApiToken.objects.filter(user=user).delete()
