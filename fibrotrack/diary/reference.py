"""Reference data owned by the diary: the built-in tags."""

from __future__ import annotations

from fibrotrack.diary.defaults import BUILTIN_TAGS
from fibrotrack.diary.models import Tag


def load() -> int:
    # Writes only what differs: a changed built-in tag invalidates everyone's
    # memoised check-in set-up (``fibrotrack.lib.usercache``), and this runs at every start.
    current = {t.key: t for t in Tag.objects.filter(user=None)}
    for key, name in BUILTIN_TAGS:
        tag = current.get(key)
        if tag is None:
            Tag.objects.create(user=None, key=key, name=name, is_trigger=True)
        elif (tag.name, tag.is_trigger) != (name, True):
            tag.name, tag.is_trigger = name, True
            tag.save(update_fields=["name", "is_trigger"])
    return len(BUILTIN_TAGS)
