from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from fibrotrack.treatments.titration import format_amount

register = template.Library()


@register.filter
def dose(value: Any) -> str:
    """4.500 -> "4.5"; None -> "—"."""
    if value is None or value == "":
        return "—"
    return format_amount(Decimal(value))


@register.filter
def percent(value: Any) -> str:
    return "—" if value is None else f"{value}%"
