"""Reads of the weather that goes with one person's diary. Always scoped to that person.

These read only the database, never the provider, so a slow or absent
Open-Meteo never delays a page: days not fetched yet are simply missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Exists, OuterRef

from fibrotrack.weather.models import WeatherDay, WeatherLocation

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User

# "Pressure fell by 5 hPa or more since the day before": the predictor and the chart's band.
PRESSURE_DROP_HPA = 5.0


@dataclass(frozen=True)
class DayWeather:
    pressure_msl: float | None
    pressure_change: float | None
    temperature: float | None
    humidity: float | None
    precipitation: float | None

    @property
    def pressure_fell(self) -> bool | None:
        """True when pressure fell by PRESSURE_DROP_HPA or more since the day before; None if unknown."""
        return None if self.pressure_change is None else self.pressure_change <= -PRESSURE_DROP_HPA


def get_location_for_user(user: User) -> WeatherLocation | None:
    """The person's opt-in with its cell, or None when weather is off for them."""
    return WeatherLocation.objects.select_related("cell").filter(user=user).first()


def weather_series_for_user(user: User, start: dt.date, end: dt.date) -> dict[dt.date, DayWeather]:
    """Day -> weather of the person's cell from ``start`` to ``end``; {} if they have not opted in. One query."""
    if not settings.WEATHER_ENABLED or getattr(user, "pk", None) is None:
        return {}
    rows = WeatherDay.objects.filter(cell__locations__user=user, day__range=(start, end)).values_list(
        "day", "pressure_msl", "pressure_change", "temperature", "humidity", "precipitation"
    )
    return {day: DayWeather(*values) for day, *values in rows}


def weather_pending_for_user(user: User, start: dt.date, end: dt.date) -> bool:
    """True when the person turned weather on but none of these days has been fetched yet. One query.

    The chart says so in a line, rather than showing no band as if the pressure had been steady.
    """
    if not settings.WEATHER_ENABLED or getattr(user, "pk", None) is None:
        return False
    fetched = WeatherDay.objects.filter(cell=OuterRef("cell"), day__range=(start, end))
    found = (
        WeatherLocation.objects.filter(user=user).annotate(fetched=Exists(fetched)).values_list("fetched", flat=True)
    )
    return any(not has for has in found)
