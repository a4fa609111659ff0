"""Server-time measurements through Django's test client, shared by the page benchmarks."""

from __future__ import annotations

import statistics
import time
from typing import Any

REQUESTS = 25


def median_ms(client: Any, url: str, requests: int = REQUESTS) -> float:
    """Median time of ``requests`` GETs (after one to warm caches and read markers); each must be a 200."""
    client.get(url)
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)  # noqa: S101 - a benchmark's sanity check
    return statistics.median(times)


def query_count(client: Any, url: str) -> int:
    """Queries for one warm GET of ``url``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)
