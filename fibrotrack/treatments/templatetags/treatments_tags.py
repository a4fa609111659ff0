from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from fibrotrack.treatments import catalogue

register = template.Library()


@register.filter
def dose(value: Any) -> str:
    """4.500 -> "4.5" ("4,5" in Spanish and German); None -> "—"."""
    if value is None or value == "":
        return "—"
    return catalogue.amount_text(Decimal(value))


@register.filter
def percent(value: Any) -> str:
    return "—" if value is None else f"{value}%"


@register.filter
def unit(value: Any) -> str:
    """A unit code ("IU") as people read it in the active language."""
    return catalogue.unit_label(str(value or ""))


@register.filter
def side_effect(value: Any) -> str:
    """A side effect's name: the catalogue's in the active language, one typed in as written."""
    return catalogue.side_effect_label(str(value or ""))


@register.filter
def in_sentence(value: Any) -> str:
    """Lower case inside a sentence, except in German (its nouns keep their capital)."""
    return catalogue.in_sentence(str(value or ""))
