from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from fibrotrack.lib.reference import load_all


class Command(BaseCommand):
    help = "Load or refresh reference data (built-in tags, catalogues). Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            counts = load_all()
        for path, count in counts.items():
            self.stdout.write(f"{path}: {count} entries")
