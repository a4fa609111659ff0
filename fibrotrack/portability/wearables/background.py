"""Reading a large device export for its preview, in the background worker, with progress.

A 2 GB export.xml takes about a minute to read, longer than a web request may
last. So the preview of a large upload (over ``INLINE_BYTES``) enqueues
``read_upload`` and the preview page follows its progress; a small one is read
in the request. Either way the result is a ``Summary`` (a few numbers per day)
kept as ``summary.json`` beside the upload: the preview compares it with the
diary by reading only (no transaction, so SQLite's write lock is never held
by a web request), and the confirmed import (``jobs.run_import``) writes it
without reading the file again. A file that is refused leaves ``refused.json``
with the reason. The task is given the user id and the hash of the upload's
token, never the token itself (the queue holds no key to anyone's upload).
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext_lazy
from django_tasks import task

from fibrotrack.accounts.models import User
from fibrotrack.lib.dates import user_zone
from fibrotrack.lib.tasks import enqueue
from fibrotrack.portability import uploads
from fibrotrack.portability.access import token_hash
from fibrotrack.portability.imports.base import ImportRefused
from fibrotrack.portability.wearables import apple, files, fitbit, googlefit
from fibrotrack.portability.wearables.summary import Summary, from_json, to_json

logger = logging.getLogger(__name__)

READERS: dict[str, Callable[..., Summary]] = {
    "apple-health": apple.read,
    "fitbit": fitbit.read,
    "google-fit": googlefit.read,
}
INLINE_BYTES = 20 * 1024 * 1024  # read in the request below this much to read (under a second or two)
SUMMARY, REFUSED, READING = "summary.json", "refused.json", "reading"
READING_STALE_SECONDS = 3600  # a marker this old: the worker died; enqueue again
FAILED = gettext_lazy("Something went wrong on our side while reading this file. Please try again later.")


def progress_key(hashed: str) -> str:
    return f"portability:wearable-reading:{hashed}"


def cached(folder: Path, user: User) -> Summary | None:
    """The summary read earlier for an upload (never for a file elsewhere), if read in the person's time zone."""
    if not folder.resolve().is_relative_to(uploads.root().resolve()):
        return None
    try:
        data = json.loads((folder / SUMMARY).read_text())
    except (FileNotFoundError, ValueError):
        return None
    return from_json(data) if data.get("zone") == user.time_zone else None


def _write(folder: Path, name: str, data: dict[str, Any]) -> None:
    temporary = folder / f".{name}.tmp"
    temporary.write_text(json.dumps(data))
    os.replace(temporary, folder / name)


def read_into(folder: Path, format_name: str, user: User, progress: Callable[[int], None] | None = None) -> Summary:
    """Read the upload in ``folder`` and keep its summary there; a refusal is kept too, then raised."""
    try:
        summary = READERS[format_name](folder / "upload", user_zone(user), progress)
    except ImportRefused as refused:
        _write(folder, REFUSED, {"error": str(refused)})
        raise
    _write(folder, SUMMARY, to_json(summary, user.time_zone))
    return summary


def summary_for(pending: uploads.PendingImport, user: User) -> Summary | None:
    """The upload's summary; None while the worker is still reading it. Raises ImportRefused."""
    folder = pending.path.parent
    found = cached(folder, user)
    if found is not None:
        return found
    try:
        raise ImportRefused(json.loads((folder / REFUSED).read_text())["error"])
    except (FileNotFoundError, ValueError, KeyError):
        pass
    if files.inflated_size(pending.path) <= INLINE_BYTES:  # a zip's content, not its compressed size
        return read_into(folder, pending.format, user)
    marker = folder / READING
    if not marker.exists() or time.time() - marker.stat().st_mtime > READING_STALE_SECONDS:
        marker.touch()
        enqueue(read_upload, user.pk, token_hash(pending.token))
    return None


def progress(pending: uploads.PendingImport) -> int:
    """Records read so far by the worker."""
    found = cache.get(progress_key(token_hash(pending.token)))
    return int(found) if isinstance(found, int) else 0


@task()
def read_upload(user_id: int, hashed: str) -> str:
    folder = next((f for f in (uploads.root() / str(int(user_id))).glob("*") if token_hash(f.name) == hashed), None)
    user = User.objects.filter(pk=user_id).first()
    if folder is None or user is None or not (folder / "upload").is_file():
        return "gone"
    format_name = json.loads((folder / "meta.json").read_text())["format"]
    key = progress_key(hashed)
    try:
        read_into(folder, format_name, user, lambda records: cache.set(key, records, 3600))
    except ImportRefused:
        return "refused"
    except Exception:
        logger.exception("reading an upload for its preview failed")
        _write(folder, REFUSED, {"error": str(FAILED)})
        return "failed"
    finally:
        (folder / READING).unlink(missing_ok=True)
        cache.delete(key)
    return "read"
