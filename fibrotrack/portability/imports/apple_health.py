"""The apple-health import: ``wearables.apple`` reads the file; ``wearable`` previews or applies it."""

from __future__ import annotations

from pathlib import Path

from fibrotrack.accounts.models import User
from fibrotrack.portability.imports import wearable
from fibrotrack.portability.imports.base import Options, Preview, Progress, Result

FORMAT = "apple-health"


def preview(path: Path, user: User, options: Options) -> Preview:
    return wearable.preview(FORMAT, path, user, options)


def apply(path: Path, user: User, options: Options, progress: Progress | None = None) -> Result:
    return wearable.apply(FORMAT, path, user, options, progress)
