from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from fibrotrack.weather import client
from fibrotrack.weather.tests.fakeopenmeteo import FakeOpenMeteo


@pytest.fixture
def fake_openmeteo(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenMeteo]:
    """A local Open-Meteo (CI has no internet), with the settings pointed at it and short back-offs."""
    monkeypatch.setattr(client, "BACKOFF_SECONDS", 0.01)
    with FakeOpenMeteo().running() as fake:
        settings.WEATHER_API_URL = f"{fake.base}/v1/forecast"
        settings.WEATHER_ARCHIVE_URL = f"{fake.base}/v1/archive"
        settings.WEATHER_GEOCODING_URL = f"{fake.base}/v1/search"
        settings.WEATHER_RETRIES = 3
        yield fake
