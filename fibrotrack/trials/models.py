"""Personal treatment trials (n-of-1): protocol, sealed allocation, pre-registration, assessments.

Everything cascades from the participant's user row, so deleting an account
removes their trials. The custodian (the person who holds the blind) is a
separate account; when they delete theirs the trial keeps running without
them (``SET_NULL``) and its log keeps what happened.

``Allocation`` and ``PreRegistrationEntry`` are append-only: ``save`` refuses
to update an existing row and ``delete`` refuses to remove one (only the
account's cascade removes them). The pre-registration log is also a hash
chain (``sealing.py``), so a change made behind the application's back is
detected and shown in the result.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from fibrotrack.lib import l10n
from fibrotrack.trials import protocols, schedule, words
from fibrotrack.trials.sealing import order_of

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class AppendOnlyError(Exception):
    """An attempt to rewrite or remove a sealed record."""


class Trial(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Being planned")
        RUNNING = "running", pgettext_lazy("trial status", "Running")
        FINISHED = "finished", pgettext_lazy("trial status", "Finished")
        STOPPED = "stopped", pgettext_lazy("trial status", "Stopped early")

    TEMPLATE_CHOICES = list(protocols.TEMPLATE_NAMES.items())

    uuid = models.UUIDField(default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trials")
    title = models.CharField(max_length=100)
    template = models.CharField(max_length=20, choices=TEMPLATE_CHOICES, default=protocols.CUSTOM)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    blinded = models.BooleanField(default=False)
    treatment_name = models.CharField(max_length=80, default="the treatment")
    control_name = models.CharField(max_length=80, default="placebo")
    primary_outcome = models.ForeignKey(
        "diary.TrackedSymptom", on_delete=models.CASCADE, related_name="primary_in_trials"
    )
    secondary_outcomes = models.ManyToManyField("diary.TrackedSymptom", blank=True, related_name="secondary_in_trials")
    # Daily measures from a watch or phone (diary.DailyMeasure kinds) analysed as further secondary outcomes.
    secondary_measures = models.JSONField(default=list, blank=True)
    comparisons = models.JSONField(default=list, blank=True)
    threshold_pct = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(5), MaxValueValidator(90)]
    )
    endpoint_last_days = models.BooleanField(default=False)
    # Allow for the weather: the day's air-pressure change as a covariate (docs/analysis-methods.md).
    weather_covariate = models.BooleanField(default=False)
    assessment_every_days = models.PositiveSmallIntegerField(default=0)
    start_date = models.DateField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    stopped_on = models.DateField(null=True, blank=True, help_text="Last day of a trial stopped early.")
    stop_reason = models.TextField(blank=True)
    custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="custodian_trials"
    )
    # Kept when the custodian's account is deleted or the trial is imported elsewhere.
    had_custodian = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    if TYPE_CHECKING:
        phases: RelatedManager[Phase]
        prereg_entries: RelatedManager[PreRegistrationEntry]
        unblindings: RelatedManager[UnblindingEvent]
        assessments: RelatedManager[Assessment]
        invites: RelatedManager[CustodianInvite]

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=("user", "uuid"), name="trial_unique_uuid_per_user"),
        ]
        indexes = [models.Index(fields=("user", "status"), name="trial_user_status")]

    def __str__(self) -> str:
        return self.title

    # Protocol -------------------------------------------------------------------

    def planned(self) -> list[schedule.PlannedPhase]:
        return [p.planned() for p in self.phases.all()]

    @property
    def is_randomized(self) -> bool:
        return any(p.block is not None for p in self.phases.all())

    @property
    def design(self) -> str:
        if self.template == protocols.PAIRS and self.is_randomized:
            return "randomized-pairs"
        return "fixed"

    @property
    def total_days(self) -> int:
        return sum(p.days for p in self.phases.all())

    @property
    def planned_end(self) -> dt.date | None:
        if self.start_date is None or not self.total_days:
            return None
        return self.start_date + dt.timedelta(days=self.total_days - 1)

    @property
    def last_day(self) -> dt.date | None:
        """The last day actually in the trial: the stop date if stopped early, else the planned end."""
        return self.stopped_on or self.planned_end

    def _sealed_order(self) -> dict[int, list[int]]:
        """The drawn order; used only to lay out the calendar, never shown while blinded."""
        allocation = self.allocation_or_none()
        return order_of(allocation.payload if allocation else None)

    def actual_schedule(self) -> list[schedule.ScheduledPhase]:
        """The calendar as run. It depends on the sealed order: callers decide what to show."""
        if self.start_date is None:
            return []
        full = schedule.build(self.planned(), self.start_date, self._sealed_order())
        return schedule.truncate(full, self.stopped_on)

    def allocation_or_none(self) -> Allocation | None:
        try:
            return self.allocation
        except Allocation.DoesNotExist:
            return None

    # State ------------------------------------------------------------------------

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.RUNNING

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.FINISHED, self.Status.STOPPED)

    def has_ended(self, today: dt.date) -> bool:
        last = self.last_day
        return self.is_closed or (last is not None and today > last)

    @property
    def is_unblinded(self) -> bool:
        return any(True for _ in self.unblindings.all())

    @property
    def is_blind_now(self) -> bool:
        """True while the participant must not see the allocation."""
        return self.blinded and not self.is_unblinded

    def outcomes(self) -> list[Any]:
        return [self.primary_outcome, *self.secondary_outcomes.all()]

    def analysis_outcomes(self) -> list[Any]:
        """The symptoms, then the device measures (``device_outcomes.DeviceOutcome``): everything analysed."""
        from fibrotrack.trials.device_outcomes import outcomes_of

        return [*self.outcomes(), *outcomes_of(self.secondary_measures)]

    def label_for(self, kind: str) -> str:
        """A phase kind in the person's words: 'LDN 4.5 mg' rather than 'treatment' (in the active language)."""
        if kind == protocols.TREATMENT:
            return words.person_name(self.treatment_name)
        if kind == protocols.COMPARISON:
            return words.person_name(self.control_name)
        return words.kind_name(kind)

    def in_sentence(self, kind: str) -> str:
        """``label_for`` inside a sentence: "during the baseline", "during the LDN 4.5 mg"."""
        if kind in (protocols.TREATMENT, protocols.COMPARISON):
            return self.label_for(kind)
        return words.kind_in_sentence(kind)

    @property
    def display_title(self) -> str:
        return words.display_title(self)

    @property
    def display_treatment_name(self) -> str:
        return words.person_name(self.treatment_name)


