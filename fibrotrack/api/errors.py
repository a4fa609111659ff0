"""Documented error answers, so that the schema lists every status an operation can give."""

from __future__ import annotations

from typing import Any

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
