"""Bearer-token authentication and the per-token rate limit.

Only ``Authorization: Bearer ft_...`` is accepted: no session, so no CSRF
either (a browser never sends the header by itself). An unknown, expired or
revoked token, or one whose person is inactive (or gone), is a 401 that says
no more. A read-only token may read; writing with it is a 403. Each token may
make ``FIBROTRACK_API_REQUESTS_PER_MINUTE`` requests a minute (counted in
Django's cache, so every worker shares the count); past that, 429 with
Retry-After.
"""

from __future__ import annotations

import math
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from fibrotrack.accounts.models import User
from fibrotrack.api import access, actions
from fibrotrack.api.models import ApiToken

WINDOW = 60  # seconds


class ApiRequest(HttpRequest):
    """A request the token authenticated: django-ninja sets ``auth`` to the token's person."""

    auth: User


class ReadOnlyToken(Exception):
    """A read-only token asked to write."""


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def check_rate(token: ApiToken, now: float | None = None) -> None:
    """Count this request in the token's current minute; RateLimited past the limit.

    A fixed window: ``add`` starts the count, ``incr`` adds to it. Both are
    atomic in Redis; with the file cache two requests at the same instant
    may count as one, which a limit against runaway scripts can bear.
    """
    now = time.time() if now is None else now
    window = int(now // WINDOW)
    key = f"api:rate:{token.pk}:{window}"
    limit = int(settings.FIBROTRACK_API_REQUESTS_PER_MINUTE)
    cache.add(key, 0, timeout=WINDOW * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW * 2)
        count = 1
    if count > limit:
        raise RateLimited(max(1, math.ceil((window + 1) * WINDOW - now)))


class TokenAuth(HttpBearer):
    def __init__(self, *, write: bool) -> None:
        super().__init__()
        self.write = write

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = access.find_token(token)
        now = timezone.now()
        if found is None or not found.is_live(now) or not found.user.is_active:
            return None
        check_rate(found)
        if self.write and not found.can_write:
            raise ReadOnlyToken
        actions.do_note_use(found, now)
        request_any: Any = request
        request_any.api_token = found
        return found.user


READ = TokenAuth(write=False)
WRITE = TokenAuth(write=True)
