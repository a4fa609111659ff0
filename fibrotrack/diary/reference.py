"""Reference data owned by the diary: the built-in tags."""

from __future__ import annotations

from fibrotrack.diary.defaults import BUILTIN_TAGS
from fibrotrack.diary.models import Tag


def load() -> int:
    for key, name in BUILTIN_TAGS:
        Tag.objects.update_or_create(user=None, key=key, defaults={"name": name, "is_trigger": True})
    return len(BUILTIN_TAGS)
