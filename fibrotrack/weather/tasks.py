"""Background tasks (django-tasks): only these talk to Open-Meteo, never a page or a check-in."""

from __future__ import annotations

from dataclasses import asdict

from django.conf import settings
from django_tasks import task

from fibrotrack.weather import actions
from fibrotrack.weather.models import WeatherCell


@task()
def fetch_cell(cell_id: int) -> dict[str, int]:
    """Back-fill one cell right after someone opts in (by id only: no personal data in the queue)."""
    cell = WeatherCell.objects.filter(pk=cell_id).first()
    if cell is None or not settings.WEATHER_ENABLED:
        return asdict(actions.FetchReport())
    return asdict(actions.do_fetch_cell(cell))


@task()
def fetch_all() -> dict[str, int]:
    """The daily fetch for every cell in use (``fibrotrack fetch_weather --queue`` or a scheduler)."""
    return asdict(actions.do_fetch_all())
