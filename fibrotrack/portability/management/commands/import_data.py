"""``fibrotrack import-data FILE --user EMAIL --format ... [--dry-run] [--source-user ID] [--weather note|skip] [--replace-sleep]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fibrotrack.accounts.models import User
from fibrotrack.portability.imports import FORMATS, reader
from fibrotrack.portability.imports.base import ImportRefused, Options, Preview, Result


class Command(BaseCommand):
    help = "Import a Flaredown, FibroTrack or watch/phone export into one account. Shows a preview with --dry-run."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="The account's e-mail address")
        parser.add_argument("--format", required=True, choices=sorted(FORMATS), dest="import_format")
        parser.add_argument("--dry-run", action="store_true", help="Show what would be imported; write nothing")
        parser.add_argument("--source-user", help="The Flaredown user_id to import from a file with several people")
        parser.add_argument("--weather", choices=["note", "skip"], default="note")
        parser.add_argument(
            "--replace-sleep",
            action="store_true",
            help="watches and phones: replace hours slept the person typed with the device's (the dry run lists them)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            user = User.objects.get(email__iexact=options["user"].strip())
        except User.DoesNotExist:
            raise CommandError(f"No account with the e-mail address {options['user']}") from None
        settings = Options(
            source_user=options["source_user"], weather=options["weather"], replace_sleep=options["replace_sleep"]
        )
        module = reader(options["import_format"])
        try:
            if options["dry_run"]:
                self._preview(module.preview(path, user, settings))
            else:
                self._result(module.apply(path, user, settings))
        except ImportRefused as refused:
            lines = [str(refused)]
            if refused.sources:
                lines.append("user_id  rows")
                lines += [f"{source:>7}  {rows:,}" for source, rows in refused.sources]
            raise CommandError("\n".join(lines)) from None

    def _problems(self, problems: list[Any], total: int) -> None:
        if total:
            self.stdout.write(f"Bad rows, not imported ({total:,}):")
            for problem in problems:
                self.stdout.write(f"  {problem.location}: {problem.reason}")
            if total > len(problems):
                self.stdout.write(f"  … and {total - len(problems):,} more")

    def _preview(self, preview: Preview) -> None:
        self.stdout.write("Dry run: nothing was written.")
        for line in preview.mapping:
            self.stdout.write(f"- {line}")
        for label, number in preview.counts:
            self.stdout.write(f"{label}: {number:,}")
        if preview.first_day:
            self.stdout.write(f"From {preview.first_day} to {preview.last_day}")
        self.stdout.write("Would write:")
        for label, number in preview.changes:
            self.stdout.write(f"  {label}: {number:,}")
        # The command line takes the defaults the web preview starts with: symptoms yes, diagnoses no.
        for scale in preview.new_scales:
            where = "the daily check-in" if scale.daily else "history only (archived)"
            self.stdout.write(f"  New scale {scale.name}: {where}")
        for day, typed, device in preview.conflicts:
            self.stdout.write(f"  Hours slept on {day}: typed {typed}, device {device} (kept; --replace-sleep)")
        self._problems(preview.problems, preview.problem_count)

    def _result(self, result: Result) -> None:
        for label, number in result.written:
            self.stdout.write(f"{label}: {number:,}")
        self._problems(result.problems, result.problem_count)
        self.stdout.write(self.style.SUCCESS(f"Imported: {result.total:,} records written."))
