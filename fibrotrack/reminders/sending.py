"""The worker's side: send one batch of claimed reminders by e-mail and Web Push.

Each claimed row is checked again at send time (the person may have checked
in, taken the dose, paused or switched the channel off since it was
claimed). A push service that is down or slow costs at most its timeout and
marks that row failed for a later retry (``scheduler.MAX_ATTEMPTS`` within
the day); it never stops the rest of the batch. 404 or 410 from a push
service removes the expired subscription.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from fibrotrack.diary.models import CheckIn
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.i18n import person_language
from fibrotrack.reminders import push, texts, tokens
from fibrotrack.reminders.models import PushSubscription, Reminder, ReminderSend, ReminderSettings
from fibrotrack.reminders.schedule import occurrence, zone
from fibrotrack.treatments.models import DoseLog


def slot_day(send: ReminderSend) -> dt.date:
    """The diary day the reminder is about: the person's day boundary applied to the occurrence."""
    user = send.reminder.user
    return diary_day(user, occurrence(send.local_day, send.reminder.local_time, zone(user.time_zone)))


def _settings(user: Any) -> ReminderSettings:
    try:
        found: ReminderSettings = user.reminder_settings
    except ReminderSettings.DoesNotExist:
        return ReminderSettings(user=user)
    return found


def message_for(reminder: Reminder, day: dt.date) -> texts.Message:
    if reminder.kind == Reminder.Kind.CHECKIN:
        return texts.checkin_message()
    return texts.dose_message(reminder.regimen, reminder.slot, day)


def still_wanted(send: ReminderSend, day: dt.date, done: set[tuple[int, dt.date]], logged: set[Any]) -> bool:
    reminder, user = send.reminder, send.reminder.user
    prefs = _settings(user)
    if not (user.is_active and reminder.enabled):
        return False
    if prefs.paused_until is not None and prefs.paused_until > send.local_day:
        return False
    if send.channel == ReminderSend.Channel.EMAIL and not prefs.by_email:
        return False
    if reminder.kind == Reminder.Kind.CHECKIN:
        return (user.pk, day) not in done
    return (reminder.regimen_id, day, reminder.slot) not in logged


def push_payload(reminder: Reminder, day: dt.date, message: texts.Message) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "title": message.title,
        "body": message.body,
        "tag": f"fibrotrack-reminder-{reminder.pk}",
        "url": reverse("diary:today"),
    }
    if reminder.kind == Reminder.Kind.DOSE and reminder.regimen_id is not None:
        payload["url"] = reverse("treatments:detail", args=[reminder.regimen_id])
        payload["taken"] = {
            # Relative: the service worker posts it to its own origin (SITE_ROOT may name another).
            "url": reverse("reminders:taken"),
            "token": tokens.taken_token(reminder.user_id, reminder.regimen_id, day, reminder.slot),
            "title": str(texts.taken_label()),
        }
    return payload


@lru_cache(maxsize=1)
def _links(root: str) -> tuple[str, str]:
    return tokens.absolute(reverse("diary:today")), tokens.absolute(reverse("reminders:settings"))


