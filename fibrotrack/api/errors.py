"""Documented error answers, so that the schema lists every status an operation can give."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from ninja.errors import HttpError

from fibrotrack.api.schemas import Error

READ_ERRORS: dict[int, Any] = {401: Error, 404: Error, 422: Error, 429: Error}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 400: Error, 403: Error, 409: Error}


class Invalid(HttpError):
    """A 422 with the form's own messages, field by field."""

    def __init__(self, message: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(422, message)
        self.errors = errors or []


def form_errors(form: Any) -> list[dict[str, Any]]:
    return [{"loc": [name], "msg": " ".join(str(m) for m in messages)} for name, messages in form.errors.items()]


class NeedsAcknowledgement(HttpError):
    """A 409 with the safety warning the page would show before its tick box."""

    def __init__(self, findings: list[Any]) -> None:
        super().__init__(409, " ".join(f"{f.title}: {f.message} {f.disclaimer}" for f in findings))
        msg = gettext("Read this warning, then send acknowledged_safety: true to go ahead.")
        self.errors = [{"loc": ["acknowledged_safety"], "msg": msg, "rule": f.key} for f in findings]
