"""Sharing a person's reports: share links, clinician access and the access log.

Tokens are never stored: only their SHA-256 hash, so a leaked database does
not open anyone's diary. Everything cascades from the patient's user row, so
deleting an account removes its links, grants and log. A clinician deleting
their own account ends their access (the grant is deleted with them) but the
patient's log keeps the name it recorded.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fibrotrack.reports import accesslog_words


class ShareLink(models.Model):
    """A read-only link to one period of one person's reports."""

    EXPIRY_CHOICES = ((7, _("7 days")), (30, _("30 days")), (90, _("90 days")))

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links")
    label = models.CharField(max_length=80, blank=True)
    patient_name = models.CharField(max_length=80, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    start = models.DateField()
    end = models.DateField()
    include = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="share_link_period")]

    def __str__(self) -> str:
        return self.label or f"Share link {self.pk}"

    def is_active(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.is_active() else "expired"


class ClinicianGrant(models.Model):
    """A patient's invitation to a clinician and, once accepted, the clinician's read-only access."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Invitation sent")
        ACTIVE = "active", _("Has access")
        REVOKED = "revoked", _("Access ended")
        DECLINED = "declined", _("Declined")

    INVITE_DAYS = 14

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician_grants")
    email = models.EmailField(_("clinician's e-mail address"))
    patient_name = models.CharField(
        _("your name, as your clinician knows you"),
        max_length=80,
        blank=True,
        help_text=_("Shown to this clinician only, so they know who you are. Leave empty to use your display name."),
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="patient_grants"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    invite_expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("patient", "clinician"), condition=Q(status="active"), name="one_active_grant_per_pair"
            ),
        ]
        indexes = [models.Index(fields=("clinician", "status"), name="grant_clinician_status")]

    def __str__(self) -> str:
        return f"{self.patient_id} → {self.email} ({self.status})"

    @property
    def patient_label(self) -> str:
        return self.patient_name or self.patient.public_name

    @property
    def last_sent_at(self) -> dt.datetime:
        """When the invitation was last e-mailed: every send sets the expiry INVITE_DAYS ahead."""
        return self.invite_expires_at - dt.timedelta(days=self.INVITE_DAYS)

    def invite_is_open(self, now: dt.datetime | None = None) -> bool:
        return self.status == self.Status.PENDING and self.invite_expires_at > (now or timezone.now())


class AccessLogEntry(models.Model):
    """One look at a patient's reports by someone else. The patient reads this log."""

    class Via(models.TextChoices):
        LINK = "link", _("Share link")
        CLINICIAN = "clinician", _("Clinician account")

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_access_log")
    via = models.CharField(max_length=10, choices=Via.choices)
    share_link = models.ForeignKey(ShareLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    grant = models.ForeignKey(ClinicianGrant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    who = models.CharField(max_length=200)
    what = models.CharField(max_length=120)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-at", "-id")
        indexes = [models.Index(fields=("patient", "at"), name="access_log_patient_at")]

    def __str__(self) -> str:
        return f"{self.patient_id} {self.via} {self.what} {self.at:%Y-%m-%d %H:%M}"

    # ``who`` and ``what`` are stored in English, as they were written (an audit record never
    # changes); these show them in the reader's language.
    @property
    def who_text(self) -> str:
        return accesslog_words.who_text(self.via, self.who)

    @property
    def what_text(self) -> str:
        return accesslog_words.what_text(self.what)
