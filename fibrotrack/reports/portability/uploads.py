"""Uploaded files waiting between the preview and the person's confirmation.

Each upload lives in ``VAR_DIR/imports/<user id>/<random token>/`` with a small
``meta.json``. Only the uploader can reach it: the view looks the token up in
that person's own folder *and* in their session. It is deleted once applied or
cancelled, and anything older than a day is swept away on the next upload.
Nothing is written to the diary until the person confirms.
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
        try:
            if now - folder.stat().st_mtime > MAX_AGE_SECONDS:
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
