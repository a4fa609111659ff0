"""What the three device readers share: read the file into a summary, then preview or apply it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fibrotrack.accounts.models import User
from fibrotrack.lib.dates import user_zone
from fibrotrack.portability.imports.base import READING, SAVING, Options, Preview, Progress, Result
from fibrotrack.portability.wearables import store
from fibrotrack.portability.wearables.summary import Summary

Read = Callable[..., Summary]


def preview(read: Read, format_name: str, path: Path, user: User, options: Options) -> Preview:
    return store.preview(user, read(path, user_zone(user)), format_name, options)


def apply(read: Read, path: Path, user: User, options: Options, progress: Progress | None = None) -> Result:
    report: Any = None
    if progress is not None:
        progress(READING, 0, None)

        def report(records: int) -> None:
            progress(READING, records, None)

    summary = read(path, user_zone(user), report)
    if progress is not None:
        progress(SAVING, summary.records, summary.records)
    return store.apply(user, summary, options)
