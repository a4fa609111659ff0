from __future__ import annotations

from typing import Any

from django import template

from fibrotrack.lib.words import midsentence as _midsentence

register = template.Library()


@register.filter
def midsentence(value: Any) -> str:
    """A name as it reads inside a sentence, in the active language (lib/words.py)."""
    return _midsentence(str(value))
