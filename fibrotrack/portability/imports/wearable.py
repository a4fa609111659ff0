"""What the three device readers share: read the file into a summary (or find it read), then preview or apply it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fibrotrack.accounts.models import User
from fibrotrack.lib.dates import user_zone
from fibrotrack.portability.imports.base import READING, SAVING, Options, Preview, Progress, Result
from fibrotrack.portability.wearables import background, store


def preview(format_name: str, path: Path, user: User, options: Options) -> Preview:
    """Read in this process (the command line, tests); the web preview goes through ``background.summary_for``."""
    summary = background.cached(path.parent, user) or background.READERS[format_name](path, _zone(user))
    return store.preview(user, summary, format_name, options)


def _zone(user: User) -> Any:
    return user_zone(user)


def apply(format_name: str, path: Path, user: User, options: Options, progress: Progress | None = None) -> Result:
    """Write the file's summary: the one its preview kept beside the upload, else read now (with progress)."""
    summary = background.cached(path.parent, user)
    if summary is None:
        report: Any = None
        if progress is not None:
            progress(READING, 0, None)

            def report(records: int) -> None:
                progress(READING, records, None)

        summary = background.READERS[format_name](path, _zone(user), report)
    if progress is not None:
        progress(SAVING, summary.records, summary.records)
    return store.apply(user, summary, options)
