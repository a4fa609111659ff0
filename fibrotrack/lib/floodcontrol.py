"""Flood control for e-mails that one person's action sends to somebody else.

An invitation (a clinician's, a trial custodian's) goes to an address the
sender types, with the site's name on it, so without a limit the site is a
free spam relay. The counts come from the database (the rows the sends left),
like the community's flood control, so they hold across worker processes and
restarts and need no cache. The limits are settings:
``FIBROTRACK_INVITES_PER_HOUR`` and ``FIBROTRACK_INVITES_PER_DAY``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Limit:
    count: int
    window: dt.timedelta
    period: str  # "hour", "day": for the message


def invitation_limits() -> list[Limit]:
    return [
        Limit(int(settings.FIBROTRACK_INVITES_PER_HOUR), HOUR, "hour"),
        Limit(int(settings.FIBROTRACK_INVITES_PER_DAY), DAY, "day"),
    ]


def check_within(sent_since: Callable[[dt.datetime], int], limits: list[Limit], what: str) -> None:
    """Raise ValidationError (code ``flood``) if ``sent_since(start)`` already reaches a limit.

    ``sent_since`` counts what this sender sent from ``start`` until now.
    """
    now = timezone.now()
    for limit in limits:
        if sent_since(now - limit.window) >= limit.count:
            raise ValidationError(
                f"You have sent {limit.count} {what} in the last {limit.period}, the most we send for one "
                "person. Please try again later.",
                code="flood",
            )
