"""The demo account: a lived-in FibroTrack in under a minute.

Extension point: each app registers a ``build(user, start, end, rng) -> str``
that replaces its own demo data and says what it made, with
``demo.register(build)`` in its ``AppConfig.ready()``. Builders run in the
order they were registered, which is the order of ``INSTALLED_APPS``, so an
app's data exists before the apps built on it add theirs (trials use the
treatments' regimens). lib knows only the configured user model, never the
apps.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from fibrotrack.lib.dates import diary_day

Builder = Callable[[Any, dt.date, dt.date, random.Random], str]

# An ordered set: registering the same function twice builds once.
_BUILDERS: dict[Builder, None] = {}


def register(build: Builder) -> None:
    _BUILDERS[build] = None


def builders() -> list[Builder]:
    return list(_BUILDERS)


def build_demo(email: str, password: str, *, days: int = 183, seed: int = 2009) -> tuple[AbstractBaseUser, list[str]]:
    rng = random.Random(seed)  # noqa: S311  (demo data, not security)
    with transaction.atomic():
        user, _ = get_user_model().objects.get_or_create(email=email.lower())
        user.set_password(password)
        user.display_name = user.display_name or "DemoDaisy"
        user.time_zone = user.time_zone or "Europe/London"
        user.onboarded_at = user.onboarded_at or timezone.now()
        user.save()
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        end = diary_day(user) - dt.timedelta(days=1)
        start = end - dt.timedelta(days=days - 1)
        summaries = [build(user, start, end, rng) for build in builders()]
    return user, summaries
