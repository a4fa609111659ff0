"""Tokens and a client that sends them, for the API's tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from fibrotrack.api.actions import do_create_token
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.factories import make_checkin
from fibrotrack.treatments.actions import do_log_side_effect
from fibrotrack.treatments.tests.helpers import start as start_regimen

BASE = "/api/v1"


def token_for(user: Any, scope: str = "write", days: int = 30) -> str:
    _, secret = do_create_token(user, name="test", scope=scope, days=days)
    return secret


class ApiClient:
    """Django's test client with ``Authorization: Bearer`` on every request."""

    def __init__(self, secret: str | None) -> None:
        self.client = Client(raise_request_exception=False)
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def request(self, method: str, path: str, body: Any = None, raw: str | None = None) -> Any:
        url = path if path.startswith("/") else f"{BASE}/{path}"
        call = getattr(self.client, method.lower())
        if raw is not None:
            return call(url, data=raw, content_type="application/json", headers=self.headers)
        if body is not None:
            return call(url, data=body, content_type="application/json", headers=self.headers)
        return call(url, headers=self.headers)

    def get(self, path: str) -> Any:
        return self.request("GET", path)

    def put(self, path: str, body: Any) -> Any:
        return self.request("PUT", path, body)

    def post(self, path: str, body: Any) -> Any:
        return self.request("POST", path, body)


def seed(user: Any, days: int = 30) -> dict[str, Any]:
    """A month of diary, a regimen with doses, a side effect: the objects a sweep needs."""
    today = diary_day(user)
    for n in range(1, days + 1):
        make_checkin(user, today - dt.timedelta(days=n), pain=n % 10, fatigue=4, note=f"day {n}")
    regimen = start_regimen(user, "naltrexone", on=today - dt.timedelta(days=30), amount="4.5")
    effect = do_log_side_effect(
        user, name="Vivid dreams", severity="mild", onset_on=today - dt.timedelta(days=5), is_ongoing=True
    )
    return {
        "day": (today - dt.timedelta(days=1)).isoformat(),
        "regimen_id": regimen.pk,
        "effect_id": effect.pk,
    }
