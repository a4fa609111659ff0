"""The conventions of the person's place, beyond the words: date order, the first day of the week, units.

The language (``translation.get_language()``) says which words; the *region* says the rest: an English
reader in the United States writes "Dec 5, 2026", starts the week on Sunday and reads °F; one in Britain
or Ireland writes "5 Dec 2026", starts on Monday and reads °C. The region comes from the browser's
Accept-Language ("en-US"), else from the person's time zone (America/Chicago is in the US), else it is
unknown and the language's own conventions apply (es and de: Monday, metric; en: Monday, metric).

Like Django's language and time zone, the conventions are *activated* per request
(``fibrotrack.lib.middleware.ConventionsMiddleware``) and read anywhere with ``current()``; code that
runs outside a request for one person (a PDF, an e-mail) wraps itself in ``override_for(user)``.

Only what is shown changes: stored values stay SI (°C, mm, kg) and dates stay ISO in URLs and exports.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.utils import formats, translation
from django.utils.dates import WEEKDAYS
from django.utils.translation import pgettext_lazy
from django.utils.translation.trans_real import parse_accept_lang_header

METRIC, US = "metric", "us"
# Where everyday units are Fahrenheit, pounds and inches (CLDR's measurementSystem "US").
US_UNIT_REGIONS = frozenset({"US", "LR", "MM", "PR", "GU", "VI", "AS", "MP", "UM"})
# Regions whose English dates are written month first: their own format module (config/formats/en_US).
MONTH_FIRST_ENGLISH = frozenset({"US", "PR", "GU", "VI", "AS", "MP", "UM"})


@dataclass(frozen=True)
class Conventions:
    region: str = ""  # ISO 3166 country code, upper case; "" when unknown
    units: str = ""  # the person's own choice, METRIC or US; "" to follow the region

    @property
    def system(self) -> str:
        """METRIC or US: the person's choice, else the usual one in their region (metric when unknown)."""
        if self.units in (METRIC, US):
            return self.units
        return US if self.region in US_UNIT_REGIONS else METRIC


_current: ContextVar[Conventions] = ContextVar("fibrotrack_conventions", default=Conventions())  # noqa: B039


def current() -> Conventions:
    return _current.get()


def activate(conventions: Conventions) -> Any:
    """Returns a token for ``deactivate``."""
    return _current.set(conventions)


def deactivate(token: Any) -> None:
    _current.reset(token)


@contextmanager
def override(conventions: Conventions) -> Iterator[None]:
    token = activate(conventions)
    try:
        yield
    finally:
        deactivate(token)


# --- Where the person is ---------------------------------------------------------------------------


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


# Old names that zone.tab does not list.
_OLD_ZONE_PREFIXES = {"US/": "US", "Canada/": "CA", "Mexico/": "MX", "Chile/": "CL", "Brazil/": "BR"}


def region_for_time_zone(time_zone: str) -> str:
    """The country of a time zone ("" for UTC and zones that span no single country)."""
    for prefix, country in _OLD_ZONE_PREFIXES.items():
        if time_zone.startswith(prefix):
            return country
    return _countries().get(time_zone, "")


def region_from_accept_language(header: str) -> str:
    """The region of the browser's first language that names one ("de-AT,de;q=0.9" -> "AT")."""
    for tag, _quality in parse_accept_lang_header(header or ""):
        parts = tag.replace("_", "-").split("-")
        # "zh-Hant-TW": the region is the two-letter (or three-digit) part after the language.
        for part in parts[1:]:
            if len(part) == 2 and part.isalpha():
                return part.upper()
    return ""


def conventions_for(user: Any, accept_language: str = "") -> Conventions:
    """The conventions for a person (signed in or not) and their browser's Accept-Language, if any."""
    region = region_from_accept_language(accept_language)
    if not region and user is not None and getattr(user, "is_authenticated", False):
        region = region_for_time_zone(str(getattr(user, "time_zone", "") or ""))
    units = getattr(user, "units", "") if user is not None and getattr(user, "is_authenticated", False) else ""
    return Conventions(region=region, units=units or "")


