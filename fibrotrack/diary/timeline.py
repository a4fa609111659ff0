"""Extension point: other apps add bands and markers to the diary timeline.

A provider is ``(user, start, end) -> list[charts.Band | charts.Marker]``.
Treatments show regimens as bands and dose changes as markers; trials shade
their phases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from fibrotrack.lib import charts

Provider = Callable[[Any, dt.date, dt.date], list[charts.Band | charts.Marker]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def providers() -> list[Provider]:
    return list(_PROVIDERS)
