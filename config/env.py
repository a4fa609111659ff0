"""Typed helpers that read settings from the environment.

Every setting that differs between a laptop and a server comes from here, so
that secrets never live in the repository (after healthchecks' ``hc/settings``).
"""

from __future__ import annotations

import os
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def envstr_or_file(name: str, path: Path) -> str:
    """``name`` from the environment; else the first line of ``path`` if that file exists; else "".

    Lets a checkout's commands use the secret that ``make run`` generated under
    ``var/`` without exporting it; an installed copy has no such file.
    """
    value = os.environ.get(name, "")
    if value:
        return value
    try:
        lines = path.read_text().splitlines()
    except FileNotFoundError:
        return ""
    return lines[0].strip() if lines else ""


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_email_url(url: str) -> dict[str, object]:
    """Turn ``EMAIL_URL`` into Django e-mail settings.

    ``smtp://user:pass@host:587`` (STARTTLS), ``smtps://user:pass@host:465``
    (implicit TLS), ``smtp+plain://host:25`` (no TLS, for a local relay only),
    ``console:`` or ``dummy:``. User and password may be percent-encoded.
    """
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in {"console", "dummy"}:
        return {"EMAIL_BACKEND": f"django.core.mail.backends.{scheme}.EmailBackend"}
    if scheme not in {"smtp", "smtps", "smtp+plain"}:
        raise ValueError(
            f"EMAIL_URL must start with smtp://, smtps://, smtp+plain://, console: or dummy:, got {scheme!r}"
        )
    if not parts.hostname:
        raise ValueError("EMAIL_URL has no host name")
    implicit_tls = scheme == "smtps"
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or (465 if implicit_tls else 587 if scheme == "smtp" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": implicit_tls,
        "EMAIL_USE_TLS": scheme == "smtp",
    }
