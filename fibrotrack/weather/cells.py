"""Turning what a person typed into a 0.1° cell, or a clear refusal."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _


class BadCoordinates(ValueError):
    """The message is for the person: plain words, what to type instead."""


def _number(raw: object, what: str) -> float:
    if isinstance(raw, bool):
        raise BadCoordinates(_("The %(what)s must be a number, like 53.8.") % {"what": what})
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = str(raw).strip().replace(",", ".") if raw is not None else ""
        try:
            value = float(Decimal(text))
        except (InvalidOperation, ValueError):
            raise BadCoordinates(_("The %(what)s must be a number, like 53.8.") % {"what": what}) from None
    if not math.isfinite(value):
        raise BadCoordinates(_("The %(what)s must be a number, like 53.8.") % {"what": what})
    return value


def _tenths(value: float) -> int:
    # Decimal of the shortest repr, so 53.85 rounds to 53.9 as written, not as its binary neighbour.
    return int(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) * 10)


def to_cell(latitude: object, longitude: object) -> tuple[int, int]:
    """(lat10, lon10) for a latitude and longitude in degrees; raises BadCoordinates."""
    lat = _number(latitude, _("latitude"))
    lon = _number(longitude, _("longitude"))
    if not -90 <= lat <= 90:
        raise BadCoordinates(_("The latitude must be between -90 (South Pole) and 90 (North Pole)."))
    if not -180 <= lon <= 180:
        raise BadCoordinates(_("The longitude must be between -180 and 180."))
    lat10, lon10 = _tenths(lat), _tenths(lon)
    if lon10 == 1800:  # 180°E and 180°W are the same meridian
        lon10 = -1800
    return lat10, lon10
