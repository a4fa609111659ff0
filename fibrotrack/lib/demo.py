"""The demo account: a lived-in FibroTrack in under a minute.

Each app contributes a ``build(user, start, end, rng) -> str`` that replaces
its own demo data; later apps (treatments, trials, community) add theirs.
"""

from __future__ import annotations

import datetime as dt
import random
from importlib import import_module

from django.db import transaction
from django.utils import timezone

from fibrotrack.accounts.models import User
from fibrotrack.lib.dates import diary_day

BUILDERS: tuple[str, ...] = (
    "fibrotrack.diary.demo",
    "fibrotrack.treatments.demo",
    "fibrotrack.community.demo",
    "fibrotrack.trials.demo",
)


def build_demo(email: str, password: str, *, days: int = 183, seed: int = 2009) -> tuple[User, list[str]]:
    rng = random.Random(seed)  # noqa: S311  (demo data, not security)
    with transaction.atomic():
        user, _ = User.objects.get_or_create(email=email.lower())
        user.set_password(password)
        user.display_name = user.display_name or "DemoDaisy"
        user.time_zone = user.time_zone or "Europe/London"
        user.onboarded_at = user.onboarded_at or timezone.now()
        user.save()
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        end = diary_day(user) - dt.timedelta(days=1)
        start = end - dt.timedelta(days=days - 1)
        summaries = [import_module(path).build(user, start, end, rng) for path in BUILDERS]
    return user, summaries
