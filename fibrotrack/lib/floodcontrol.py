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
from django.utils.translation import ngettext

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
            raise ValidationError(_message(limit, what), code="flood")


def _message(limit: Limit, what: str) -> str:
    """The sentence in the active language, whole (a translator needs the sentence, not its pieces)."""
    n = limit.count
    if what == "invitations" and limit.period == "hour":
        text = ngettext(
            "You have sent %(count)d invitation in the last hour, the most we send for one person. "
            "Please try again later.",
            "You have sent %(count)d invitations in the last hour, the most we send for one person. "
            "Please try again later.",
            n,
        )
    elif what == "invitations" and limit.period == "day":
        text = ngettext(
            "You have sent %(count)d invitation in the last day, the most we send for one person. "
            "Please try again later.",
            "You have sent %(count)d invitations in the last day, the most we send for one person. "
            "Please try again later.",
            n,
        )
    elif what == "custodian invitations" and limit.period == "hour":
        text = ngettext(
            "You have sent %(count)d custodian invitation in the last hour, the most we send for one person. "
            "Please try again later.",
            "You have sent %(count)d custodian invitations in the last hour, the most we send for one person. "
            "Please try again later.",
            n,
        )
    elif what == "custodian invitations" and limit.period == "day":
        text = ngettext(
            "You have sent %(count)d custodian invitation in the last day, the most we send for one person. "
            "Please try again later.",
            "You have sent %(count)d custodian invitations in the last day, the most we send for one person. "
            "Please try again later.",
            n,
        )
    else:
        return f"You have sent {n} {what} in the last {limit.period}, the most we send for one person. Please try again later."
    return text % {"count": n}
