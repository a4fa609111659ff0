from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth ships no types
    # The per-account limit stops passwords, not the owner: say how to get in anyway.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "Too many failed login attempts. Try your password again later, or sign in with a code "
            "sent to your e-mail address."
        ),
    }

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        user = request.user
        if user.is_authenticated and getattr(user, "onboarded_at", None) is None:
            return reverse("accounts:onboarding")
        return str(super().get_login_redirect_url(request))
