"""Uploaded files waiting between the preview and the person's confirmation.

Each upload lives in ``VAR_DIR/imports/<user id>/<random token>/`` with a small
``meta.json``. Only the uploader can reach it: the view looks the token up in
that person's own folder *and* in their session. It is deleted once applied or
cancelled, and anything older than a day is swept away on the next upload.
Nothing is written to the diary until the person confirms.

Confirming hands the upload over to the background import (``hand_over``): the
folder becomes ``VAR_DIR/imports/<user id>/job-<ImportJob id>/``, out of the
preview's reach, and the worker deletes it once it has read it. A job folder
that no worker took up is swept after a week. The worker must see the same
``VAR_DIR`` as the web servers.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404

MAX_AGE_SECONDS = 24 * 3600
JOB_MAX_AGE_SECONDS = 7 * 24 * 3600  # a queued import waits this long for a worker
JOB_PREFIX = "job-"
SESSION_KEY = "data_imports"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass
class PendingImport:
    token: str
    format: str
    name: str
    size: int
    sha256: str
    weather: str = "note"
    source_user: str | None = None
    created: float = 0.0
    folder: Path | None = None

    @property
    def path(self) -> Path:
        assert self.folder is not None  # noqa: S101
        return self.folder / "upload"


def root() -> Path:
    return Path(settings.VAR_DIR) / "imports"


def _folder(user_id: int, token: str) -> Path:
    return root() / str(int(user_id)) / token


def sweep(now: float | None = None) -> int:
    """Delete uploads older than a day (anyone's); returns how many."""
    now = now if now is not None else time.time()
    removed = 0
    if not root().is_dir():
        return 0
    for folder in root().glob("*/*"):
        limit = JOB_MAX_AGE_SECONDS if folder.name.startswith(JOB_PREFIX) else MAX_AGE_SECONDS
        try:
            if now - folder.stat().st_mtime > limit:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def save(
    request: Any, upload: UploadedFile[Any], format_name: str, weather: str, source_user: str | None
) -> PendingImport:
    sweep()
    token = secrets.token_urlsafe(24)
    folder = _folder(request.user.pk, token)
    folder.mkdir(parents=True, mode=0o700)
    digest = hashlib.sha256()
    temporary = getattr(upload, "temporary_file_path", None)
    if temporary is not None:
        # A large upload is already on disk (Django's temporary-file handler streamed it there):
        # hash it in chunks and move it rather than copy gigabytes (a watch's export).
        with open(temporary(), "rb") as source:
            for chunk in iter(lambda: source.read(1 << 20), b""):
                digest.update(chunk)
        shutil.move(temporary(), folder / "upload")
    else:
        with open(folder / "upload", "wb") as handle:
            for chunk in upload.chunks():
                digest.update(chunk)
                handle.write(chunk)
    pending = PendingImport(
        token=token,
        format=format_name,
        name=(upload.name or "upload")[:120],
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        weather=weather,
        source_user=source_user or None,
        created=time.time(),
    )
    meta = {k: v for k, v in asdict(pending).items() if k != "folder"}
    (folder / "meta.json").write_text(json.dumps(meta))
    request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, [])[-9:], token]
    pending.folder = folder
    return pending


def get_pending_for_user(request: Any, token: str) -> PendingImport:
    """The person's own pending upload, or 404 (someone else's token is indistinguishable from none)."""
    if not _TOKEN.match(token) or token not in request.session.get(SESSION_KEY, []):
        raise Http404("No such import")
    folder = _folder(request.user.pk, token)
    try:
        meta = json.loads((folder / "meta.json").read_text())
    except (FileNotFoundError, ValueError):
        raise Http404("No such import") from None
    if time.time() - meta.get("created", 0) > MAX_AGE_SECONDS:
        discard(request, token)
        raise Http404("This upload has expired")
    pending = PendingImport(**meta)
    pending.folder = folder
    if _sha256(pending.path) != pending.sha256:
        raise Http404("This upload has changed")
    return pending


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def discard(request: Any, token: str) -> None:
    if _TOKEN.match(token):
        shutil.rmtree(_folder(request.user.pk, token), ignore_errors=True)
    request.session[SESSION_KEY] = [t for t in request.session.get(SESSION_KEY, []) if t != token]


def job_folder(user_id: int, job_id: int) -> Path:
    return root() / str(int(user_id)) / f"{JOB_PREFIX}{int(job_id)}"


def hand_over(pending: PendingImport, user_id: int, job_id: int) -> Path:
    """Move a confirmed upload to its import job's folder: its preview and confirm pages 404 from now on."""
    assert pending.folder is not None  # noqa: S101
    target = job_folder(user_id, job_id)
    pending.folder.rename(target)
    pending.folder = target
    return target / "upload"


def forget(request: Any, token: str) -> None:
    request.session[SESSION_KEY] = [t for t in request.session.get(SESSION_KEY, []) if t != token]


def job_file(user_id: int, job_id: int, sha256: str) -> Path | None:
    """The upload an import job reads, or None when it is gone (swept) or not the file that was previewed."""
    path = job_folder(user_id, job_id) / "upload"
    if not path.is_file() or _sha256(path) != sha256:
        return None
    return path


def discard_job(user_id: int, job_id: int) -> None:
    shutil.rmtree(job_folder(user_id, job_id), ignore_errors=True)


def discard_all(user_id: int) -> None:
    """Every upload of one person, waiting or queued, with what was read from it (a deleted account)."""
    shutil.rmtree(root() / str(int(user_id)), ignore_errors=True)
