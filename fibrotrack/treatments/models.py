"""Treatments: what a person takes or does, how much, when, and what it did.

Every row that holds personal data reaches the user through foreign keys
that cascade, so deleting an account removes it all. Catalogue entries are
``Treatment`` rows with ``user=None``.

Doses are history, not state: a regimen's dose comes from its titration plan
and from append-only ``DoseChange`` events (see ``titration.py``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fibrotrack.treatments import catalogue, titration
from fibrotrack.treatments.safety import Course, Flag
from fibrotrack.treatments.schedule import KIND_LABELS, Kind, Schedule

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

MAX_DIGITS, DECIMAL_PLACES = 9, 3  # up to 999,999.999: 0.125 mg to 50,000 IU


class Treatment(models.Model):
    """A medication, supplement, therapy or exercise. ``user`` is None for the catalogue."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="treatments"
    )
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=80)
    category = models.CharField(max_length=16, choices=catalogue.CATEGORIES)
    aliases = models.JSONField(default=list, blank=True)
    units = models.JSONField(default=list, blank=True)
    forms = models.JSONField(default=list, blank=True)
    side_effects = models.JSONField(default=list, blank=True)
    is_opioid = models.BooleanField(default=False)
    is_opioid_antagonist = models.BooleanField(default=False)
    is_serotonergic = models.BooleanField(default=False)
    is_sedative = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=("user", "key"), name="treatment_unique_key_per_user"),
            models.UniqueConstraint(fields=("key",), condition=Q(user=None), name="treatment_unique_catalogue_key"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_custom(self) -> bool:
        return self.user_id is not None

    @property
    def display_name(self) -> str:
        """The name people see: the catalogue's in the active language, a person's own as they wrote it."""
        return catalogue.display_name(self.name, custom=self.is_custom)

    @property
    def label(self) -> str:
        """The name with its other common names, for choosing from a list."""
        name = self.display_name
        others = [
            catalogue.alias_label(a) if not self.is_custom else a
            for a in self.aliases
            if a.casefold() not in self.name.casefold()
        ]
        others = [a for a in dict.fromkeys(others) if a.casefold() not in name.casefold()]
        return f"{name} – {', '.join(others)}" if others else name

    @property
    def flags(self) -> frozenset[str]:
        return frozenset(
            flag
            for flag, on in (
                (Flag.OPIOID, self.is_opioid),
                (Flag.OPIOID_ANTAGONIST, self.is_opioid_antagonist),
                (Flag.SEROTONERGIC, self.is_serotonergic),
                (Flag.SEDATIVE, self.is_sedative),
            )
            if on
        )

    @property
    def default_unit(self) -> str:
        return self.units[0] if self.units else "mg"


class Regimen(models.Model):
    """One course of one treatment: from a start date to (maybe) a stop date."""

    class StopReason(models.TextChoices):
        DID_NOT_HELP = "did_not_help", _("It didn’t help")
        SIDE_EFFECTS = "side_effects", _("Side effects")
        COST = "cost", _("Cost")
        DOCTORS_ADVICE = "doctors_advice", _("Doctor’s advice")
        OTHER = "other", _("Other")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="regimens")
    # RESTRICT: a treatment in use cannot be deleted, except together with its
    # owner's account (which also cascades to the regimens).
    treatment = models.ForeignKey(Treatment, on_delete=models.RESTRICT, related_name="regimens")
    unit = models.CharField(max_length=12, choices=catalogue.UNITS)
    form = models.CharField(max_length=16, choices=catalogue.FORMS, blank=True)
    schedule = models.CharField(max_length=12, choices=list(KIND_LABELS.items()), default=Kind.DAILY)
    times = models.JSONField(default=list, blank=True)
    doses_per_day = models.PositiveSmallIntegerField(default=1)
    weekdays = models.JSONField(default=list, blank=True)
    started_on = models.DateField()
    stopped_on = models.DateField(null=True, blank=True, help_text=_("The last day, inclusive."))
    stop_reason = models.CharField(max_length=16, choices=StopReason.choices, blank=True)
    stop_note = models.TextField(blank=True)
    prescriber = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    if TYPE_CHECKING:
        dose_changes: RelatedManager[DoseChange]
        dose_logs: RelatedManager[DoseLog]

    class Meta:
        ordering = ("-started_on", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("user", "treatment"), condition=Q(stopped_on=None), name="one_open_regimen_per_treatment"
            ),
            models.CheckConstraint(
                condition=Q(stopped_on=None) | Q(stopped_on__gte=F("started_on")), name="regimen_stop_after_start"
            ),
            models.CheckConstraint(
                condition=Q(doses_per_day__gte=1) & Q(doses_per_day__lte=12), name="regimen_doses_per_day_range"
            ),
        ]
        indexes = [models.Index(fields=("user", "started_on"), name="regimen_user_start")]

    def __str__(self) -> str:
        return f"{self.treatment} from {self.started_on}"

    @property
    def name(self) -> str:
        return self.treatment.name

    @property
    def display_name(self) -> str:
        return self.treatment.display_name

    @property
    def schedule_rule(self) -> Schedule:
        return Schedule(self.schedule, tuple(self.times), self.doses_per_day, tuple(self.weekdays))

    @property
    def schedule_text(self) -> str:
        return self.schedule_rule.describe()

    @property
    def has_expected_doses(self) -> bool:
        return self.schedule_rule.has_expected_doses

    def is_active_on(self, day: dt.date) -> bool:
        return self.started_on <= day and (self.stopped_on is None or day <= self.stopped_on)

    def plan_or_none(self) -> TitrationPlan | None:
        try:
            return self.plan
        except TitrationPlan.DoesNotExist:
            return None

    def dose_spec(self) -> titration.DoseSpec:
        """The pure description of this regimen's doses (uses prefetched dose changes)."""
        plan = self.plan_or_none()
        return titration.DoseSpec(
            start=self.started_on,
            stop=self.stopped_on,
            unit=self.unit,
            plan=plan.to_plan() if plan else None,
            changes=tuple(c.to_change() for c in self.dose_changes.all()),
        )

    def course(self) -> Course:
        return Course(self.treatment.display_name, self.treatment.flags, self.started_on, self.stopped_on, self.pk)


