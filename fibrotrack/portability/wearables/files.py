"""Opening an uploaded export: a zip or a bare file, read as a stream, refused clearly when damaged.

A zip member is decompressed as it is read, never whole; ``Counted`` stops a
member that inflates beyond ``MAX_INFLATED`` (a zip bomb) and tells the import
how far it is.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

from fibrotrack.portability.imports.base import ImportRefused

ZIP_MAGIC = b"PK\x03\x04"
MAX_INFLATED = 64 * 1024**3  # far beyond any real export; a bomb stops here
CHUNK = 1 << 20
# What a damaged or truncated zip raises while its members are read: its own errors, and those of offsets
# and sizes that point nowhere (a seek before the start is an OSError, a bad header field a ValueError).
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, zipfile.LargeZipFile, NotImplementedError, OSError, ValueError)


def damaged() -> ImportRefused:
    return ImportRefused(
        _(
            "This zip file is incomplete or damaged, so nothing was imported. Was the download finished? "
            "Export it again from the app, or unzip it on your computer and upload the file inside."
        )
    )


def is_zip(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(4) == ZIP_MAGIC


@contextmanager
def open_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    try:
        with zipfile.ZipFile(path) as archive:
            yield archive
    except DAMAGED:
        raise damaged() from None


def inflated_size(path: Path) -> int:
    """The bytes there are to read: a zip's members as its directory declares them (zipfile never reads
    a member past its declared size), or the file's own size. A damaged zip counts as its own size; reading
    it then refuses it."""
    size = path.stat().st_size
    if not is_zip(path):
        return size
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(member.file_size for member in archive.infolist())
    except DAMAGED:
        return size


class Counted:
    """A binary stream read in chunks, with the bytes so far; refuses past ``limit``."""

    def __init__(self, stream: IO[bytes], limit: int = MAX_INFLATED) -> None:
        self.stream, self.limit, self.bytes = stream, limit, 0

    def chunks(self, on_chunk: Callable[[int], None] | None = None) -> Iterator[bytes]:
        while True:
            try:
                chunk = self.stream.read(CHUNK)
            except DAMAGED:
                raise damaged() from None
            if not chunk:
                return
            self.bytes += len(chunk)
            if self.bytes > self.limit:
                raise ImportRefused(_("This file unpacks to far more data than any export holds: it was refused."))
            if on_chunk is not None:
                on_chunk(self.bytes)
            yield chunk

    def read_all(self, limit: int) -> bytes:
        """A small member whole (a Fitbit month, a Google Fit table), refused past ``limit`` bytes."""
        parts, size = [], 0
        for chunk in self.chunks():
            size += len(chunk)
            if size > limit:
                raise ImportRefused(_("A file inside this export is far larger than expected: it was refused."))
            parts.append(chunk)
        return b"".join(parts)
