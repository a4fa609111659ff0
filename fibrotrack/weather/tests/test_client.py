"""The HTTP client against a local server that is slow, errors and recovers."""

from __future__ import annotations

import pytest

from fibrotrack.weather import client
from fibrotrack.weather.client import WeatherUnavailable

PARAMS = {
    "latitude": "53.8",
    "longitude": "-1.5",
    "start_date": "2024-03-01",
    "end_date": "2024-03-02",
    "hourly": "pressure_msl",
    "daily": "precipitation_sum",
    "timezone": "auto",
}


def test_it_retries_with_growing_back_off_and_recovers(fake_openmeteo):
    fake_openmeteo.fail_next = 2
    waits: list[float] = []
    data = client.get_json(f"{fake_openmeteo.base}/v1/forecast", PARAMS, retries=3, sleep=waits.append)
    assert data["daily"]["time"] == ["2024-03-01", "2024-03-02"]
    assert len(fake_openmeteo.requests) == 3
    assert waits == [client.BACKOFF_SECONDS, client.BACKOFF_SECONDS * 2]


def test_it_gives_up_after_the_last_retry(fake_openmeteo):
    fake_openmeteo.fail_next = 10
    with pytest.raises(WeatherUnavailable, match="HTTP 503"):
        client.get_json(f"{fake_openmeteo.base}/v1/forecast", PARAMS, retries=2, sleep=lambda s: None)
    assert len(fake_openmeteo.requests) == 3


def test_a_slow_answer_times_out_and_the_retry_gets_it(fake_openmeteo):
    fake_openmeteo.delay_next, fake_openmeteo.delay_seconds = 1, 1.5
    data = client.get_json(f"{fake_openmeteo.base}/v1/forecast", PARAMS, timeout=0.3, retries=1, sleep=lambda s: None)
    assert data["timezone"] == "Europe/London"
    assert len(fake_openmeteo.requests) == 2


def test_a_bad_request_is_not_retried(fake_openmeteo):
    with pytest.raises(WeatherUnavailable, match="HTTP 400: Cannot initialize"):
        client.get_json(f"{fake_openmeteo.base}/v1/forecast", {"latitude": "1"}, retries=3, sleep=lambda s: None)
    assert len(fake_openmeteo.requests) == 1


def test_a_server_that_is_not_there_is_unavailable_not_an_error_page():
    with pytest.raises(WeatherUnavailable):
        client.get_json("http://127.0.0.1:9/v1/forecast", PARAMS, timeout=0.5, retries=1, sleep=lambda s: None)


def test_it_refuses_other_schemes():
    with pytest.raises(WeatherUnavailable, match="not an http"):
        client.get_json("file:///etc/passwd", {})


def test_the_place_search_asks_for_names_in_the_pages_language(monkeypatch):
    from django.utils import translation

    from fibrotrack.weather import openmeteo

    asked = []
    monkeypatch.setattr(openmeteo.client, "get_json", lambda url, params, **kw: asked.append(params) or {})
    with translation.override("de"):
        openmeteo.search_places("Leeds")
    with translation.override("en"):
        openmeteo.search_places("Leeds")
    assert [p["language"] for p in asked] == ["de", "en"]
