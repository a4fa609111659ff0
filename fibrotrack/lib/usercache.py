"""A per-process memo of what a person's check-in reads on every request.

Saving a check-in used to spend more time asking "which symptoms, which tags,
is any treatment or trial running?" than writing the day itself. Those answers
change rarely, so each worker process keeps them, keyed by
``(user id, User.cache_version, name)``.

Why this is safe with several worker processes and no shared cache: the
version is read from the user row, which authentication loads fresh on every
request anyway. Any change to the memoised data bumps the version in the same
transaction as the change (``invalidate_on_change`` wires the models' save
and delete signals), so a request that sees the change also sees the new
version and misses the old entry. An entry built from old data can only ever
sit under an old version, which no later request asks for. ``User.save``
never writes the version, so a full save of a stale instance cannot roll it
back.

Writes that bypass model signals (``QuerySet.update``, ``bulk_create``,
``bulk_update``) on a watched model must call ``bump`` themselves.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import F, Model
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")
MAX_ENTRIES = 4096  # a few kB each; bounds a worker's memory whatever the number of people

_lock = threading.Lock()
_entries: OrderedDict[tuple[int, int, str], Any] = OrderedDict()


def memo(user: Any, name: str, build: Callable[[], T]) -> T:
    """``build()``'s result for this person, from memory while their data is unchanged.

    ``build`` must return plain, immutable-by-convention data (tuples, dates,
    strings), never model instances: an entry is shared by every later request.
    """
    key = (user.pk, user.cache_version, name)
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return _entries[key]  # type: ignore[no-any-return]
    value = build()
    with _lock:
        _entries[key] = value
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def bump(user_id: int | None) -> None:
    """Invalidate one person's entries (everyone's for ``None``: shared reference data changed)."""
    from fibrotrack.accounts.models import User

    people = User.objects.all() if user_id is None else User.objects.filter(pk=user_id)
    people.update(cache_version=F("cache_version") + 1)
    with _lock:
        # This process may still hold the old version on request.user for the rest of the request.
        for key in [k for k in _entries if user_id is None or k[0] == user_id]:
            del _entries[key]


def clear() -> None:
    """Forget everything (tests: primary keys are reused after a rolled-back test)."""
    with _lock:
        _entries.clear()


def invalidate_on_change(model: type[Model], user_field: str = "user_id") -> None:
    """Bump the owner's version whenever a ``model`` row is saved or deleted."""

    def receiver(sender: type[Model], instance: Model, **kwargs: Any) -> None:
        if kwargs.get("raw"):  # loaddata: no user rows to update yet, and nothing cached
            return
        bump(getattr(instance, user_field))

    # weak=False: the closure would otherwise be collected at once.
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"usercache-save-{model._meta.label}")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"usercache-delete-{model._meta.label}")
