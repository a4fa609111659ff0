"""``fibrotrack prune_submissions``: forget old check-in client ids (daily, from cron)."""

from typing import Any

from django.core.management.base import BaseCommand

from fibrotrack.diary.actions import SUBMISSION_DAYS, do_prune_submissions


class Command(BaseCommand):
    help = f"Forget the client ids of check-in saves older than {SUBMISSION_DAYS} days."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{do_prune_submissions()} old client ids forgotten")
