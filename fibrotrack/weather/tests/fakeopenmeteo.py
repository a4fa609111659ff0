"""A local stand-in for Open-Meteo (forecast, archive and geocoding), for tests and the benchmark.

It answers in the shape of ``fixtures/forecast_daily_hourly.json`` (Open-Meteo's
documented return object; see fixtures/README.md): local hourly times in the
cell's time zone, so a day has 23 or 25 hours when the clocks change. It
counts requests and can be told to be slow or to fail a few times first.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def default_pressure(lat: float, lon: float, local: dt.datetime) -> float:
    """A smooth made-up pressure: falls 6 hPa every fifth day, otherwise steady."""
    day_index = local.date().toordinal()
    return 1013.0 + (-6.0 if day_index % 5 == 0 else 0.0) + 0.01 * lat


class FakeOpenMeteo:
    def __init__(self, timezone: str = "Europe/London") -> None:
        self.timezone = timezone
        self.pressure: Callable[[float, float, dt.datetime], float | None] = default_pressure
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.fail_next = 0  # answer 503 to this many requests first
        self.fail_status = 503
        self.delay_next = 0  # sleep before answering this many requests
        self.delay_seconds = 0.0
        self.places: list[dict[str, Any]] = json.loads((FIXTURES / "geocoding_search.json").read_text())["results"]
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def weather_requests(self) -> list[tuple[str, dict[str, str]]]:
        return [r for r in self.requests if r[0] in ("/v1/forecast", "/v1/archive")]

    # --- answers -------------------------------------------------------------------

    def weather(self, params: dict[str, str]) -> dict[str, Any]:
        lat, lon = float(params["latitude"]), float(params["longitude"])
        start, end = dt.date.fromisoformat(params["start_date"]), dt.date.fromisoformat(params["end_date"])
        zone = zoneinfo.ZoneInfo(self.timezone)
        utc = dt.datetime.combine(start, dt.time(), zone).astimezone(dt.UTC)
        stop = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), zone).astimezone(dt.UTC)
        hours: list[str] = []
        pressures: list[float | None] = []
        while utc < stop:
            local = utc.astimezone(zone)
            hours.append(local.strftime("%Y-%m-%dT%H:%M"))
            value = self.pressure(lat, lon, local)
            pressures.append(None if value is None else round(value, 1))
            utc += dt.timedelta(hours=1)
        days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
        offset = dt.datetime.combine(start, dt.time(12), zone).utcoffset() or dt.timedelta()
        return {
            "latitude": round(lat, 2),
            "longitude": round(lon, 2),
            "generationtime_ms": 0.4,
            "utc_offset_seconds": int(offset.total_seconds()),
            "timezone": self.timezone,
            "timezone_abbreviation": dt.datetime.combine(start, dt.time(12), zone).tzname(),
            "elevation": 60.0,
            "hourly_units": {"time": "iso8601", "pressure_msl": "hPa"},
            "hourly": {"time": hours, "pressure_msl": pressures},
            "daily_units": {
                "time": "iso8601",
                "temperature_2m_mean": "°C",
                "relative_humidity_2m_mean": "%",
                "precipitation_sum": "mm",
            },
            "daily": {
                "time": [d.isoformat() for d in days],
                "temperature_2m_mean": [10.0 + (d.toordinal() % 7) for d in days],
                "relative_humidity_2m_mean": [70 + (d.toordinal() % 20) for d in days],
                "precipitation_sum": [float(d.toordinal() % 3) for d in days],
            },
        }

    def answer(self, path: str, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.requests.append((path, params))
            delay = self.delay_next > 0
            self.delay_next -= delay
            fail = self.fail_next > 0
            self.fail_next -= fail
        if delay:
            time.sleep(self.delay_seconds)
        if fail:
            return self.fail_status, {"error": True, "reason": "Service temporarily unavailable"}
        if path in ("/v1/forecast", "/v1/archive"):
            required = ("latitude", "longitude", "start_date", "end_date", "hourly", "daily", "timezone")
            if any(k not in params for k in required):
                return 400, json.loads((FIXTURES / "error_400.json").read_text())
            return 200, self.weather(params)
        if path == "/v1/search":
            name = params.get("name", "").lower()
            results = [p for p in self.places if name and name in p["name"].lower()]
            return 200, ({"results": results, "generationtime_ms": 0.3} if results else {"generationtime_ms": 0.3})
        return 404, {"error": True, "reason": "Not found"}

    # --- the server ----------------------------------------------------------------

    @contextmanager
    def running(self) -> Iterator[FakeOpenMeteo]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                parts = urlsplit(self.path)
                params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                status, body = fake.answer(parts.path, params)
                raw = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the http.server API
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
            thread.join(timeout=5)
