"""Issue 20: the chart page's weather band (light context) and the device measures' small multiples."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from fibrotrack.diary.measures import measure_chart_series
from fibrotrack.diary.models import DailyMeasure
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.factories import make_checkin
from fibrotrack.weather.models import WeatherCell, WeatherDay, WeatherLocation

pytestmark = pytest.mark.django_db

PENDING = "Weather for these days is not here yet; it is fetched in the background."


def _measure(user: Any, day: dt.date, kind: str, value: str) -> None:
    DailyMeasure.objects.create(user=user, day=day, kind=kind, value=Decimal(value), source="Apple Health")


def _opt_in(user: Any) -> WeatherCell:
    cell, _ = WeatherCell.objects.get_or_create(lat10=538, lon10=-15)
    WeatherLocation.objects.get_or_create(user=user, defaults={"cell": cell})
    return cell


def _weather(cell: WeatherCell, changes: dict[dt.date, float]) -> None:
    for day, change in changes.items():
        WeatherDay.objects.create(
            cell=cell, day=day, pressure_change=change, source="archive", fetched_at=timezone.now()
        )


def _chart(client: Any, **params: Any) -> str:
    response = client.get(reverse("diary:chart"), params)
    assert response.status_code == 200
    return str(response.content.decode())


def _figures(html: str) -> list[str]:
    return re.findall(r'<figure class="chart-figure" aria-labelledby="chart-([\w-]+)-caption">', html)


def test_each_measure_kind_with_data_gets_its_own_chart_scale_and_unit(owner):
    today = dt.date(2026, 3, 31)
    for i in range(10):
        _measure(owner, today - dt.timedelta(days=i), "steps", str(4000 + 900 * i))
        _measure(owner, today - dt.timedelta(days=i), "resting_hr", str(58 + i))
    series = measure_chart_series(owner, today - dt.timedelta(days=29), today)
    assert [s.key for s in series] == ["measure-steps", "measure-resting_hr"]  # no HRV or sleep: no data
    steps, heart = series
    # Steps in thousands, so the axis reads "12" rather than a number wider than its margin.
    assert steps.values[today] == 4.0 and steps.values[today - dt.timedelta(days=9)] == pytest.approx(12.1)
    assert steps.y_min == 0 and steps.y_max is not None and steps.y_max >= 12.1
    assert heart.y_min is not None and heart.y_max is not None
    assert 0 < heart.y_min <= 58 and 67 <= heart.y_max < 100  # its own narrow range, not 0..10
    assert steps.label == "thousands of steps" and heart.label == "beats a minute"
    # The 7-day mean needs 4 days; the oldest days of the run have none yet.
    assert heart.smooth[today] == pytest.approx(sum(58 + i for i in range(7)) / 7)
    assert heart.smooth[today - dt.timedelta(days=8)] is None


def test_the_chart_page_draws_the_measures_with_gaps_and_a_table(owner, owner_client):
    today = diary_day(owner)
    make_checkin(owner, today, pain=4)
    for i in (0, 1, 2, 3, 5, 6, 7):  # day 4 missing: a gap
        _measure(owner, today - dt.timedelta(days=i), "hrv_sdnn", str(40 + i))
    _measure(owner, today, "sleep_hours", "6.5")
    html = _chart(owner_client, days="30")
    measures = [f for f in _figures(html) if f.startswith("measure-")]
    assert measures == ["measure-sleep_hours", "measure-hrv_sdnn"]  # the symptoms' charts come first
    assert _figures(html)[-2:] == measures
    hrv_svg = html.split('id="chart-measure-hrv_sdnn-caption"')[1].split("</figure>")[0]
    assert 'aria-label="Heart-rate variability (SDNN) (milliseconds) from' in hrv_svg
    assert hrv_svg.count('class="chart-daily s0"') == 2  # two runs either side of the missing day
    assert "<strong>Heart-rate variability (SDNN) (milliseconds)</strong>" in html  # the unit in the caption
    assert "The device numbers as a table" in html
    assert "<td>6.5 h</td>" in html and "<td>40 ms</td>" in html
    assert "Heart-rate variability (SDNN), 7-day mean" in html


def test_no_device_section_without_measures_and_never_someone_elses(owner_client, stranger):
    _measure(stranger, dt.date.today(), "steps", "12345")  # noqa: DTZ011 (any recent day)
    html = _chart(owner_client)
    assert "From your devices" not in html and "measure-steps" not in html and "12,345" not in html


def test_falling_pressure_is_a_light_context_band_named_once(owner, owner_client):
    today = diary_day(owner)
    make_checkin(owner, today - dt.timedelta(days=5), pain=6)
    cell = _opt_in(owner)
    _weather(cell, {today - dt.timedelta(days=d): -7.0 for d in (3, 4, 10)} | {today - dt.timedelta(days=8): -1.0})
    html = _chart(owner_client, days="30", s="pain")
    pain_svg = html.split('id="chart-pain-caption"')[1].split("</figure>")[0]
    assert pain_svg.count("chart-band chart-band-context") == 2  # two runs of falling pressure
    assert "chart-band-treatment" not in pain_svg
    assert pain_svg.count(">Pressure fell<") == 1  # labelled once; the other band keeps its tooltip
    assert "Air pressure fell 5 hPa or more since the day before" in pain_svg
    assert "Days when air pressure fell, as a list" in html
    assert PENDING not in html


def test_someone_who_turned_weather_on_is_told_when_it_is_not_here_yet(owner, owner_client):
    make_checkin(owner, diary_day(owner), pain=3)
    _opt_in(owner)
    html = _chart(owner_client)
    assert PENDING in html and "chart-band-context" not in html


def test_no_weather_band_or_line_without_the_opt_in_or_with_weather_off(
    owner, owner_client, stranger, stranger_client, settings
):
    today = diary_day(owner)
    make_checkin(stranger, today, pain=3)
    make_checkin(owner, today, pain=3)
    cell = _opt_in(owner)
    _weather(cell, {today - dt.timedelta(days=1): -9.0})
    html = _chart(stranger_client)  # the owner's neighbour in nothing but the database
    assert "chart-band-context" not in html and PENDING not in html and "Pressure fell" not in html
    settings.WEATHER_ENABLED = False
    html = _chart(owner_client)
    assert "chart-band-context" not in html and PENDING not in html


@pytest.mark.parametrize("kinds", [1, 3])
def test_the_chart_page_reads_a_constant_number_of_queries(
    owner, owner_client, django_assert_num_queries, django_assert_max_num_queries, kinds
):
    today = diary_day(owner)
    _opt_in(owner)
    make_checkin(owner, today, pain=3)
    all_kinds = ["steps", "resting_hr", "hrv_sdnn"][:kinds]
    _measure(owner, today, all_kinds[0], "50")
    owner_client.get(reverse("diary:chart"))  # warm the session and the per-person memo
    with django_assert_max_num_queries(10) as few:
        _chart(owner_client, days="365")
    cell = WeatherCell.objects.get()
    for i in range(1, 200):
        day = today - dt.timedelta(days=i)
        make_checkin(owner, day, pain=i % 11)
        for kind in all_kinds:
            _measure(owner, day, kind, str(40 + i % 20))
        _weather(cell, {day: -6.0 if i % 9 == 0 else 0.5})
    with django_assert_num_queries(len(few.captured_queries)):
        html = _chart(owner_client, days="365")
    assert len([f for f in _figures(html) if f.startswith("measure-")]) == kinds
    assert "chart-band-context" in html
