"""Recompute "what worked for others" from the people who share. Run once a night (cron or a timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fibrotrack.knowledge.outcomes_actions import do_compute_outcomes


class Command(BaseCommand):
    help = 'Recompute the anonymous "what worked for others" figures (every treatment, from scratch).'

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue", action="store_true", help="queue the computation for the background worker instead"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["queue"]:
            from fibrotrack.knowledge.tasks import compute_outcomes
            from fibrotrack.lib.tasks import enqueue

            enqueue(compute_outcomes)
            self.stdout.write("Queued the outcome computation.")
            return
        run = do_compute_outcomes()
        self.stdout.write(f"What worked for others: {run.sharing_people} people sharing, {run.cells} treatments shown.")
