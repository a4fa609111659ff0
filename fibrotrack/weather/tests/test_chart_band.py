"""The progress chart's light band over runs of days when air pressure fell sharply."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from fibrotrack.lib import charts
from fibrotrack.lib.testing.factories import make_checkin
from fibrotrack.weather.models import WeatherCell, WeatherDay, WeatherLocation
from fibrotrack.weather.pressure_bands import provider

D = dt.date


def _weather(user: Any, changes: dict[dt.date, float | None]) -> None:
    cell, _ = WeatherCell.objects.get_or_create(lat10=538, lon10=-15)
    WeatherLocation.objects.get_or_create(user=user, defaults={"cell": cell})
    for day, change in changes.items():
        WeatherDay.objects.create(
            cell=cell, day=day, pressure_change=change, source="archive", fetched_at=timezone.now()
        )


def test_runs_of_falling_pressure_become_one_band_each(owner):
    _weather(
        owner,
        {
            D(2024, 3, 1): -6.0,
            D(2024, 3, 2): -5.0,
            D(2024, 3, 3): -4.9,
            D(2024, 3, 4): None,
            D(2024, 3, 5): -8.0,
            D(2024, 3, 7): -5.5,
        },
    )
    bands = provider(owner, D(2024, 3, 1), D(2024, 3, 31))
    assert [(b.start, b.end) for b in bands if isinstance(b, charts.Band)] == [
        (D(2024, 3, 1), D(2024, 3, 2)),
        (D(2024, 3, 5), D(2024, 3, 5)),
        (D(2024, 3, 7), D(2024, 3, 7)),
    ]
    assert all("Air pressure fell 5 hPa or more" in b.label for b in bands)
    assert all(isinstance(b, charts.Band) and b.kind == charts.CONTEXT and b.short == "Pressure fell" for b in bands)


def test_no_band_for_someone_without_weather_or_for_their_neighbours_diary(owner, stranger):
    _weather(owner, {D(2024, 3, 1): -9.0})
    assert provider(stranger, D(2024, 3, 1), D(2024, 3, 31)) == []


def test_the_band_shows_on_the_progress_chart(owner, owner_client):
    today = timezone.localdate()
    make_checkin(owner, today - dt.timedelta(days=3), pain=6)
    _weather(owner, {today - dt.timedelta(days=3): -7.0})
    page = owner_client.get(reverse("reports:details")).content.decode()
    assert "Air pressure fell 5 hPa or more since the day before" in page
    # Light context behind the lines, named once, and its day in the list under the charts.
    assert "chart-band chart-band-context" in page and "chart-band-treatment" not in page
    assert ">Pressure fell<" in page
    day = today - dt.timedelta(days=3)
    assert f"<li>{day.day} {day:%b %Y}: Air pressure fell" in page
