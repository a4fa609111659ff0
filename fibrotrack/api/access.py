"""Permission-scoped getters for tokens, and the lookup of a presented token."""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from fibrotrack.accounts.models import User
from fibrotrack.api.models import ApiToken

PREFIX = "ft_"


def token_digest(token: str) -> str:
    """SHA-256 of the whole token: the token has 256 bits of randomness, so no salt or slow hash is needed."""
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_for_user(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def get_token_for_user(user: User, pk: int) -> ApiToken:
    return get_object_or_404(tokens_for_user(user), pk=pk)


def find_token(token: str) -> ApiToken | None:
    """The token with its person (one query), or None for anything not shaped like ours."""
    if not token.startswith(PREFIX) or len(token) > 100:
        return None
    return ApiToken.objects.select_related("user").filter(digest=token_digest(token)).first()
