"""Opening uploaded CSV files: UTF-8 (with or without a byte-order mark), streamed line by line."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from fibrotrack.portability.imports.base import ImportRefused

csv.field_size_limit(1_000_000)  # a long note is fine; a runaway quote is caught as a bad row below


def rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells); the header is row 1. Raises ImportRefused for a file that is not text.

    Rows are counted as a spreadsheet shows them: a note with line breaks inside
    quotes is still one row (``reader.line_num`` would count its lines).
    """
    with open(path, encoding="utf-8-sig", errors="strict", newline="") as handle:
        reader = csv.reader(handle)
        number = 0
        try:
            for number, cells in enumerate(reader, start=1):  # noqa: B007  (used after the loop on error)
                yield number, cells
        except UnicodeDecodeError:
            raise ImportRefused(_("This file is not UTF-8 text. Save it as CSV (UTF-8) and try again.")) from None
        except csv.Error as error:
            raise ImportRefused(
                _("Row {number} cannot be read as CSV: {error}").format(number=number + 1, error=error)
            ) from None


def sniff_text(path: Path) -> str:
    with open(path, "rb") as handle:
        head = handle.read(4096)
    try:
        return io.TextIOWrapper(io.BytesIO(head), encoding="utf-8-sig").read()
    except UnicodeDecodeError:
        return ""
