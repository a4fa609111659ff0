"""Queue the daily digest e-mails. Run once a day (cron or a systemd timer)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from fibrotrack.community.emails import DIGEST_DAYS, send_digest
from fibrotrack.community.models import Notification


class Command(BaseCommand):
    help = "Queue one digest e-mail for every person with unread notifications they get daily."

    def handle(self, *args: Any, **options: Any) -> None:
        since = timezone.now() - dt.timedelta(days=DIGEST_DAYS)
        recipients = (
            Notification.objects.filter(emailed_at=None, read_at=None, created_at__gte=since, recipient__is_active=True)
            .values_list("recipient_id", flat=True)
            .distinct()
        )
        count = 0
        for user_id in recipients.iterator():
            send_digest.enqueue(user_id)
            count += 1
        self.stdout.write(f"Queued digests for {count} people (each is sent only if it has something in it).")
