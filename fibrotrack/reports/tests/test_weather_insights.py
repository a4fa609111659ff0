"""The insights include the opt-in weather: falling pressure as a predictor, in plain words."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from fibrotrack.diary.models import CheckIn, SymptomScore
from fibrotrack.lib.series import days
from fibrotrack.lib.testing.factories import make_checkin
from fibrotrack.reports import dashboard
from fibrotrack.weather.models import WeatherCell, WeatherDay, WeatherLocation


def _diary_with_weather(owner, start, end, *, pain_follows_pressure, seed=3):
    rng = random.Random(seed)
    cell = WeatherCell.objects.create(lat10=538, lon10=-15, timezone="Europe/London")
    WeatherLocation.objects.create(user=owner, cell=cell)
    for day in days(start, end):
        change = rng.choice([-7.0, -1.0, 0.5, 2.0, 3.0])
        rain = rng.choice([0.0, 0.0, 4.0])
        WeatherDay.objects.create(
            cell=cell, day=day, pressure_change=change, precipitation=rain, source="archive", fetched_at=timezone.now()
        )
        pain = 4 + (3 if pain_follows_pressure and change <= -5 else 0) + rng.choice([-1, 0, 0, 1])
        make_checkin(owner, day, pain=pain)


def _rows(owner, start, end):
    ctx = dashboard.build(owner, start, end, include={"associations"})
    return ctx["associations"]


def test_pain_on_days_when_pressure_fell_is_found_and_said_plainly(owner, today):
    start = today - dt.timedelta(days=89)
    _diary_with_weather(owner, start, today, pain_follows_pressure=True)
    result = _rows(owner, start, today)
    same_day = next(r for r in result["rows"] if r.predictor == "Air pressure fell by 5 hPa or more" and r.lag == 0)
    assert same_day.significant and same_day.ci_low > 1.5
    assert "on days when air pressure fell by 5 hPa or more since the day before" in same_day.sentence
    rain = next(r for r in result["rows"] if r.predictor.startswith("Rain or snow") and r.lag == 0)
    assert not rain.significant


def test_without_a_relation_the_weather_is_tested_and_not_flagged(owner, today):
    start = today - dt.timedelta(days=89)
    _diary_with_weather(owner, start, today, pain_follows_pressure=False)
    rows = [r for r in _rows(owner, start, today)["rows"] if r.predictor.startswith("Air pressure")]
    assert rows and all(r.tested and not r.significant for r in rows)


def test_without_weather_turned_on_there_is_no_weather_predictor(owner, today):
    start = today - dt.timedelta(days=59)
    for i, day in enumerate(days(start, today)):
        make_checkin(owner, day, pain=3 + i % 4, hours_slept=5 + i % 3)
    rows = _rows(owner, start, today)["rows"]
    assert rows and not [r for r in rows if r.predictor.startswith(("Air pressure", "Rain"))]


def test_a_stranger_in_the_same_cell_never_gets_my_diary_only_the_shared_weather(owner, stranger, today):
    start = today - dt.timedelta(days=29)
    _diary_with_weather(owner, start, today, pain_follows_pressure=True)
    WeatherLocation.objects.create(user=stranger, cell=WeatherCell.objects.get())
    data = dashboard.load_diary(stranger, start, today)
    assert len(data.weather) == 30 and not data.logged_days
    assert not CheckIn.objects.filter(user=stranger).exists() and SymptomScore.objects.exists()
