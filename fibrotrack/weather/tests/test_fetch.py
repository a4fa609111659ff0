"""The background fetch: one request per cell for everyone in it, back-fill, pressure change, local days."""

from __future__ import annotations

import datetime as dt

import pytest

from fibrotrack.lib.testing.factories import UserFactory
from fibrotrack.weather import actions
from fibrotrack.weather.access import weather_series_for_user
from fibrotrack.weather.models import WeatherCell, WeatherDay

D = dt.date
NOW = dt.datetime(2024, 4, 3, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _short_backfill(settings):
    settings.WEATHER_BACKFILL_DAYS = 30


def test_one_request_serves_every_person_in_its_cell(db, fake_openmeteo):
    leeds = [UserFactory() for _ in range(6)]
    for i, person in enumerate(leeds):  # all inside the 53.8, -1.5 cell
        actions.do_set_location(person, 53.76 + i * 0.01, -1.54 + i * 0.01)
    york = UserFactory()
    actions.do_set_location(york, 53.96, -1.08)
    report = actions.do_fetch_all(now=NOW)
    assert WeatherCell.objects.count() == 2
    # Two cells: one archive (back-fill) and one forecast (recent days) request each, for seven people.
    assert report.requests == len(fake_openmeteo.weather_requests()) == 4
    assert {(p["latitude"], p["longitude"]) for _, p in fake_openmeteo.weather_requests()} == {
        ("53.8", "-1.5"),
        ("54.0", "-1.1"),
    }
    days = {person.pk: weather_series_for_user(person, D(2024, 3, 4), D(2024, 4, 3)) for person in leeds}
    assert all(len(series) == 31 for series in days.values())
    assert len({tuple(sorted(series)) for series in days.values()}) == 1


def test_backfill_then_only_the_recent_days_again(db, fake_openmeteo):
    person = UserFactory()
    actions.do_set_location(person, 53.8, -1.5)
    actions.do_fetch_all(now=NOW)
    archive, forecast = fake_openmeteo.weather_requests()
    assert archive[0] == "/v1/archive" and forecast[0] == "/v1/forecast"
    # The back-fill starts a day early so that its first day has a change too.
    assert (archive[1]["start_date"], archive[1]["end_date"]) == ("2024-03-03", "2024-03-28")
    assert (forecast[1]["start_date"], forecast[1]["end_date"]) == ("2024-03-28", "2024-04-03")
    assert archive[1]["timezone"] == "auto" and archive[1]["hourly"] == "pressure_msl"
    assert WeatherDay.objects.count() == 31
    assert set(WeatherDay.objects.filter(day__lt=D(2024, 3, 29)).values_list("source", flat=True)) == {"archive"}

    fake_openmeteo.requests.clear()
    actions.do_fetch_all(now=NOW + dt.timedelta(days=1))
    (again,) = fake_openmeteo.weather_requests()
    assert again[0] == "/v1/forecast"
    assert (again[1]["start_date"], again[1]["end_date"]) == ("2024-04-01", "2024-04-04")
    assert WeatherDay.objects.count() == 32


def test_pressure_change_is_the_difference_between_daily_means(db, fake_openmeteo):
    levels = {D(2024, 3, 31): 1020.0, D(2024, 4, 1): 1014.0, D(2024, 4, 2): 1016.5, D(2024, 4, 3): 1016.5}
    fake_openmeteo.pressure = lambda lat, lon, local: levels.get(local.date(), 1010.0)
    person = UserFactory()
    actions.do_set_location(person, 53.8, -1.5)
    actions.do_fetch_all(now=NOW)
    series = weather_series_for_user(person, D(2024, 3, 31), D(2024, 4, 3))
    assert [series[d].pressure_change for d in sorted(series)] == [10.0, -6.0, 2.5, 0.0]
    assert [series[d].pressure_fell for d in sorted(series)] == [False, True, False, False]
    # The first back-filled day's change uses the day before the window, asked for that purpose.
    first = weather_series_for_user(person, D(2024, 3, 4), D(2024, 3, 4))[D(2024, 3, 4)]
    assert first.pressure_change == 0.0


@pytest.mark.parametrize(
    ("zone", "change_day"),
    [("Europe/London", D(2024, 3, 31)), ("America/New_York", D(2024, 3, 10)), ("Australia/Sydney", D(2024, 4, 7))],
)
def test_days_are_the_cells_own_calendar_days_across_clock_changes(db, fake_openmeteo, zone, change_day):
    # Each local day has its own pressure; averaging by UTC day would mix neighbours in.
    fake_openmeteo.timezone = zone
    fake_openmeteo.pressure = lambda lat, lon, local: 1000.0 + local.day
    person = UserFactory()
    actions.do_set_location(person, -33.9 if "Sydney" in zone else 40.7, 151.2 if "Sydney" in zone else -74.0)
    actions.do_fetch_all(now=NOW + dt.timedelta(days=5))
    series = weather_series_for_user(person, change_day - dt.timedelta(days=1), change_day + dt.timedelta(days=1))
    assert sorted(series) == [change_day - dt.timedelta(days=1), change_day, change_day + dt.timedelta(days=1)]
    for day, weather in series.items():
        assert weather.pressure_msl == 1000.0 + day.day
    assert WeatherCell.objects.get().timezone == zone


def test_a_provider_that_is_down_delays_nothing_and_is_tried_again(db, fake_openmeteo):
    person = UserFactory()
    actions.do_set_location(person, 53.8, -1.5)
    fake_openmeteo.fail_next = 100
    report = actions.do_fetch_all(now=NOW)
    cell = WeatherCell.objects.get()
    assert (report.failed, cell.failures, WeatherDay.objects.count()) == (1, 1, 0)
    assert "503" in cell.last_error
    assert weather_series_for_user(person, D(2024, 3, 1), D(2024, 4, 3)) == {}

    fake_openmeteo.fail_next = 0
    report = actions.do_fetch_all(now=NOW)
    cell.refresh_from_db()
    assert (report.failed, cell.failures, cell.last_error, WeatherDay.objects.count()) == (0, 0, "", 31)


def test_one_cells_failure_does_not_stop_the_others(db, fake_openmeteo):
    for lat in (50.0, 51.0, 52.0):
        actions.do_set_location(UserFactory(), lat, 0.0)
    fake_openmeteo.fail_next = 4  # the first cell's archive request and its three retries
    report = actions.do_fetch_all(now=NOW)
    assert report.failed == 1 and report.cells == 3
    assert WeatherDay.objects.values("cell").distinct().count() == 2


def test_switched_off_for_the_site_nothing_is_fetched(db, fake_openmeteo, settings):
    actions.do_set_location(UserFactory(), 53.8, -1.5)
    settings.WEATHER_ENABLED = False
    assert actions.do_fetch_all(now=NOW).requests == 0
    assert fake_openmeteo.requests == []
    assert weather_series_for_user(UserFactory(), D(2024, 3, 1), D(2024, 4, 3)) == {}


def test_the_task_and_the_command_fetch(db, fake_openmeteo):
    from django.core.management import call_command

    from fibrotrack.weather.tasks import fetch_cell

    actions.do_set_location(UserFactory(), 53.8, -1.5)
    cell = WeatherCell.objects.get()
    assert fetch_cell.call(cell.pk)["requests"] == 2
    call_command("fetch_weather", verbosity=0)
    assert WeatherDay.objects.filter(cell=cell).exists()


def test_a_young_day_that_came_back_empty_is_asked_for_again_but_an_old_one_is_not(db, fake_openmeteo):
    person = UserFactory()
    actions.do_set_location(person, 53.8, -1.5)
    missing = {D(2024, 3, 6), D(2024, 3, 25)}  # 28 and 9 days before NOW
    fake_openmeteo.pressure = lambda lat, lon, local: None if local.date() in missing else 1010.0
    actions.do_fetch_all(now=NOW)
    assert WeatherDay.objects.filter(pressure_msl=None).count() == 2
    fake_openmeteo.requests.clear()
    fake_openmeteo.pressure = lambda lat, lon, local: 1010.0
    actions.do_fetch_all(now=NOW)
    archive = next(p for path, p in fake_openmeteo.weather_requests() if path == "/v1/archive")
    assert (archive["start_date"], archive["end_date"]) == ("2024-03-24", "2024-03-25")
    assert list(WeatherDay.objects.filter(pressure_msl=None).values_list("day", flat=True)) == [D(2024, 3, 6)]
