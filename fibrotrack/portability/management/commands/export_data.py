"""``fibrotrack export-data --user EMAIL --format csv|json|fhir|zip [--output FILE]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fibrotrack.accounts.models import User
from fibrotrack.portability.exports import FORMATS


class Command(BaseCommand):
    help = "Export one person's data (for an administrator acting on that person's request)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="The account's e-mail address")
        parser.add_argument("--format", required=True, choices=sorted(FORMATS), dest="export_format")
        parser.add_argument("--output", help="File to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(email__iexact=options["user"].strip())
        except User.DoesNotExist:
            raise CommandError(f"No account with the e-mail address {options['user']}") from None
        if options["export_format"] == "zip" and not options["output"]:
            raise CommandError("A ZIP file needs --output FILE")
        data = FORMATS[options["export_format"]].build(user)
        if options["output"]:
            Path(options["output"]).write_bytes(data)
            self.stderr.write(f"Wrote {len(data):,} bytes to {options['output']}")
        else:
            self.stdout.write(data.decode(), ending="")
