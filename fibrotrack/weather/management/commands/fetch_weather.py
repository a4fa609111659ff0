"""Fetch the day's weather for every cell in use. Run once a day (cron, a systemd timer or the scheduler)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from fibrotrack.weather.actions import do_fetch_all


class Command(BaseCommand):
    help = "Fetch missing and recent days of weather from Open-Meteo for every 0.1° cell somebody uses."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue", action="store_true", help="queue the fetch for the background worker instead of running it here"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.WEATHER_ENABLED:
            self.stdout.write("Weather is switched off for this site (WEATHER_ENABLED=0): nothing to do.")
            return
        if options["queue"]:
            from fibrotrack.lib.tasks import enqueue
            from fibrotrack.weather.tasks import fetch_all

            enqueue(fetch_all)
            self.stdout.write("Queued the weather fetch.")
            return
        report = do_fetch_all()
        self.stdout.write(
            f"Weather: {report.cells} cells, {report.requests} requests, {report.days} days stored, "
            f"{report.failed} cells failed (tried again next run)."
        )
        if report.failed:
            self.stderr.write("Some cells could not be fetched; see the log.")
