"""Reading Open-Meteo's documented answers (fixtures/README.md says where each shape comes from)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from fibrotrack.weather import openmeteo
from fibrotrack.weather.client import WeatherUnavailable
from fibrotrack.weather.tests.fakeopenmeteo import FIXTURES, FakeOpenMeteo

D = dt.date


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def test_daily_pressure_is_the_mean_of_the_local_hours_and_its_change_from_the_day_before():
    answer = openmeteo.parse(fixture("forecast_daily_hourly.json"), D(2024, 3, 31), D(2024, 4, 1))
    assert answer.timezone == "Europe/London"
    assert [d.day for d in answer.days] == [D(2024, 3, 31), D(2024, 4, 1)]  # the day before is only for the change
    march31, april1 = answer.days
    # 31 March had 23 local hours (clocks forward); its mean is still its own hours' mean.
    assert march31.pressure_msl == pytest.approx(1012.0, abs=0.05)
    assert march31.pressure_change == pytest.approx(-3.0, abs=0.05)
    assert april1.pressure_change == pytest.approx(-7.0, abs=0.05)
    assert (march31.temperature, march31.humidity, march31.precipitation) == (10.2, 77.0, 1.4)


def test_a_missing_value_stays_missing():
    answer = openmeteo.parse(fixture("forecast_daily_hourly.json"), D(2024, 4, 1), D(2024, 4, 1))
    assert answer.days[0].temperature is None
    assert answer.days[0].precipitation == 12.6


def test_a_day_with_too_few_hours_has_no_pressure_and_no_change():
    data = fixture("forecast_daily_hourly.json")
    for i, stamp in enumerate(data["hourly"]["time"]):
        if stamp.startswith("2024-03-30") and not stamp.endswith(("T00:00", "T01:00")):
            data["hourly"]["pressure_msl"][i] = None
    answer = openmeteo.parse(data, D(2024, 3, 30), D(2024, 3, 31))
    assert answer.days[0].pressure_msl is None
    assert answer.days[1].pressure_msl is not None and answer.days[1].pressure_change is None


@pytest.mark.parametrize(
    "broken", [{}, {"daily": {}, "hourly": {}}, {"daily": {"time": ["x"]}, "hourly": {"time": []}}]
)
def test_an_answer_in_another_shape_is_refused(broken):
    with pytest.raises(WeatherUnavailable):
        openmeteo.parse(broken, D(2024, 1, 1), D(2024, 1, 2))


def test_the_fake_server_answers_in_the_documented_shape():
    made = FakeOpenMeteo().weather(
        {"latitude": "53.8", "longitude": "-1.5", "start_date": "2024-03-30", "end_date": "2024-04-01"}
    )
    documented = fixture("forecast_daily_hourly.json")
    assert made.keys() == documented.keys()
    assert made["hourly"].keys() == documented["hourly"].keys()
    assert made["daily"].keys() == documented["daily"].keys()
    assert made["hourly"]["time"] == documented["hourly"]["time"]  # the same 23-hour 31 March


def test_place_search_rounds_every_place_to_its_cell(fake_openmeteo):
    places = openmeteo.search_places("Berlin")
    assert [(p.label, p.latitude, p.longitude) for p in places] == [("Berlin, Berlin, Deutschland", "52.5", "13.4")]
    path, params = fake_openmeteo.requests[-1]
    assert path == "/v1/search" and params["name"] == "Berlin"
