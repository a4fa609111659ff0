import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from fibrotrack.lib.demo import build_demo
from fibrotrack.lib.reference import load_all


class Command(BaseCommand):
    help = "Create or refresh a demo account with six months of realistic data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default="demo@example.org")
        parser.add_argument("--password", help="Password to set (default: a new random one, printed)")
        parser.add_argument("--days", type=int, default=183)

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"] or secrets.token_urlsafe(12)
        # The demo names catalogue entries (magnesium, LDN...); loading is idempotent.
        load_all()
        user, summaries = build_demo(options["email"], password, days=options["days"])
        self.stdout.write(self.style.SUCCESS(f"Demo account ready: {user.get_username()}"))
        for line in summaries:
            self.stdout.write(f"  {line}")
        self.stdout.write(f"Log in at {settings.SITE_ROOT.rstrip('/')}/accounts/login/ with")
        self.stdout.write(f"  e-mail:   {user.get_username()}")
        self.stdout.write(f"  password: {password}")
