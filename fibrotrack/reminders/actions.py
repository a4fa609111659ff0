"""Every write of the reminders app."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fibrotrack.reminders import sync
from fibrotrack.reminders.models import PushSubscription, ReminderSettings, UsedToken
from fibrotrack.reminders.tokens import Taken
from fibrotrack.treatments import titration
from fibrotrack.treatments.actions import DoseEntry, do_log_doses
from fibrotrack.treatments.models import DoseLog, Regimen


class TokenSpent(Exception):
    """A single-use token came back a second time."""


def _settings(user: Any) -> ReminderSettings:
    found, _ = ReminderSettings.objects.get_or_create(user=user)
    return found


def do_save_reminder_settings(
    user: Any,
    *,
    reminder_time: dt.time | None,
    time_zone: str,
    by_email: bool,
    paused_until: dt.date | None,
    dose_reminders: dict[Regimen, bool],
) -> None:
    with transaction.atomic():
        prefs = _settings(user)
        prefs.by_email, prefs.paused_until = by_email, paused_until
        prefs.save(update_fields=["by_email", "paused_until"])
        if (user.reminder_time, user.time_zone) != (reminder_time, time_zone):
            user.reminder_time, user.time_zone = reminder_time, time_zone
            user.save(update_fields=["reminder_time", "time_zone"])  # the post_save hook reschedules
        for regimen, on in dose_reminders.items():
            if regimen.user_id != user.pk:
                raise PermissionError("Not this person’s regimen")
            sync.sync_doses(user, regimen, enabled=on)


def do_new_calendar_link(user: Any) -> str:
    """A new secret for the calendar feed; the old link stops working at once."""
    with transaction.atomic():
        prefs = _settings(user)
        prefs.calendar_token = secrets.token_urlsafe(32)
        prefs.save(update_fields=["calendar_token"])
    return prefs.calendar_token


def do_stop_calendar_link(user: Any) -> None:
    ReminderSettings.objects.filter(user=user).update(calendar_token=None)


def do_unsubscribe_email(user: Any) -> None:
    with transaction.atomic():
        prefs = _settings(user)
        prefs.by_email = False
        prefs.save(update_fields=["by_email"])


def do_subscribe_push(user: Any, *, endpoint: str, p256dh: str, auth: str, user_agent: str = "") -> PushSubscription:
    """Remember this device. An endpoint is one browser's: signing in as someone else there moves it."""
    with transaction.atomic():
        found, _ = PushSubscription.objects.update_or_create(
            endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth, "user_agent": user_agent[:200]}
        )
    return found


def do_unsubscribe_push(subscription: PushSubscription) -> None:
    subscription.delete()


def do_record_taken(taken: Taken) -> bool:
    """Record the dose a notification's "Taken" button names. Spends the token; True if a dose was recorded.

    Raises ``TokenSpent`` on a replay and ``Regimen.DoesNotExist`` when the
    regimen is not (or no longer) the token's person's. Recording goes through
    the treatments app's own ``do_log_doses``, so taking twice is one dose.
    """
    with transaction.atomic():
        regimen = Regimen.objects.select_related("user", "treatment").get(
            pk=taken.regimen_id, user_id=taken.user_id, user__is_active=True
        )
        try:
            with transaction.atomic():
                UsedToken.objects.create(user_id=taken.user_id, nonce=taken.nonce, used_at=timezone.now())
        except IntegrityError:
            raise TokenSpent from None
        dose = titration.expected_dose(regimen.dose_spec(), taken.day)
        amount = dose.amount if dose is not None else None
        entry = DoseEntry(regimen, taken.slot, DoseLog.Status.TAKEN, amount, regimen.unit)
        return do_log_doses(regimen.user, taken.day, [entry]) > 0
