"""Exact, JSON-ready encodings shared by the codecs: dates as ISO text, decimals as text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext


class RecordError(ValueError):
    """A record in an import that cannot be used; the message says why, in plain words."""


def day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def decimal(value: Decimal | None) -> str | None:
    """Normalised text: 4.500 -> "4.5", 300.000 -> "300"; exact, unlike a float."""
    if value is None:
        return None
    text = f"{Decimal(value).normalize():f}"
    return text


def parse_day(value: Any, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise RecordError(
            gettext("{field} is not a date in the form YYYY-MM-DD: {value}").format(field=field, value=repr(value))
        ) from None


def parse_optional_day(value: Any, field: str) -> dt.date | None:
    return None if value in (None, "") else parse_day(value, field)


def parse_decimal(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise RecordError(gettext("{field} is not a number: {value}").format(field=field, value=repr(value))) from None
    if not number.is_finite():
        raise RecordError(gettext("{field} is not a number: {value}").format(field=field, value=repr(value)))
    return number


def parse_optional_decimal(value: Any, field: str) -> Decimal | None:
    return None if value in (None, "") else parse_decimal(value, field)


def require(record: Any, *fields: str) -> None:
    if not isinstance(record, dict):
        raise RecordError(gettext("expected an object with named fields"))
    missing = [f for f in fields if f not in record]
    if missing:
        raise RecordError(gettext("missing field(s): {fields}").format(fields=", ".join(missing)))


def text(record: dict[str, Any], field: str, max_length: int | None = None) -> str:
    value = record.get(field) or ""
    if not isinstance(value, str):
        raise RecordError(gettext("{field} should be text").format(field=field))
    if max_length is not None and len(value) > max_length:
        raise RecordError(
            gettext("{field} is longer than {max_length} characters").format(field=field, max_length=max_length)
        )
    return value


def integer(record: dict[str, Any], field: str, low: int, high: int) -> int:
    value = record.get(field)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RecordError(
            gettext("{field} should be a whole number from {low} to {high}: {value}").format(
                field=field, low=low, high=high, value=repr(value)
            )
        )
    return value
