"""A memo of what a person's check-in reads on every request, in Django's cache.

The answers to "which symptoms, which tags, is any treatment or trial
running?" change rarely, so they are kept in Django's cache (Redis when
``REDIS_URL`` is set, else the file cache), under the person's id and name,
with ``User.cache_version`` as the cache version.

Why a stale entry is never served: the version is read from the user row,
which authentication loads fresh on every request anyway. Any change to the
memoised data bumps the version in the same transaction as the change
(``invalidate_on_change`` wires the models' save and delete signals), so a
request that sees the change also sees the new version and asks for a new
key. An entry built from old data can only sit under an old version, which
no later request asks for; it expires. ``User.save`` never writes the
version, so a full save of a stale instance cannot roll it back.

Writes that bypass model signals (``QuerySet.update``, ``bulk_create``,
``bulk_update``) on a watched model must call ``bump`` themselves. The
request that made a change still holds the old version on ``request.user``:
the change reaches the memo from the next request on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.core.cache import cache
from django.db.models import F, Model
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")
# Entries under an old version are never asked for again; this only bounds how long they stay.
TIMEOUT = 24 * 60 * 60


def memo(user: Any, name: str, build: Callable[[], T]) -> T:
    """``build()``'s result for this person, from the cache while their data is unchanged.

    ``build`` must return plain, picklable data (tuples, dates, strings),
    never model instances: the cache stores a copy that later requests share.
    """
    key = f"usercache:{user.pk}:{name}"
    return cast("T", cache.get_or_set(key, build, timeout=TIMEOUT, version=user.cache_version))


def bump(user_id: int | None) -> None:
    """Invalidate one person's entries (everyone's for ``None``: shared reference data changed)."""
    from fibrotrack.accounts.models import User

    people = User.objects.all() if user_id is None else User.objects.filter(pk=user_id)
    people.update(cache_version=F("cache_version") + 1)


def invalidate_on_change(model: type[Model], user_field: str = "user_id") -> None:
    """Bump the owner's version whenever a ``model`` row is saved or deleted."""

    def receiver(sender: type[Model], instance: Model, **kwargs: Any) -> None:
        if kwargs.get("raw"):  # loaddata: no user rows to update yet, and nothing cached
            return
        bump(getattr(instance, user_field))

    # weak=False: the closure would otherwise be collected at once.
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"usercache-save-{model._meta.label}")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"usercache-delete-{model._meta.label}")
