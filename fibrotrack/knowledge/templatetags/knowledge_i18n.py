"""Names kept in English in computed figures, shown in the reader's language."""

from __future__ import annotations

from django import template

from fibrotrack.treatments.catalogue import side_effect_label

register = template.Library()


@register.filter
def side_effect(name: str) -> str:
    """A catalogue side effect's name in the active language; a name someone typed stays as typed."""
    return side_effect_label(name)
