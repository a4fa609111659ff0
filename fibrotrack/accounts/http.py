"""A typed request for views that require a signed-in person.

``@login_required`` guarantees ``request.user`` is a real ``User``, but the
stubs type it as ``User | AnonymousUser``. Views annotate their request as
``AuthenticatedHttpRequest`` instead of casting ``request.user`` in each
module (the pattern of healthchecks' ``hc/accounts/http.py``).
"""

from __future__ import annotations

from django.http import HttpRequest

from fibrotrack.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
