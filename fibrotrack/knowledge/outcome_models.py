"""Models of "what worked for others": the person's consent, and the precomputed, k-anonymous cells.

Imported at the end of ``models.py``. The cells are recomputed whole by the
background job (``outcomes_job.py``); pages only read them.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models


class OutcomeConsent(models.Model):
    """Whether someone shares their treatment outcomes, anonymously. No row, or no consent date: off."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outcome_consent")
    consented_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id} {'sharing' if self.is_sharing else 'not sharing'}"

    @property
    def is_sharing(self) -> bool:
        return self.consented_at is not None and self.withdrawn_at is None

    def was_sharing_at(self, when: datetime) -> bool:
        """Whether a computation that started at ``when`` took this person's data."""
        return (
            self.consented_at is not None
            and self.consented_at <= when
            and (self.withdrawn_at is None or self.withdrawn_at > when)
        )


class OutcomeRun(models.Model):
    """One computation of every cell."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    # Raw figures for staff (the admin); the public pages show rounded counts only.
    sharing_people = models.PositiveIntegerField(default=0)
    cells = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-finished_at",)

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M} ({self.cells} treatments)"


class TreatmentOutcome(models.Model):
    """One fixed cell: a catalogue treatment and everyone sharing who tracked it. Rounded figures only."""

    treatment = models.OneToOneField("treatments.Treatment", on_delete=models.CASCADE, related_name="outcome")
    computed_at = models.DateTimeField()
    people = models.PositiveIntegerField()
    days_median = models.PositiveIntegerField()
    days_q1 = models.PositiveIntegerField()
    days_q3 = models.PositiveIntegerField()
    estimated_people = models.PositiveIntegerField(null=True, blank=True)
    improvement_median = models.SmallIntegerField(null=True, blank=True)
    improvement_q1 = models.SmallIntegerField(null=True, blank=True)
    improvement_q3 = models.SmallIntegerField(null=True, blank=True)
    improved_share = models.PositiveSmallIntegerField(null=True, blank=True)
    from_trials = models.PositiveIntegerField(default=0)
    side_effects = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ("treatment__name",)

    def __str__(self) -> str:
        return f"{self.treatment} (about {self.people} people)"
