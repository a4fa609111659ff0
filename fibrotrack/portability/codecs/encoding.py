"""Exact, JSON-ready encodings shared by the codecs: dates as ISO text, decimals as text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any


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
        raise RecordError(f"{field} is not a date in the form YYYY-MM-DD: {value!r}") from None


def parse_optional_day(value: Any, field: str) -> dt.date | None:
    return None if value in (None, "") else parse_day(value, field)


def parse_decimal(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise RecordError(f"{field} is not a number: {value!r}") from None
    if not number.is_finite():
        raise RecordError(f"{field} is not a number: {value!r}")
    return number


def parse_optional_decimal(value: Any, field: str) -> Decimal | None:
    return None if value in (None, "") else parse_decimal(value, field)


def require(record: Any, *fields: str) -> None:
    if not isinstance(record, dict):
        raise RecordError("expected an object with named fields")
    missing = [f for f in fields if f not in record]
    if missing:
        raise RecordError(f"missing field(s): {', '.join(missing)}")


def text(record: dict[str, Any], field: str, max_length: int | None = None) -> str:
    value = record.get(field) or ""
    if not isinstance(value, str):
        raise RecordError(f"{field} should be text")
    if max_length is not None and len(value) > max_length:
        raise RecordError(f"{field} is longer than {max_length} characters")
    return value


def integer(record: dict[str, Any], field: str, low: int, high: int) -> int:
    value = record.get(field)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RecordError(f"{field} should be a whole number from {low} to {high}: {value!r}")
    return value
