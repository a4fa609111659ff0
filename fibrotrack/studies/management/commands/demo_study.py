"""``fibrotrack demo_study``: a finished 30-participant LDN crossover on simulated data, locked and analysed."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from fibrotrack.studies.demo import EMAIL_DOMAIN, build_demo_study


class Command(BaseCommand):
    help = "Create (or re-create) a finished demo study on simulated data with a known effect."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", help="Password for every demo account (default: a new random one, printed)")
        parser.add_argument("--participants", type=int, default=30)
        parser.add_argument("--effect", type=float, default=-1.5, help="True mean effect on pain, LDN minus placebo")
        parser.add_argument("--seed", type=int, default=2013)

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"] or secrets.token_urlsafe(12)
        demo = build_demo_study(
            password, n_participants=options["participants"], effect=options["effect"], seed=options["seed"]
        )
        study = demo.study
        pain = demo.run.result["outcomes"][0]["contrasts"][0]
        effect = pain["effect"]
        self.stdout.write(self.style.SUCCESS(f"Demo study ready: {study.title} ({study.short_code})"))
        self.stdout.write(
            f"  pooled pain, LDN minus placebo: {effect['estimate']:.2f} "
            f"(95% CI {effect['ci_low']:.2f} to {effect['ci_high']:.2f}); simulated truth {demo.truth.effect:.2f}"
        )
        root = settings.SITE_ROOT.rstrip("/")
        self.stdout.write(f"Log in at {root}/accounts/login/ with the password {password} and one of:")
        for role, user in demo.staff.items():
            self.stdout.write(f"  {role:<12} {user.email}")
        self.stdout.write(f"Participants: participant01@{EMAIL_DOMAIN} … (same password)")
        self.stdout.write(f"Results: {root}/studies/{study.uuid}/results/")
