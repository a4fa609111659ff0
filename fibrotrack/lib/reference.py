"""Every app's reference data, loaded idempotently by ``fibrotrack load_reference_data``.

Each entry is the dotted path of a ``load() -> int`` function; later apps
(treatment catalogue, seed groups, articles) append theirs here.
"""

from __future__ import annotations

from importlib import import_module

LOADERS: tuple[str, ...] = (
    "fibrotrack.diary.reference",
    "fibrotrack.treatments.catalogue",
    "fibrotrack.community.reference",
)


def load_all() -> dict[str, int]:
    return {path: import_module(path).load() for path in LOADERS}