class Phase(models.Model):
    KIND_CHOICES = words.KIND_CHOICES

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="phases")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=KIND_CHOICES)
    days = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(365)])
    counts_in_analysis = models.BooleanField(default=True)
    blinded = models.BooleanField(default=False)
    block = models.PositiveSmallIntegerField(null=True, blank=True)
    regimens = models.ManyToManyField("treatments.Regimen", blank=True, related_name="trial_phases")

    class Meta:
        ordering = ("position",)
        constraints = [
            models.UniqueConstraint(fields=("trial", "position"), name="phase_unique_position"),
            models.CheckConstraint(condition=Q(days__gte=1), name="phase_at_least_one_day"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.days}d"

    def planned(self) -> schedule.PlannedPhase:
        return schedule.PlannedPhase(
            self.position, self.kind, self.days, self.counts_in_analysis, self.blinded, self.block
        )


class Allocation(models.Model):
    """The sealed allocation: drawn once at the start, never changed."""

    trial = models.OneToOneField(Trial, on_delete=models.CASCADE, related_name="allocation")
    payload = models.JSONField()
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"allocation {self.digest[:12]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("An allocation is sealed and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("An allocation is sealed and cannot be deleted.")


class PreRegistrationEntry(models.Model):
    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Registered at the start")
        AMENDED = "amended", _("Changed after the start")

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="prereg_entries")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    reason = models.TextField(blank=True)
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ("seq",)
        constraints = [models.UniqueConstraint(fields=("trial", "seq"), name="prereg_unique_seq")]

    def __str__(self) -> str:
        return f"{self.trial_id} #{self.seq} {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The pre-registration log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("The pre-registration log is append-only.")

    def as_record(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "kind": self.kind,
            "created_at": self.created_at.isoformat(),
            "reason": self.reason,
            "payload": self.payload,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


class CustodianInvite(models.Model):
    """An e-mailed invitation to hold the blind. Only the token's SHA-256 is stored."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="invites")
    email = models.EmailField()
    # The e-mailed token is an HMAC of this nonce under SECRET_KEY, so neither
    # the database nor the task queue ever holds the token itself.
    nonce = models.CharField(max_length=32)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"invite to {self.email}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class UnblindingEvent(models.Model):
    class Kind(models.TextChoices):
        END = "end", _("At the end of the trial")
        EMERGENCY = "emergency", _("Emergency unblinding")

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="unblindings")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    by_role = models.CharField(max_length=12)
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.kind} {self.day}"


class Assessment(models.Model):
    """A lab or clinic measurement (quantitative sensory testing)."""

    class Kind(models.TextChoices):
        PRESSURE = "pressure_kpa", _("Pressure pain threshold")
        HEAT = "heat_c", _("Heat pain threshold")
        COLD = "cold_c", _("Cold pain threshold")
        COLD_PRESSOR = "cold_pressor_s", _("Cold-pressor tolerance")

    UNITS = {"pressure_kpa": "kPa", "heat_c": "°C", "cold_c": "°C", "cold_pressor_s": "seconds"}
    #: Which way is better: a higher pressure or heat threshold, a lower cold threshold, a longer tolerance.
    HIGHER_IS_BETTER = {"pressure_kpa": True, "heat_c": True, "cold_c": False, "cold_pressor_s": True}
    RANGES = {"pressure_kpa": (0, 2000), "heat_c": (30, 55), "cold_c": (-5, 32), "cold_pressor_s": (0, 600)}

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="assessments")
    measured_on = models.DateField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    value = models.DecimalField(max_digits=7, decimal_places=2)
    censored = models.BooleanField(default=False, help_text="The test stopped at its cap: the true value is higher.")
    cap = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    site = models.CharField(max_length=60, blank=True)
    note = models.CharField(max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_role = models.CharField(max_length=12, default="participant")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("measured_on", "kind", "id")
        constraints = [
            models.CheckConstraint(condition=Q(censored=False) | Q(cap__isnull=False), name="censored_has_cap"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.value} on {self.measured_on}"

    @property
    def unit(self) -> str:
        return unit_label(self.kind)

    @property
    def display_value(self) -> str:
        # Thresholds are stored in °C; shown in the person's unit (°F in the US: lib/l10n.py).
        if self.kind in (self.Kind.HEAT, self.Kind.COLD):
            exponent = int(self.value.normalize().as_tuple().exponent)
            text = l10n.temperature(float(self.value), decimals=max(0, -exponent))
        else:
            text = f"{self.value.normalize():f} {unit_label(self.kind)}"
        return gettext("≥ %(value)s (stopped at the cap)") % {"value": text} if self.censored else text

    @property
    def role_label(self) -> str:
        return words.role_name(self.entered_role)


def unit_label(kind: str) -> str:
    """An assessment's unit as shown: the symbols stay, "seconds" is a word."""
    unit = Assessment.UNITS[kind]
    return gettext("seconds") if unit == "seconds" else unit
