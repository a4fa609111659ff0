"""The weather setting in the person's data export: the 0.1° cell they chose, or null when weather is off.

Only the setting travels: the weather itself is public data, shared by the
cell, and is fetched again after an import. Imported coordinates go through
the same rounding and checks as the settings page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fibrotrack.weather.access import get_location_for_user
from fibrotrack.weather.actions import WeatherDisabled, do_set_location
from fibrotrack.weather.cells import BadCoordinates

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User


class WeatherRecordError(ValueError):
    pass


def export_location(user: User) -> dict[str, Any] | None:
    location = get_location_for_user(user)
    if location is None:
        return None
    return {
        "latitude": round(location.cell.latitude, 1),
        "longitude": round(location.cell.longitude, 1),
        "precision_degrees": 0.1,
        "since": location.created_at.isoformat(),
    }


def import_location(user: User, record: Any, context: dict[str, Any]) -> int:
    """Turn weather on for the imported cell (unless it is already on, or weather is off for this site)."""
    if record is None or get_location_for_user(user) is not None:
        return 0
    if not isinstance(record, dict):
        raise WeatherRecordError("weather should be an object with latitude and longitude, or null")
    try:
        do_set_location(user, record.get("latitude"), record.get("longitude"))
    except BadCoordinates as error:
        raise WeatherRecordError(str(error)) from None
    except WeatherDisabled:
        return 0
    return 1