def email_for(send: ReminderSend, message: texts.Message) -> EmailMessage:
    user = send.reminder.user
    url = tokens.unsubscribe_url(user.pk)
    link, settings_link = _links(settings.SITE_ROOT)
    context = {
        "site_name": settings.SITE_NAME,
        "message": message,
        "link": link,
        "settings_link": settings_link,
        "unsubscribe_url": url,
    }
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    return EmailMessage(
        subject=f"{prefix}{message.title}"[:200],
        body=render_to_string("reminders/email/reminder.txt", context),
        to=[user.email],
        headers={
            "Auto-Submitted": "auto-generated",
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _push(send: ReminderSend, devices: list[PushSubscription], payload: dict[str, Any]) -> bool:
    """Every device not reached yet; True when none is left to reach."""
    reached = set(send.delivered)
    missed = False
    for device in devices:
        if device.pk in reached:
            continue
        outcome = push.send(device.info(), payload)
        if outcome.gone:
            PushSubscription.objects.filter(pk=device.pk).delete()
        elif outcome.delivered:
            reached.add(device.pk)
        else:
            missed = True
    send.delivered = sorted(reached)
    return not missed


@task()
def process_due(now_iso: str, first_id: int, last_id: int) -> int:
    """Claim, move on and send the reminders with ids in [first_id, last_id] that are due at ``now_iso``."""
    from fibrotrack.reminders import scheduler

    now = dt.datetime.fromisoformat(now_iso)
    batch = uuid.uuid4().hex
    with transaction.atomic():
        scheduler.advance(now, first_id, last_id, late=True)
        won: list[int] = []
        for channel in ReminderSend.Channel.values:
            won += scheduler.claim(now, channel, batch, first_id, last_id)
        scheduler.advance(now, first_id, last_id, late=False)
    return sum(send_claimed(batch, first, last) for first, last in scheduler.batches(sorted(won)))


@task()
def send_batch(batch: str, first_id: int, last_id: int) -> int:
    """Send claimed rows again (a retry of failed pushes or e-mails)."""
    return send_claimed(batch, first_id, last_id)


def send_claimed(batch: str, first_id: int, last_id: int) -> int:
    """Send the rows ``batch`` claimed. Returns how many were sent."""
    sends = list(
        ReminderSend.objects.filter(batch=batch, id__range=(first_id, last_id), status=ReminderSend.Status.QUEUED)
        .select_related("reminder__user__reminder_settings", "reminder__regimen__treatment")
        .order_by("id")
    )
    if not sends:
        return 0
    days = {s.pk: slot_day(s) for s in sends}
    users = {s.reminder.user_id for s in sends}
    done = set(CheckIn.objects.filter(user_id__in=users, day__in=set(days.values())).values_list("user_id", "day"))
    logged = set(
        DoseLog.objects.filter(
            regimen_id__in={s.reminder.regimen_id for s in sends if s.reminder.regimen_id}, day__in=set(days.values())
        ).values_list("regimen_id", "day", "slot")
    )
    devices: dict[int, list[PushSubscription]] = defaultdict(list)
    for device in PushSubscription.objects.filter(user_id__in=users).order_by("id"):
        devices[device.user_id].append(device)

    emails: list[tuple[ReminderSend, EmailMessage]] = []
    for send in sends:
        day = days[send.pk]
        if not still_wanted(send, day, done, logged):
            send.status = ReminderSend.Status.SKIPPED
            continue
        # The worker has no request: each reminder is written in its recipient's language.
        with translation.override(person_language(send.reminder.user)):
            message = message_for(send.reminder, day)
            by_email = message.due and send.channel == ReminderSend.Channel.EMAIL
            email = email_for(send, message) if by_email else None
            payload = push_payload(send.reminder, day, message) if message.due and not by_email else None
        if email is not None:
            emails.append((send, email))
        elif payload is not None:
            ok = _push(send, devices[send.reminder.user_id], payload)
            send.status = ReminderSend.Status.SENT if ok else ReminderSend.Status.FAILED
        else:
            send.status = ReminderSend.Status.SKIPPED
    if emails:
        with get_connection() as mail:
            for send, email in emails:
                email.connection = mail
                try:
                    email.send()
                    send.status = ReminderSend.Status.SENT
                except OSError:
                    send.status = ReminderSend.Status.FAILED
    _record(sends)
    # A regimen that has ended needs no more reminders (its stop date was still ahead when it was set).
    ended = [
        s.reminder_id
        for s in sends
        if s.reminder.regimen is not None
        and s.reminder.regimen.stopped_on is not None
        and days[s.pk] > s.reminder.regimen.stopped_on
    ]
    if ended:
        Reminder.objects.filter(pk__in=ended).update(enabled=False)
    return sum(1 for s in sends if s.status == ReminderSend.Status.SENT)


def _record(sends: list[ReminderSend]) -> None:
    """The outcomes in a few statements: one UPDATE per status, and the push rows' reached devices."""
    now = timezone.now()
    by_status: dict[str, list[int]] = defaultdict(list)
    for send in sends:
        by_status[send.status].append(send.pk)
    for status, ids in by_status.items():
        ReminderSend.objects.filter(pk__in=ids).update(status=status, attempts=F("attempts") + 1, updated_at=now)
    pushed = [s for s in sends if s.channel == ReminderSend.Channel.PUSH]
    if pushed:
        ReminderSend.objects.bulk_update(pushed, ["delivered"])