def _order(when: dt.datetime | None) -> int:
    return int(when.timestamp() * 1_000_000) if when else 0


class TitrationPlan(models.Model):
    """Ordered steps from ``start_date``: ``[{"amount": "1" | null, "days": 7}, ...]`` (null = pause)."""

    regimen = models.OneToOneField(Regimen, on_delete=models.CASCADE, related_name="plan")
    template = models.CharField(max_length=20)
    start_date = models.DateField()
    steps = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.template} from {self.start_date}"

    @property
    def step_list(self) -> tuple[titration.Step, ...]:
        return tuple(
            titration.Step(Decimal(s["amount"]) if s.get("amount") is not None else None, int(s["days"]))
            for s in self.steps
        )

    def to_plan(self) -> titration.Plan:
        return titration.Plan(self.start_date, self.step_list, _order(self.created_at))

    @property
    def template_name(self) -> str:
        found = titration.TEMPLATES.get(self.template)
        return found.name_text if found else gettext("Custom plan")


class DoseChange(models.Model):
    """An append-only event: from ``effective_on``, the dose is ``amount``."""

    class Reason(models.TextChoices):
        STARTED = "started", _("Started")
        PRESCRIBER = "prescriber", _("My prescriber changed it")
        SIDE_EFFECTS = "side_effects", _("Side effects")
        NOT_HELPING = "not_helping", _("It wasn’t helping enough")
        OWN_CHOICE = "own_choice", _("My own choice")
        OTHER = "other", _("Other")

    regimen = models.ForeignKey(Regimen, on_delete=models.CASCADE, related_name="dose_changes")
    effective_on = models.DateField()
    amount = models.DecimalField(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES)
    unit = models.CharField(max_length=12, choices=catalogue.UNITS)
    reason = models.CharField(max_length=16, choices=Reason.choices, default=Reason.PRESCRIBER)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("effective_on", "created_at", "id")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="dose_change_amount_positive")]

    def __str__(self) -> str:
        return f"{self.amount} {self.unit} from {self.effective_on}"

    def to_change(self) -> titration.Change:
        return titration.Change(self.effective_on, self.amount, self.unit, _order(self.created_at))


