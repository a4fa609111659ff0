"""The weather setting travels with the person's data: the cell, never more."""

from __future__ import annotations

import pytest

from fibrotrack.portability.export_json import build_document
from fibrotrack.weather import actions
from fibrotrack.weather.models import WeatherLocation
from fibrotrack.weather.portability import WeatherRecordError, export_location, import_location


def test_the_export_holds_the_cell_or_null(owner, stranger):
    actions.do_set_location(stranger, 40.71, -74.01)
    assert build_document(owner)["weather"] is None
    actions.do_set_location(owner, 53.8123, -1.5467)
    record = build_document(owner)["weather"]
    assert (record["latitude"], record["longitude"], record["precision_degrees"]) == (53.8, -1.5, 0.1)


def test_import_turns_weather_on_for_the_same_cell(owner, stranger):
    actions.do_set_location(owner, 53.8, -1.5)
    assert import_location(stranger, export_location(owner), {}) == 1
    assert WeatherLocation.objects.get(user=stranger).cell == WeatherLocation.objects.get(user=owner).cell
    assert import_location(stranger, {"latitude": 1, "longitude": 1}, {}) == 0  # already on: kept


@pytest.mark.parametrize("record", [{"latitude": "nan", "longitude": 0}, {"latitude": 95, "longitude": 0}, [1, 2]])
def test_import_refuses_bad_coordinates_and_changes_nothing(owner, record):
    with pytest.raises(WeatherRecordError):
        import_location(owner, record, {})
    assert not WeatherLocation.objects.exists()
