"""``analyze FILE.csv``: the fibrostats command line, as a management command.

``fibrotrack analyze`` (and ``python manage.py analyze``) never get here:
``config/manage.py`` hands them to fibrostats before loading any settings,
so they need no secret and no database. This command keeps ``analyze`` in
``fibrotrack help`` and in reach of ``call_command`` and ``django-admin``; it
too only hands its arguments over, so none of them can drift apart.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand

import fibrostats


class Command(BaseCommand):
    help = "Analyse a daily N-of-1 series from a CSV file (date,phase,<outcome>...). See --help."

    def run_from_argv(self, argv: list[str]) -> None:
        # Django would parse the options itself; fibrostats owns them instead.
        sys.exit(fibrostats.main(["analyze", *argv[2:]], stdout=sys.stdout, stderr=sys.stderr))

    def handle(self, *args: Any, **options: Any) -> None:  # pragma: no cover - only via call_command
        # OutputWrapper is a TextIOBase that writes through; fibrostats only calls write().
        code = fibrostats.main(["analyze", *args], stdout=cast(TextIO, self.stdout), stderr=cast(TextIO, self.stderr))
        if code:
            sys.exit(code)
