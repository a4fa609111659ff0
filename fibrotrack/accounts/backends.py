"""The authentication backends, reading the signed-in person with one prepared statement.

Django's ``ModelBackend.get_user`` runs on every signed-in request and
builds its ``SELECT`` through the ORM each time: 0.45 ms a request on this
machine, 0.21 ms written out (``fibrotrack.lib.rows.get``; docs/performance.md).
Everything else (logging in by e-mail, permissions, ``is_active``) is
Django's and allauth's own. A session remembers which backend signed its
person in, so both of ours keep their parents' behaviour exactly.
"""

from __future__ import annotations

from typing import Any

from allauth.account import auth_backends
from django.contrib.auth import backends

from fibrotrack.accounts.models import User
from fibrotrack.lib import rows


def _get_user(backend: backends.ModelBackend, user_id: Any) -> User | None:
    """What ``ModelBackend.get_user`` returns, read with one prepared statement."""
    user = rows.get(User, pk=user_id)
    return user if user is not None and backend.user_can_authenticate(user) else None


class ModelBackend(backends.ModelBackend):
    """Django's: for the admin's log-in and ``force_login``."""

    def get_user(self, user_id: Any) -> User | None:
        return _get_user(self, user_id)


class AuthenticationBackend(auth_backends.AuthenticationBackend):  # type: ignore[misc]  # allauth is untyped
    """allauth's: for log-in by e-mail address."""

    def get_user(self, user_id: Any) -> User | None:
        return _get_user(self, user_id)
