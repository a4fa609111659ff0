"""FibroTrack's own JSON export, read back (see ``export_json`` and docs/data-formats.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from fibrotrack.accounts.models import User
from fibrotrack.portability.imports.base import SAVING, ImportRefused, Options, Preview, Progress, Result
from fibrotrack.portability.imports.document import apply_document, check_document, preview_document


def load(path: Path) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            document = json.load(handle)
    except UnicodeDecodeError:
        raise ImportRefused(_("This file is not UTF-8 text.")) from None
    except json.JSONDecodeError as error:
        raise ImportRefused(
            _("This is not valid JSON (line {line}, column {column}: {error}).").format(
                line=error.lineno, column=error.colno, error=error.msg
            )
        ) from None
    check_document(document)
    return document  # type: ignore[no-any-return]


def preview(path: Path, user: User, options: Options) -> Preview:
    return preview_document(user, load(path), "fibrotrack-json")


def apply(path: Path, user: User, options: Options, progress: Progress | None = None) -> Result:
    document = load(path)
    if progress is not None:
        progress(SAVING, 0, None)
    return apply_document(user, document)