@contextmanager
def override_for(user: Any) -> Iterator[None]:
    """A person's language and conventions outside a request (an e-mail to them, a background job).

    No browser here: the region comes from their time zone, and the language is their own setting when
    it is on offer (else the one active, as for a request).
    """
    language = str(getattr(user, "language", "") or "")
    if language not in settings.FIBROTRACK_LANGUAGES_OFFERED:
        language = translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language), override(conventions_for(user)):
        yield


# --- Dates -----------------------------------------------------------------------------------------


def format_language() -> str:
    """The language whose format module applies: "en-us" for English in a month-first region."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language.split("-")[0] == "en" and current().region in MONTH_FIRST_ENGLISH:
        return "en-us"
    return language


@functools.cache
def _patterns(language: str) -> dict[str, str]:
    for module in formats.get_format_modules(language):
        found = getattr(module, "FIBROTRACK_DATES", None)
        if found is not None:
            return dict(found)
    return {}


def date_pattern(pattern: str | None) -> str:
    """The active locale's Django date format for one of the project's patterns, or a named format."""
    language = format_language()
    if not pattern:
        pattern = "DATE_FORMAT"
    if pattern in formats.FORMAT_SETTINGS:
        return str(formats.get_format(pattern, lang=language))
    return _patterns(language).get(pattern, pattern)


def format_date(value: dt.date | dt.datetime, pattern: str | None = None) -> str:
    """``value`` in the person's words and order: Python's ``f"{day:%-d %b %Y}"`` writes English only."""
    from django.utils.dateformat import format as django_format

    return django_format(value, date_pattern(pattern))


def first_weekday() -> int:
    """The first day of the week, as Python counts (0 = Monday … 6 = Sunday), for calendars and weeks.

    The region's (CLDR's, through Babel) when known; else the language's format module (Monday for
    en, es and de).
    """
    region = current().region
    if region:
        try:
            return int(Locale.parse(f"und_{region}").first_week_day)
        except (UnknownLocaleError, ValueError):
            pass
    django_first = int(formats.get_format("FIRST_DAY_OF_WEEK", lang=format_language()))  # 0 = Sunday
    return (django_first - 1) % 7


def week_start(day: dt.date) -> dt.date:
    """The first day of the (locale's) week that holds ``day``."""
    return day - dt.timedelta(days=(day.weekday() - first_weekday()) % 7)


# --- Units -------------------------------------------------------------------------------------------


def _number(value: float, decimals: int) -> str:
    return str(formats.number_format(round(value, decimals), decimals, use_l10n=True))


def temperature(celsius: float | None, decimals: int = 1) -> str:
    """A temperature stored in °C, shown in the person's unit ("21,5 °C", "70.7 °F": °F to a tenth)."""
    if celsius is None:
        return "—"
    if current().system == US:
        return f"{_number(float(celsius) * 9 / 5 + 32, 1)} °F"
    return f"{_number(float(celsius), decimals)} °C"


def precipitation(mm: float | None) -> str:
    """Rain and snow stored in mm, shown in mm or inches."""
    if mm is None:
        return "—"
    if current().system == US:
        return f"{_number(float(mm) / 25.4, 2)} in"
    return f"{_number(float(mm), 1)} mm"


def weight(kg: float | None) -> str:
    """A weight stored in kg, shown in kg or lb."""
    if kg is None:
        return "—"
    if current().system == US:
        return f"{_number(float(kg) / 0.45359237, 1)} lb"
    return f"{_number(float(kg), 1)} kg"


# A calendar's column headings: one letter each, and the full name for screen readers (abbr).
# Each initial has its own context: "T" is Tuesday and Thursday in English but not in Spanish (M, J).
_INITIALS = (
    pgettext_lazy("initial of Monday", "M"),
    pgettext_lazy("initial of Tuesday", "T"),
    pgettext_lazy("initial of Wednesday", "W"),
    pgettext_lazy("initial of Thursday", "T"),
    pgettext_lazy("initial of Friday", "F"),
    pgettext_lazy("initial of Saturday", "S"),
    pgettext_lazy("initial of Sunday", "S"),
)


def weekday_headings() -> list[tuple[str, str]]:
    """(initial, full name) for the seven days, from the locale's first day of the week."""
    first = first_weekday()
    return [(str(_INITIALS[(first + i) % 7]), str(WEEKDAYS[(first + i) % 7])) for i in range(7)]
