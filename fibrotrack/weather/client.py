"""The HTTP client for Open-Meteo: timeouts, a few retries with back-off, never called from a page's request.

Only the background job calls ``get_json`` for weather (the one exception is
the settings page's place search, which the person asked for and which uses
one short attempt). Errors that may pass (timeouts, refused connections, 5xx,
429) are retried after 0.5 s, 1 s, 2 s, ...; a 4xx other than 429 is a
mistake in the request and is not retried. The standard library is enough:
one GET with a query string, JSON back.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

from django.conf import settings

USER_AGENT = "FibroTrack weather (self-hosted; https://open-meteo.com)"
BACKOFF_SECONDS = 0.5


class WeatherUnavailable(Exception):
    """The provider did not answer usefully after every attempt."""


def _retryable(error: Exception) -> bool:
    if isinstance(error, urllib.error.HTTPError):
        return error.code == 429 or error.code >= 500
    return isinstance(error, urllib.error.URLError | TimeoutError | socket.timeout | ConnectionError | OSError)


def get_json(
    url: str,
    params: dict[str, str],
    *,
    timeout: float | None = None,
    retries: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """GET ``url?params`` and decode the JSON object; raise WeatherUnavailable when every attempt failed."""
    if not url.startswith(("http://", "https://")):
        raise WeatherUnavailable(f"not an http(s) URL: {url!r}")
    timeout = settings.WEATHER_TIMEOUT_SECONDS if timeout is None else timeout
    attempts = 1 + max(0, settings.WEATHER_RETRIES if retries is None else retries)
    full = f"{url}?{urllib.parse.urlencode(params)}"
    request = urllib.request.Request(full, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})  # noqa: S310 - scheme checked above
    last: Exception | None = None
    for attempt in range(attempts):
        if attempt:
            sleep(BACKOFF_SECONDS * 2 ** (attempt - 1))
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked above
                body = response.read()
            data = json.loads(body)
        except (urllib.error.URLError, OSError, ValueError) as error:
            last = error
            if isinstance(error, ValueError) or not _retryable(error):
                break
            continue
        if not isinstance(data, dict):
            last = ValueError("the answer is not a JSON object")
            break
        if data.get("error"):
            # Open-Meteo answers a bad parameter with 400 and {"error": true, "reason": "..."}.
            last = ValueError(str(data.get("reason", "error")))
            break
        return data
    raise WeatherUnavailable(_describe(last))


def _describe(error: Exception | None) -> str:
    if isinstance(error, urllib.error.HTTPError):
        reason = ""
        try:
            reason = json.loads(error.read() or b"{}").get("reason", "")
        except (ValueError, AttributeError, OSError):
            reason = ""
        return f"HTTP {error.code}{': ' + reason if reason else ''}"[:200]
    return (type(error).__name__ + (f": {error}" if error else ""))[:200]
