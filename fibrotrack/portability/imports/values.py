"""Small, total parsers for imported text: dates, Flaredown ratings and free-text doses.

They never raise anything but ``ValueError`` (with a sentence for the person),
which the readers turn into "row N: reason". Hypothesis tests feed them garbage.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

EARLIEST = dt.date(1990, 1, 1)  # as the diary itself (diary.forms.EARLIEST_DAY)

# Flaredown rates conditions and symptoms 0-4 (none, mild, moderate, severe,
# extreme). FibroTrack uses 0-10: multiply by 2.5 and round halves up.
FLAREDOWN_TO_TEN: dict[int, int] = {0: 0, 1: 3, 2: 5, 3: 8, 4: 10}

_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z ]*(?:UTC)?)?\s*$")


def parse_day(text: str, today: dt.date) -> dt.date:
    """An ISO date (a time after it is ignored), not in the future and not before 1990."""
    match = _DATE.match(text or "")
    if not match:
        raise ValueError(_("“{text}” is not a date like 2017-04-25").format(text=_short(text)))
    try:
        day = dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueError(_("“{text}” is not a real date").format(text=_short(text))) from None
    if day > today:
        raise ValueError(_("{day} is in the future").format(day=day))
    if day < EARLIEST:
        raise ValueError(_("{day} is before {year}").format(day=day, year=EARLIEST.year))
    return day


def parse_rating(text: str) -> int | None:
    """A Flaredown 0-4 rating; None when empty (not rated that day)."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("“{text}” is not a rating from 0 to 4").format(text=_short(text))) from None
    if not number.is_finite() or number != number.to_integral_value() or not 0 <= number <= 4:
        raise ValueError(_("“{text}” is not a rating from 0 to 4").format(text=_short(text)))
    return int(number)


def to_ten(rating: int) -> int:
    return FLAREDOWN_TO_TEN[rating]


@dataclass(frozen=True)
class Dose:
    amount: Decimal | None  # None: not understood, ``text`` keeps what was written
    unit: str
    text: str


_DOSE = re.compile(r"^\s*(\d{1,6}(?:[.,]\d+)?)\s*([a-zA-Zµμ]+)\.?\s*$")
_UNITS: dict[str, tuple[str, Decimal]] = {
    "mg": ("mg", Decimal(1)),
    "milligram": ("mg", Decimal(1)),
    "milligrams": ("mg", Decimal(1)),
    "g": ("mg", Decimal(1000)),
    "gram": ("mg", Decimal(1000)),
    "grams": ("mg", Decimal(1000)),
    "mcg": ("mcg", Decimal(1)),
    "µg": ("mcg", Decimal(1)),  # the micro sign; casefold() turns it into the Greek mu below
    "μg": ("mcg", Decimal(1)),
    "ug": ("mcg", Decimal(1)),
    "iu": ("IU", Decimal(1)),
    "ml": ("ml", Decimal(1)),
    "drop": ("drops", Decimal(1)),
    "drops": ("drops", Decimal(1)),
    "min": ("minutes", Decimal(1)),
    "mins": ("minutes", Decimal(1)),
    "minute": ("minutes", Decimal(1)),
    "minutes": ("minutes", Decimal(1)),
    "session": ("sessions", Decimal(1)),
    "sessions": ("sessions", Decimal(1)),
}
MAX_AMOUNT = Decimal("999999.999")


def parse_dose(text: str) -> Dose:
    """ "8.0 mg" -> 8 mg; "0.5 g" -> 500 mg; anything else keeps its text (amount None).

    A bare number ("1") is kept as text too: it may count pills, not milligrams.
    """
    raw = (text or "").strip()
    match = _DOSE.match(raw)
    if match:
        unit = _UNITS.get(match[2].casefold())
        if unit is not None:
            amount = Decimal(match[1].replace(",", ".")) * unit[1]
            exact = amount.quantize(Decimal("0.001"))
            if amount > 0 and exact == amount and exact <= MAX_AMOUNT:
                return Dose(exact, unit[0], raw)
    return Dose(None, "", raw)


def _short(text: str | None, limit: int = 40) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"
