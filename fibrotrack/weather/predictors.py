"""Weather as predictors for the insights ("what goes with bad days"), each with its plain-words description.

``reports/associations.py`` adds one 0/1 column per predictor to the frame it
hands fibrostats, on the diary days whose weather is known. The description
finishes the sentence "… on days when …", so the insight can say what was
compared without knowing anything about weather.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from fibrotrack.weather.access import DayWeather

# The thresholds are written into the (translatable) words too: access.PRESSURE_DROP_HPA and this.
WET_DAY_MM = 1.0  # the usual meteorological threshold for a "wet day"


@dataclass(frozen=True)
class WeatherPredictor:
    key: str  # the column name in the insights' frame
    label: str | Promise  # short, for a list or a table
    description: str | Promise  # completes "on days when …"
    value: Callable[[DayWeather], float | None]  # 1.0, 0.0 or None (unknown)


def _pressure_fell(w: DayWeather) -> float | None:
    return None if w.pressure_fell is None else float(w.pressure_fell)


def _wet(w: DayWeather) -> float | None:
    return None if w.precipitation is None else float(w.precipitation >= WET_DAY_MM)


PREDICTORS: tuple[WeatherPredictor, ...] = (
    WeatherPredictor(
        "weather_pressure_fell",
        _("Air pressure fell by 5 hPa or more"),
        _("air pressure fell by 5 hPa or more since the day before"),
        _pressure_fell,
    ),
    WeatherPredictor(
        "weather_wet_day",
        _("Rain or snow (1 mm or more)"),
        _("it rained or snowed at least 1 mm where you live"),
        _wet,
    ),
)
