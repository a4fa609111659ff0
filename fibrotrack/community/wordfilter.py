"""The deployment's word filter, from settings.

* ``COMMUNITY_BLOCKED_WORDS``: a post, title, message or bio that contains one
  of these is refused with a clear message (slurs, spam domains).
* ``COMMUNITY_CENSORED_WORDS``: shown as "■■■" in the rendered text; the
  author's source keeps the word, so an edit does not surprise them.

Matching is whole-word and case-insensitive; an entry ending in ``*`` also
matches longer words (``spam*`` matches "spammer").
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = []
    for word in words:
        word = word.strip()
        if not word:
            continue
        if word.endswith("*"):
            parts.append(re.escape(word[:-1]) + r"\w*")
        else:
            parts.append(re.escape(word))
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def blocked_words_in(text: str) -> list[str]:
    pattern = _pattern(tuple(getattr(settings, "COMMUNITY_BLOCKED_WORDS", ())))
    if pattern is None:
        return []
    found: list[str] = []
    for match in pattern.finditer(text):
        if match.group(0).lower() not in found:
            found.append(match.group(0).lower())
    return found


def censor(text: str) -> str:
    pattern = _pattern(tuple(getattr(settings, "COMMUNITY_CENSORED_WORDS", ())))
    if pattern is None:
        return text
    return pattern.sub(lambda m: "■" * min(len(m.group(0)), 6), text)
