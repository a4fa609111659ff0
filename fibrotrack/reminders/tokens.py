"""Signed tokens that work without signing in: one-click unsubscribe, and a notification's "Taken" button."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

UNSUBSCRIBE_SALT = "reminders.unsubscribe"
TAKEN_SALT = "reminders.taken"
# Long enough to answer the notification later in the evening, short enough that a leaked one soon dies.
TAKEN_MAX_AGE = 12 * 3600


def absolute(path: str) -> str:
    return settings.SITE_ROOT.rstrip("/") + path


def unsubscribe_token(user_id: int) -> str:
    return signing.dumps({"u": user_id}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> int | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return data.get("u") if isinstance(data, dict) and isinstance(data.get("u"), int) else None


def unsubscribe_url(user_id: int) -> str:
    # One reverse() for many e-mails: the worker builds a thousand of these at a time.
    return absolute(reverse("reminders:unsubscribe", args=["TOKEN"]).replace("TOKEN", unsubscribe_token(user_id)))


@dataclass(frozen=True)
class Taken:
    user_id: int
    regimen_id: int
    day: dt.date
    slot: int
    nonce: str


def taken_token(user_id: int, regimen_id: int, day: dt.date, slot: int) -> str:
    payload = {"u": user_id, "r": regimen_id, "d": day.isoformat(), "s": slot, "n": secrets.token_hex(16)}
    return signing.dumps(payload, salt=TAKEN_SALT)


def read_taken_token(token: str) -> Taken | None:
    try:
        data = signing.loads(token, salt=TAKEN_SALT, max_age=TAKEN_MAX_AGE)
        return Taken(int(data["u"]), int(data["r"]), dt.date.fromisoformat(data["d"]), int(data["s"]), str(data["n"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
