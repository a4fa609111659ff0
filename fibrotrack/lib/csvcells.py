"""CSV cells that a spreadsheet will not run as formulas (OWASP "CSV injection").

Excel, LibreOffice and Google Sheets treat a cell starting with ``=``, ``+``,
``-`` or ``@`` (and, in some versions, a tab or carriage return before one) as
a formula, so a note such as ``=HYPERLINK("http://evil", "click")`` written
as it is would run in whoever opens the export. Such a cell gets a leading
single quote, which spreadsheets show as text. Plain numbers (``-3``,
``-0.5``) are left alone so they stay numbers.

The quoting is reversible, so our own CSV reads back exactly: a cell is
quoted when it is any run of quotes followed by a trigger character, and
:func:`restore` removes one quote from exactly those cells. Text that merely
starts with a quote (``'tis``) is never changed either way.
"""

from __future__ import annotations

import re

TRIGGERS = "=+-@\t\r"
_QUOTED = re.compile(r"'*[=+\-@\t\r]")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def neutralise(cell: str) -> str:
    if _QUOTED.match(cell) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    if cell.startswith("'") and _QUOTED.match(cell) and not _NUMBER.fullmatch(cell[1:]):
        return cell[1:]
    return cell
