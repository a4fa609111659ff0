"""The paper size a person prints on: their setting, or else the usual one where they live.

The rule for "automatic" (issue 21): US Letter if the person's time zone is in the United States or
Canada, A4 everywhere else. The time zone's country comes from the time-zone database's ``zone.tab``
(``fibrotrack.lib.l10n``). The browser's language is deliberately not used: a German reader with an
English (United States) browser still prints on A4.
"""

from __future__ import annotations

from typing import Any

from fibrotrack.lib.l10n import region_for_time_zone

A4, LETTER = "a4", "letter"
LETTER_COUNTRIES = frozenset({"US", "CA"})


def paper_for_time_zone(time_zone: str) -> str:
    return LETTER if region_for_time_zone(time_zone) in LETTER_COUNTRIES else A4


def paper_size_for(user: Any) -> str:
    """``"a4"`` or ``"letter"``: the person's choice, or the usual size in their time zone."""
    chosen = getattr(user, "paper_size", "")
    if chosen in {A4, LETTER}:
        return str(chosen)
    return paper_for_time_zone(str(getattr(user, "time_zone", "") or "UTC"))
