"""Small wording helpers that depend on the language.

A symptom's name inside a sentence is lower-cased in English and Spanish ("your pain"), but German
nouns keep their capital ("deine Schmerzen" is still "Schmerz", never "schmerz").
"""

from __future__ import annotations

from django.utils import translation

_KEEPS_CAPITALS = {"de"}


def midsentence(name: str) -> str:
    language = (translation.get_language() or "en").split("-")[0]
    return str(name) if language in _KEEPS_CAPITALS else str(name).lower()
