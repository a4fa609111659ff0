"""``fibrotrack send_reminders``: claim and enqueue what is due (from cron), or ``--loop`` beside the server."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fibrotrack.reminders import scheduler


class Command(BaseCommand):
    help = "Send the reminders that are due now (the worker sends them). Safe to run twice at once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep running, once a minute (what `make run` does).")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            count = scheduler.run()
            if count and options["verbosity"] > 1:
                self.stdout.write(f"{count} reminders queued")
            if not options["loop"]:
                return
            # Wake just after the next minute starts: reminder times are whole minutes.
            time.sleep(60 - time.time() % 60 + 1)
