"""Every write of the weather app: the person's opt-in, and the job that fills the shared cells."""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fibrotrack.lib.series import days
from fibrotrack.weather import openmeteo
from fibrotrack.weather.cells import to_cell
from fibrotrack.weather.client import WeatherUnavailable
from fibrotrack.weather.models import WeatherCell, WeatherDay, WeatherLocation

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User

logger = logging.getLogger(__name__)

# Open-Meteo's historical API lags a few days behind; younger days come from the forecast API.
ARCHIVE_LAG_DAYS = 5
# The last days are fetched again each time: a forecast for today becomes a measurement tomorrow.
REFRESH_DAYS = 3
# Days this young that came back without a pressure are asked for again on the next runs.
RETRY_GAPS_DAYS = 14


class WeatherDisabled(Exception):
    """WEATHER_ENABLED is off for this site."""


def do_set_location(user: User, latitude: object, longitude: object) -> WeatherLocation:
    """Opt in (or move) to the cell of these coordinates; raises BadCoordinates and changes nothing then.

    The coordinates are rounded to 0.1° before anything is stored. The back-fill
    is queued for the background worker: the page never waits for the provider.
    """
    if not settings.WEATHER_ENABLED:
        raise WeatherDisabled
    lat10, lon10 = to_cell(latitude, longitude)
    with transaction.atomic():
        cell, _ = WeatherCell.objects.get_or_create(lat10=lat10, lon10=lon10)
        location, created = WeatherLocation.objects.select_for_update().get_or_create(
            user=user, defaults={"cell": cell}
        )
        old_cell_id = None if created else location.cell_id
        if not created and location.cell_id != cell.pk:
            location.cell = cell
            location.save(update_fields=["cell"])
        if old_cell_id and old_cell_id != cell.pk:
            _forget_empty_cell(old_cell_id)
        from fibrotrack.lib.tasks import enqueue
        from fibrotrack.weather.tasks import fetch_cell

        if not cell.days.exists():
            enqueue(fetch_cell, cell.pk)
    return location


def do_turn_off(user: User) -> bool:
    """Stop weather for this person; a cell nobody uses any more goes with its days. True if it was on."""
    with transaction.atomic():
        location = WeatherLocation.objects.filter(user=user).first()
        if location is None:
            return False
        cell_id = location.cell_id
        location.delete()
        _forget_empty_cell(cell_id)
    return True


def delete_for_account(user: User, *, keep_posts: bool) -> None:
    """Account deletion step: the location goes with the user; an emptied cell must not outlive them."""
    do_turn_off(user)


def _forget_empty_cell(cell_id: int) -> None:
    # A cell only one person used would say where they lived; once nobody is in it, nothing of it stays.
    WeatherCell.objects.filter(pk=cell_id, locations__isnull=True).delete()


def cell_today(cell: WeatherCell, now: dt.datetime | None = None) -> dt.date:
    """Today's date in the cell's own time zone (UTC until the first answer told us the zone)."""
    now = now or timezone.now()
    try:
        zone = zoneinfo.ZoneInfo(cell.timezone) if cell.timezone else dt.UTC
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = dt.UTC
    return now.astimezone(zone).date()


def days_to_fetch(cell: WeatherCell, today: dt.date) -> list[dt.date]:
    """The back-fill window's days not yet stored, plus the last few days again."""
    start = today - dt.timedelta(days=max(0, settings.WEATHER_BACKFILL_DAYS))
    stored = WeatherDay.objects.filter(cell=cell, day__range=(start, today)).values_list("day", "pressure_msl")
    # A young day stored without pressure (the historical API lags a few days) is asked for again.
    retry_gaps = today - dt.timedelta(days=RETRY_GAPS_DAYS)
    have = {day for day, pressure in stored if pressure is not None or day < retry_gaps}
    recent = today - dt.timedelta(days=REFRESH_DAYS - 1)
    return [d for d in days(start, today) if d not in have or d >= recent]


@dataclass
class FetchReport:
    cells: int = 0
    requests: int = 0
    days: int = 0
    failed: int = 0


def do_fetch_cell(
    cell: WeatherCell, *, now: dt.datetime | None = None, report: FetchReport | None = None
) -> FetchReport:
    """Fetch what the cell lacks: at most one archive request and one forecast request."""
    report = report or FetchReport()
    report.cells += 1
    today = cell_today(cell, now)
    wanted = days_to_fetch(cell, today)
    cutoff = today - dt.timedelta(days=ARCHIVE_LAG_DAYS)
    parts = [(True, [d for d in wanted if d < cutoff]), (False, [d for d in wanted if d >= cutoff])]
    try:
        for archive, part in parts:
            if not part:
                continue
            report.requests += 1
            answer = openmeteo.fetch(cell.lat10, cell.lon10, part[0], part[-1], archive=archive)
            report.days += _store(cell, answer, archive=archive, only=set(part))
            if answer.timezone and answer.timezone != cell.timezone:
                cell.timezone = answer.timezone
    except WeatherUnavailable as error:
        report.failed += 1
        cell.failures = min(cell.failures + 1, 32767)
        cell.last_error = str(error)[:200]
        cell.save(update_fields=["failures", "last_error", "timezone"])
        logger.warning("weather for cell %s not fetched: %s", cell.pk, error)
        return report
    cell.failures, cell.last_error, cell.last_fetched_at = 0, "", timezone.now()
    cell.save(update_fields=["failures", "last_error", "last_fetched_at", "timezone"])
    return report


def _store(cell: WeatherCell, answer: openmeteo.Answer, *, archive: bool, only: set[dt.date]) -> int:
    now = timezone.now()
    source = WeatherDay.Source.ARCHIVE if archive else WeatherDay.Source.FORECAST
    rows = [
        WeatherDay(
            cell=cell,
            day=d.day,
            pressure_msl=d.pressure_msl,
            pressure_change=d.pressure_change,
            temperature=d.temperature,
            humidity=d.humidity,
            precipitation=d.precipitation,
            source=source,
            fetched_at=now,
        )
        for d in answer.days
        if d.day in only
    ]
    WeatherDay.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["cell", "day"],
        update_fields=[
            "pressure_msl",
            "pressure_change",
            "temperature",
            "humidity",
            "precipitation",
            "source",
            "fetched_at",
        ],
    )
    return len(rows)


def do_fetch_all(*, now: dt.datetime | None = None) -> FetchReport:
    """The daily job: every cell somebody uses, one at a time; one cell's failure never stops the others."""
    report = FetchReport()
    if not settings.WEATHER_ENABLED:
        return report
    for cell in WeatherCell.objects.filter(locations__isnull=False).distinct().order_by("pk").iterator():
        do_fetch_cell(cell, now=now, report=report)
    return report
