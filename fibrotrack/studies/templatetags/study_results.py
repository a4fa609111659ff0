"""Number formatting for the results page and PDF: one decimal, a dash for a missing value."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def num(value: Any, digits: int = 1) -> str:
    """A number with ``digits`` decimals in the active locale's format; "–" when there is none."""
    if value is None or value == "":
        return "–"
    return number_format(round(float(value), int(digits)), int(digits))


@register.filter
def pct(value: Any) -> str:
    """A proportion (0-1) as a whole percentage: 0.367 -> "37%"."""
    if value is None or value == "":
        return "–"
    return f"{round(100 * float(value))}%"


@register.filter
def label(res: Any, key: Any) -> str:
    """A condition's name as the results show it (masked letters before unblinding)."""
    return str(res.label(key))


@register.filter
def outcome(key: Any) -> str:
    """An outcome's name in the active language ("pain" -> "Pain")."""
    from fibrotrack.studies.results import outcome_label

    return outcome_label(str(key))
