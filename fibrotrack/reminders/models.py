"""Reminders: what to remind whom of, when it is next due, and what was sent.

``Reminder.next_due_at`` is the next UTC instant of the reminder's local
time in the person's time zone (``schedule.next_occurrence``), recomputed
after every run and every edit, so that "who is due now" is one indexed
range query. ``ReminderSend`` is the sent log: its unique constraint (one row
per reminder, local day and channel) is the claim that keeps restarts and
two schedulers from ever sending twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReminderSettings(models.Model):
    """One person's choices that apply to every reminder. No row means the defaults."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings")
    by_email = models.BooleanField(_("by e-mail"), default=True)
    paused_until = models.DateField(_("pause until"), null=True, blank=True)
    # The private calendar feed's secret: a random capability, replaced to revoke the old link.
    calendar_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    def __str__(self) -> str:
        return f"reminder settings of {self.user_id}"


class Reminder(models.Model):
    class Kind(models.TextChoices):
        CHECKIN = "checkin", _("Daily check-in")
        DOSE = "dose", _("Dose")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    regimen = models.ForeignKey(
        "treatments.Regimen", null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    slot = models.PositiveSmallIntegerField(default=0)
    local_time = models.TimeField()
    enabled = models.BooleanField(default=True)
    # The next occurrence: the UTC instant and the local date it falls on (the sent log's day).
    next_due_at = models.DateTimeField(null=True, blank=True)
    next_due_day = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("user",), condition=Q(kind="checkin"), name="one_checkin_reminder"),
            models.UniqueConstraint(fields=("regimen", "slot"), condition=Q(kind="dose"), name="one_dose_reminder"),
            models.CheckConstraint(
                condition=Q(kind="checkin", regimen=None) | Q(kind="dose", regimen__isnull=False),
                name="dose_reminder_has_regimen",
            ),
        ]
        # "Due now" is a range scan over the enabled reminders only.
        indexes = [models.Index(fields=("next_due_at",), condition=Q(enabled=True), name="reminder_due")]

    def __str__(self) -> str:
        return f"{self.kind} reminder {self.pk} at {self.local_time}"


class ReminderSend(models.Model):
    """The sent log. Claimed by INSERT before anything is enqueued; the constraint refuses a second claim."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        PUSH = "push", _("Push")

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed (retried later today)"

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="sends")
    local_day = models.DateField()
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    # The scheduler run that claimed (or re-claimed, for a retry) this row: how a run finds what it won.
    batch = models.CharField(max_length=32)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Push subscriptions already reached, so that a retry sends only to the devices that missed it.
    delivered = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("reminder", "local_day", "channel"), name="one_send_per_reminder_day")
        ]
        # Only failed rows are looked up (for a retry): a partial index that inserts never touch.
        indexes = [models.Index(fields=("updated_at",), condition=Q(status="failed"), name="reminder_send_failed")]

    def __str__(self) -> str:
        return f"{self.reminder_id} {self.local_day} {self.channel} {self.status}"


class PushSubscription(models.Model):
    """One browser on one device that accepts push messages (the Push API's subscription JSON)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"push subscription {self.pk} of {self.user_id}"

    def info(self) -> dict[str, object]:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class UsedToken(models.Model):
    """Single-use tokens (a notification's "Taken" button) already spent: the unique nonce refuses a replay."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=32, unique=True)
    used_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.nonce


class SchedulerCursor(models.Model):
    """One row: the instant up to which due reminders have been queued. Locked by each run."""

    until = models.DateTimeField()

    def __str__(self) -> str:
        return f"reminders queued up to {self.until}"
