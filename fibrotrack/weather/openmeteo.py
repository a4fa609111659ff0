"""What FibroTrack asks Open-Meteo and how it reads the answer.

Variables (Open-Meteo's documentation, https://open-meteo.com/en/docs and
/en/docs/historical-weather-api): daily ``temperature_2m_mean``,
``relative_humidity_2m_mean`` and ``precipitation_sum``; hourly
``pressure_msl``, averaged here per local calendar day, because the daily
``pressure_msl_mean`` is only an "additional" variable of some APIs. With
``timezone=auto`` every timestamp is local time in the cell's own time zone,
so a day is the date prefix of its hours: 23 hours on the day clocks go
forward, 25 when they go back, and no day ever moves.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation

from fibrotrack.weather import client

DAILY = ("temperature_2m_mean", "relative_humidity_2m_mean", "precipitation_sum")
HOURLY = ("pressure_msl",)
# A day needs most of its hours for a mean pressure worth comparing.
MIN_HOURS = 18


@dataclass(frozen=True)
class DayValues:
    day: dt.date
    pressure_msl: float | None
    pressure_change: float | None
    temperature: float | None
    humidity: float | None
    precipitation: float | None


@dataclass(frozen=True)
class Answer:
    timezone: str
    days: list[DayValues]


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def fetch(lat10: int, lon10: int, start: dt.date, end: dt.date, *, archive: bool) -> Answer:
    """Days ``start``..``end`` of one cell; the day before ``start`` is asked too, for the first change."""
    params = {
        "latitude": f"{lat10 / 10:.1f}",
        "longitude": f"{lon10 / 10:.1f}",
        "daily": ",".join(DAILY),
        "hourly": ",".join(HOURLY),
        "timezone": "auto",
        "start_date": (start - dt.timedelta(days=1)).isoformat(),
        "end_date": end.isoformat(),
    }
    url = settings.WEATHER_ARCHIVE_URL if archive else settings.WEATHER_API_URL
    return parse(client.get_json(url, params), start, end)


def parse(data: dict[str, Any], start: dt.date, end: dt.date) -> Answer:
    """Read Open-Meteo's JSON; raise WeatherUnavailable if it is not in the documented shape."""
    try:
        daily = data["daily"]
        hourly = data["hourly"]
        times = [dt.date.fromisoformat(t) for t in daily["time"]]
        hours = [str(t) for t in hourly["time"]]
        pressures = hourly["pressure_msl"]
        columns = {name: daily.get(name) or [None] * len(times) for name in DAILY}
    except (KeyError, TypeError, ValueError) as error:
        raise client.WeatherUnavailable(f"unexpected answer: {type(error).__name__} {error}") from None
    by_day: dict[dt.date, list[float]] = defaultdict(list)
    for stamp, value in zip(hours, pressures, strict=False):
        number = _num(value)
        if number is not None:
            try:
                by_day[dt.date.fromisoformat(stamp[:10])].append(number)
            except ValueError:
                continue
    mean = {d: sum(v) / len(v) for d, v in by_day.items() if len(v) >= MIN_HOURS}
    out: list[DayValues] = []
    for i, day in enumerate(times):
        if not start <= day <= end:
            continue
        today, before = mean.get(day), mean.get(day - dt.timedelta(days=1))
        change = round(today - before, 2) if today is not None and before is not None else None

        def value(name: str, i: int = i) -> float | None:
            column = columns[name]
            return _num(column[i]) if i < len(column) else None

        out.append(
            DayValues(
                day=day,
                pressure_msl=round(today, 2) if today is not None else None,
                pressure_change=change,
                temperature=value("temperature_2m_mean"),
                humidity=value("relative_humidity_2m_mean"),
                precipitation=value("precipitation_sum"),
            )
        )
    return Answer(timezone=str(data.get("timezone") or ""), days=out)


@dataclass(frozen=True)
class Place:
    name: str
    region: str
    country: str
    lat10: int
    lon10: int

    @property
    def latitude(self) -> str:
        return f"{self.lat10 / 10:.1f}"

    @property
    def longitude(self) -> str:
        return f"{self.lon10 / 10:.1f}"

    @property
    def label(self) -> str:
        return ", ".join(p for p in (self.name, self.region, self.country) if p)


def _language() -> str:
    code = (translation.get_language() or "en").split("-")[0].lower()
    return code if code in {c for c, _ in settings.LANGUAGES} and len(code) == 2 else "en"


def search_places(query: str) -> list[Place]:
    """Open-Meteo's geocoding search; one short attempt (the person is waiting). Coordinates come back rounded."""
    from fibrotrack.weather.cells import BadCoordinates, to_cell

    data = client.get_json(
        settings.WEATHER_GEOCODING_URL,
        # Place and country names in the page's language ("Alemania", "Deutschland"); English otherwise.
        {"name": query, "count": "8", "language": _language(), "format": "json"},
        timeout=min(3, settings.WEATHER_TIMEOUT_SECONDS),
        retries=0,
    )
    places: list[Place] = []
    seen: set[tuple[str, int, int]] = set()
    for item in data.get("results") or []:
        if not isinstance(item, dict):
            continue
        try:
            lat10, lon10 = to_cell(item.get("latitude"), item.get("longitude"))
        except BadCoordinates:
            continue
        place = Place(
            str(item.get("name", "")), str(item.get("admin1", "")), str(item.get("country", "")), lat10, lon10
        )
        key = (place.label, lat10, lon10)
        if key not in seen:
            seen.add(key)
            places.append(place)
    return places