class DoseLog(models.Model):
    """What happened to one expected dose: one row per regimen, day and slot."""

    class Status(models.TextChoices):
        TAKEN = "taken", _("Taken")
        SKIPPED = "skipped", _("Skipped")
        DIFFERENT = "different", _("Different dose")

    regimen = models.ForeignKey(Regimen, on_delete=models.CASCADE, related_name="dose_logs")
    day = models.DateField()
    slot = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices)
    amount = models.DecimalField(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True, blank=True)
    unit = models.CharField(max_length=12, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("day", "slot")
        constraints = [
            models.UniqueConstraint(fields=("regimen", "day", "slot"), name="one_log_per_dose"),
            models.CheckConstraint(condition=Q(amount=None) | Q(amount__gt=0), name="dose_log_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status="different") | Q(amount__isnull=False), name="dose_log_different_has_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.regimen_id} {self.day} #{self.slot} {self.status}"


class SideEffect(models.Model):
    """An episode of a side effect, optionally linked to the regimen the person suspects."""

    class Severity(models.TextChoices):
        # Lazy labels, typed as the str they render as (other apps put them in str-typed rows).
        MILD = "mild", cast(str, _("Mild"))
        MODERATE = "moderate", cast(str, _("Moderate"))
        SEVERE = "severe", cast(str, _("Severe"))

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="side_effects")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=80)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    onset_on = models.DateField()
    is_ongoing = models.BooleanField(default=True)
    ended_on = models.DateField(null=True, blank=True)
    regimen = models.ForeignKey(Regimen, null=True, blank=True, on_delete=models.SET_NULL, related_name="side_effects")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-onset_on", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on=None) | Q(ended_on__gte=F("onset_on")), name="side_effect_end_after_onset"
            ),
            models.CheckConstraint(
                condition=Q(is_ongoing=True, ended_on=None) | Q(is_ongoing=False, ended_on__isnull=False),
                name="side_effect_ongoing_or_ended",
            ),
        ]
        indexes = [models.Index(fields=("user", "onset_on"), name="side_effect_user_onset")]

    def __str__(self) -> str:
        return f"{self.name} from {self.onset_on}"

    def covers(self, day: dt.date) -> bool:
        return self.onset_on <= day and (self.is_ongoing or (self.ended_on is not None and day <= self.ended_on))


SEVERITY_RANK = {"mild": 1, "moderate": 2, "severe": 3}


class SideEffectReport(models.Model):
    """How a side effect was on one day, from the check-in."""

    side_effect = models.ForeignKey(SideEffect, on_delete=models.CASCADE, related_name="reports")
    day = models.DateField()
    severity = models.CharField(max_length=10, choices=SideEffect.Severity.choices)

    class Meta:
        ordering = ("day",)
        constraints = [models.UniqueConstraint(fields=("side_effect", "day"), name="one_report_per_side_effect_day")]

    def __str__(self) -> str:
        return f"{self.side_effect_id} {self.day} {self.severity}"


class OpioidAnswer(models.Model):
    """The check-in answer to "did you take any opioid today?" while on naltrexone."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    took_opioid = models.BooleanField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=("user", "day"), name="one_opioid_answer_per_day")]

    def __str__(self) -> str:
        return f"{self.day} {'yes' if self.took_opioid else 'no'}"


class SafetyAcknowledgement(models.Model):
    """A record that the person saw and acknowledged a blocking warning."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=60)
    regimen = models.ForeignKey(Regimen, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.rule} {self.day}"
