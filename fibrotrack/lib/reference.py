"""Every app's reference data, loaded idempotently by ``fibrotrack load_reference_data``.

Extension point: each app registers a ``load() -> int`` (built-in tags, the
treatment catalogue, seed groups) with ``reference.register(load)`` in its
``AppConfig.ready()``; loaders run in the order they were registered, which
is the order of ``INSTALLED_APPS``.
"""

from __future__ import annotations

from collections.abc import Callable

Loader = Callable[[], int]

# An ordered set: registering the same function twice loads once.
_LOADERS: dict[Loader, None] = {}


def register(load: Loader) -> None:
    _LOADERS[load] = None


def loaders() -> list[Loader]:
    return list(_LOADERS)


def load_all() -> dict[str, int]:
    """Run every loader; the count of entries each has, by the module it lives in."""
    return {load.__module__: load() for load in loaders()}
