"""The daily diary: what a person tracks and what each day was like."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fibrotrack.diary import acr2016
from fibrotrack.diary.defaults import symptom_label, tag_label


class TrackedSymptom(models.Model):
    """A symptom one person tracks. Archived, never deleted, so history stays."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="symptoms")
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=40)
    scale_min = models.PositiveSmallIntegerField(default=0)
    scale_max = models.PositiveSmallIntegerField(default=10)
    lower_is_better = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    is_custom = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("position", "id")
        constraints = [
            models.UniqueConstraint(fields=("user", "key"), name="symptom_unique_key_per_user"),
            models.CheckConstraint(condition=Q(scale_max__gt=models.F("scale_min")), name="symptom_scale_ordered"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name to show: a default symptom's in the active language (stored names never change)."""
        return symptom_label(self.name)

    @property
    def direction_label(self) -> str:
        return str(_("lower is better") if self.lower_is_better else _("higher is better"))


class Tag(models.Model):
    """What happened that day. ``user`` is null for the built-in tags."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="tags"
    )
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=40)
    is_trigger = models.BooleanField(default=True)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=("user", "key"), name="tag_unique_key_per_user"),
            models.UniqueConstraint(fields=("key",), condition=Q(user=None), name="tag_unique_builtin_key"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name to show: a built-in tag's in the active language."""
        return tag_label(self.name)


class CheckIn(models.Model):
    """One person's diary day. Exactly one per person per diary date."""

    # No index of its own: the unique (user, day) constraint's index serves every
    # lookup by person, and a second copy cost about 5% of the diary's disk (busy-hour bench).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins", db_index=False
    )
    day = models.DateField()
    hours_slept = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
        verbose_name=_("hours slept"),
    )
    # The verbose names are the words of the check-in; the change history shows them.
    pain_regions = models.JSONField(default=list, blank=True, verbose_name=_("where it hurt"))
    tags = models.ManyToManyField(Tag, blank=True, related_name="checkins", verbose_name=_("what happened"))
    note = models.TextField(blank=True, verbose_name=_("note"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-day",)
        constraints = [models.UniqueConstraint(fields=("user", "day"), name="one_checkin_per_user_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"

    @cached_property
    def score_map(self) -> dict[int, int]:
        """symptom id -> value; uses prefetched ``scores`` when present."""
        return {s.symptom_id: s.value for s in self.scores.all()}


class SymptomScore(models.Model):
    # Indexed by the unique (checkin, symptom) constraint, which starts with it.
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="scores", db_index=False)
    symptom = models.ForeignKey(TrackedSymptom, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("checkin", "symptom"), name="one_score_per_symptom"),
            models.CheckConstraint(condition=Q(value__lte=10), name="score_at_most_10"),
        ]

    def __str__(self) -> str:
        return f"{self.symptom_id}={self.value}"


class CheckInRevision(models.Model):
    """Append-only history of every change to a check-in.

    ``checkin`` is nulled, not cascaded, when a day is deleted, so the log
    still shows that it existed and what it held. Deleting the account
    removes the log with everything else (``user`` cascades).
    """

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")
        DELETED = "deleted", _("deleted")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    checkin = models.ForeignKey(CheckIn, null=True, on_delete=models.SET_NULL, related_name="revisions")
    day = models.DateField()
    action = models.CharField(max_length=8, choices=Action.choices)
    changes = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("user", "day"), name="revision_user_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.action}"


class CheckInSubmission(models.Model):
    """A save of a check-in, named by the id its sender gave it (the idempotency key).

    The offline outbox and the API send a check-in with a client-generated id
    and may send it again (a lost answer, a replayed outbox): the second save
    with the same id finds this row and writes nothing.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    client_id = models.UUIDField()
    day = models.DateField()
    checkin = models.ForeignKey(CheckIn, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("user", "client_id"), name="one_submission_per_client_id")]
        # For the daily pruning of old client ids (actions.do_prune_submissions).
        indexes = [models.Index(fields=("created_at",), name="submission_created")]

    def __str__(self) -> str:
        return f"{self.day} {self.client_id}"


class Acr2016Assessment(models.Model):
    """A filled-in ACR 2016 questionnaire (WPI + SSS)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="acr_assessments")
    day = models.DateField()
    regions = models.JSONField(default=list)
    fatigue = models.PositiveSmallIntegerField(validators=[MaxValueValidator(3)])
    unrefreshed = models.PositiveSmallIntegerField(validators=[MaxValueValidator(3)])
    cognitive = models.PositiveSmallIntegerField(validators=[MaxValueValidator(3)])
    headache = models.BooleanField()
    abdominal = models.BooleanField()
    depression = models.BooleanField()
    three_months = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-day", "-id")

    def __str__(self) -> str:
        return f"ACR 2016 {self.day}"

    @cached_property
    def result(self) -> acr2016.AcrScore:
        return acr2016.score(**self.score_inputs())

    def score_inputs(self) -> dict[str, Any]:
        return {
            "regions": self.regions,
            "fatigue": self.fatigue,
            "unrefreshed": self.unrefreshed,
            "cognitive": self.cognitive,
            "headache": self.headache,
            "abdominal": self.abdominal,
            "depression": self.depression,
            "three_months": self.three_months,
        }


class DailyMeasure(models.Model):
    """One number a device measured for one diary day: steps, resting heart rate, HRV or hours asleep.

    Imported from a watch's export (``portability/wearables``), one row per person, day
    and kind; ``source`` says where it came from ("Apple Health: Jo's Apple Watch").
    The check-in's hours slept stay the person's own: an import only fills them in, or
    replaces them when the person asked it to.
    """

    class Kind(models.TextChoices):
        SLEEP = "sleep_hours", _("hours asleep (from a device)")
        STEPS = "steps", _("steps")
        RESTING_HR = "resting_hr", _("resting heart rate")
        HRV = "hrv_sdnn", _("heart-rate variability (SDNN)")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="daily_measures")
    day = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.DecimalField(max_digits=9, decimal_places=2)
    source = models.CharField(max_length=120, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("day", "kind")
        constraints = [
            models.UniqueConstraint(fields=("user", "day", "kind"), name="one_measure_per_user_day_kind"),
            models.CheckConstraint(condition=Q(value__gte=0), name="measure_not_negative"),
        ]
        indexes = [models.Index(fields=("user", "kind", "day"), name="measure_user_kind_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day} {self.kind}={self.value}"
