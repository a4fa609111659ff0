"""The paper size a person prints on: their setting, or else the usual one where they live.

The rule for "automatic": US Letter if the person's time zone is in a country
where Letter is the usual paper (the United States, Canada, Mexico, the
Philippines, Chile, Colombia, Venezuela and Central America's Letter countries),
A4 everywhere else. The time zone's country comes from the time-zone
database's ``zone.tab``. The browser's language is deliberately not used: a
German reader with an English (United States) browser still prints on A4.
"""

from __future__ import annotations

import functools
import zoneinfo
from importlib import resources
from pathlib import Path
from typing import Any

A4, LETTER = "a4", "letter"
LETTER_COUNTRIES = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "CR", "GT", "PA", "PR", "SV", "DO", "NI"})
# Old names that zone.tab does not list; they all belong to Letter countries.
LETTER_PREFIXES = ("US/", "Canada/", "Mexico/", "Chile/")


def _zone_tab() -> str:
    for folder in zoneinfo.TZPATH:
        path = Path(folder) / "zone.tab"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    try:
        return resources.files("tzdata").joinpath("zoneinfo/zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return ""


@functools.cache
def _countries() -> dict[str, str]:
    """Time zone -> ISO country code, from zone.tab ("US<tab>+404251-0740023<tab>America/New_York")."""
    found = {}
    for line in _zone_tab().splitlines():
        fields = line.split("\t")
        if len(fields) >= 3 and not line.startswith("#"):
            found[fields[2]] = fields[0]
    return found


def paper_for_time_zone(time_zone: str) -> str:
    if time_zone.startswith(LETTER_PREFIXES):
        return LETTER
    return LETTER if _countries().get(time_zone) in LETTER_COUNTRIES else A4


def paper_size_for(user: Any) -> str:
    """``"a4"`` or ``"letter"``: the person's choice, or the usual size in their time zone."""
    chosen = getattr(user, "paper_size", "")
    if chosen in {A4, LETTER}:
        return str(chosen)
    return paper_for_time_zone(str(getattr(user, "time_zone", "") or "UTC"))
