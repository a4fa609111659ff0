"""Research studies: the study, its staff, its versioned protocol and consent, participants and the allocation.

A person's diary, treatments and personal trials stay theirs. A study holds
only its own records (screening answers, consent signatures, allocation, visits,
lab measures) and reads a participant's diary through ``access`` for what they
consented to share, between their study dates.

Append-only records (``ProtocolVersion``, ``ConsentSignature``,
``AllocationSlot`` once assigned, ``AccessLogEntry``) refuse to be rewritten:
the protocol's history is what makes the result citable.

Deleting a participant's account deletes their ``Participant`` row's link
(``SET_NULL``) but keeps the pseudonymous row and its status, so the study's
CONSORT counts stay right; their data goes with the account.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fibrotrack.studies import roles


class AppendOnlyError(Exception):
    """An attempt to rewrite a sealed study record."""


class Study(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Being set up")
        OPEN = "open", _("Open to enrolment")
        CLOSED = "closed", _("Closed to enrolment")
        LOCKED = "locked", _("Dataset locked")
        UNBLINDED = "unblinded", _("Unblinded, results available")

    uuid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    title = models.CharField(_("title"), max_length=200)
    # Short public label used on bottle labels and in codes ("LDN-X"), never identifying anyone.
    short_code = models.SlugField(_("short code"), max_length=20, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    # Key of a design in ``designs.py`` the protocol was started from ("custom" otherwise).
    template = models.CharField(max_length=40, default="custom")
    # The current protocol (``designs.py`` schema). Editable while the study is a draft; from the
    # first enrolment on every change goes through ``do_amend_protocol`` (a new ProtocolVersion).
    protocol = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    target_enrolment = models.PositiveIntegerField(
        _("target enrolment"), default=30, validators=[MinValueValidator(1), MaxValueValidator(100_000)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="studies_created"
    )
    created_at = models.DateTimeField(default=timezone.now)
    frozen_at = models.DateTimeField(null=True, blank=True, help_text="First enrolment: the protocol is registered.")
    locked_at = models.DateTimeField(null=True, blank=True)
    unblinded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "studies"

    def __str__(self) -> str:
        return self.title

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def is_unblinded(self) -> bool:
        return self.unblinded_at is not None

    @property
    def accepts_enrolment(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def capsule_prescriber(self) -> str:
        """The "prescriber" of the blinded capsules the study adds to each participant's own treatments:
        how the study finds those courses again (adherence, withdrawal)."""
        return self.short_code.upper()


class Membership(models.Model):
    """A member of the study's staff. One role per person per study, so duties stay separate."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_memberships")
    role = models.CharField(max_length=12, choices=roles.CHOICES)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("study", "user"), name="studies_one_role_per_person")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} in {self.study_id}"


class StaffInvite(models.Model):
    """An invitation to join the staff. Only the invited address may accept it (issue 17's lesson)."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="staff_invites")
    email = models.EmailField()
    role = models.CharField(max_length=12, choices=roles.CHOICES)
    token_hash = models.CharField(max_length=64, unique=True)
    # Random; the e-mailed token is its HMAC under SECRET_KEY (``emails.invite_token``), stored nowhere.
    nonce = models.CharField(max_length=32, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.role} invite to {self.study_id}"

    def is_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now


class ProtocolVersion(models.Model):
    """The registered protocol and every amendment: append-only and hash-chained.

    Version 1 is written when the first participant enrols (the protocol is
    then frozen); each later amendment adds a version with its reason.
    """

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="protocol_versions")
    version = models.PositiveIntegerField()
    payload = models.JSONField()
    reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ("version",)
        constraints = [models.UniqueConstraint(fields=("study", "version"), name="studies_protocol_version_unique")]

    def __str__(self) -> str:
        return f"protocol v{self.version} of {self.study_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("A registered protocol version cannot be changed; amend the protocol instead.")
        super().save(*args, **kwargs)


class ConsentVersion(models.Model):
    """The text a participant signs. A new version asks everyone enrolled to consent again."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="consent_versions")
    version = models.PositiveIntegerField()
    text = models.TextField(help_text="Markdown, shown sanitised.")
    # What a participant agrees to share with the study (keys of ``SHARE_CHOICES`` below).
    shares = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # A draft (None) may still be edited; once published it is what participants sign, and it never changes.
    published_at = models.DateTimeField(null=True, blank=True)

    SHARE_CHOICES = [
        ("diary", _("Daily diary scores (pain, fatigue, sleep and the study's other outcomes)")),
        ("doses", _("Doses taken of the study medicine")),
        ("side_effects", _("Side effects")),
    ]

    class Meta:
        ordering = ("version",)
        constraints = [models.UniqueConstraint(fields=("study", "version"), name="studies_consent_version_unique")]

    def __str__(self) -> str:
        return f"consent v{self.version} of {self.study_id}"


class InviteCode(models.Model):
    """A code or link that lets people start enrolment. Single-use codes name no one; links may be shared."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="invite_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    # Random; the code is derived from it with SECRET_KEY (``codes.code_for``), so staff can show it again.
    nonce = models.CharField(max_length=32, blank=True)
    label = models.CharField(max_length=100, blank=True, help_text="For the staff: where the code was given out.")
    max_uses = models.PositiveIntegerField(default=1)
    uses = models.PositiveIntegerField(default=0)
    # Stratum the participant joins when the protocol stratifies by site ("" otherwise).
    site = models.CharField(max_length=60, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(uses__lte=models.F("max_uses")), name="studies_code_uses")]

    def __str__(self) -> str:
        return f"invite code {self.label or self.pk}"

    @property
    def is_multi_use(self) -> bool:
        return self.max_uses > 1


class Participant(models.Model):
    class Status(models.TextChoices):
        SCREENING = "screening", _("Screening")
        SCREEN_FAILED = "screen_failed", _("Not eligible")
        ELIGIBLE = "eligible", _("Eligible, waiting to be randomised")
        ACTIVE = "active", _("Taking part")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="participants")
    # SET_NULL: an account deleted mid-study leaves a pseudonymous row so the study's counts stay right.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="study_participations"
    )
    # Pseudonymous code the staff and every export use ("LDN-X-007").
    code = models.CharField(max_length=40)
    invite = models.ForeignKey(InviteCode, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.SCREENING)
    # Group for designs with a control group (e.g. "fibromyalgia" / "healthy_control"); "" otherwise.
    group = models.CharField(max_length=30, blank=True)
    # The stratum the allocation was drawn in (the protocol's stratification factor's value).
    stratum = models.CharField(max_length=60, blank=True)
    screen_fail_reasons = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    randomised_at = models.DateTimeField(null=True, blank=True)
    # Day 1 of the protocol's schedule, in the participant's diary days.
    start_date = models.DateField(null=True, blank=True)
    # The last diary day the study reads: the planned end (start + the protocol's length - 1),
    # brought forward when the participant completes early or withdraws. Set with ``open_window``.
    end_date = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    # The participant's choice at withdrawal: keep what was already given for the analysis, or remove it.
    withdrawal_keeps_data = models.BooleanField(null=True, blank=True)
    # Who recorded the withdrawal: the participant themself, or a coordinator on their behalf.
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("study", "code"), name="studies_participant_code_unique"),
            models.UniqueConstraint(
                fields=("study", "user"), condition=Q(user__isnull=False), name="studies_one_enrolment_per_person"
            ),
        ]
        indexes = [models.Index(fields=("study", "status"))]

    def __str__(self) -> str:
        return self.code

    def open_window(self, start: dt.date, length_days: int) -> None:
        """Set day 1 and the planned last day (the caller saves)."""
        self.start_date = start
        self.end_date = start + dt.timedelta(days=length_days - 1)

    def close_window(self, last_day: dt.date) -> None:
        """Completion or withdrawal: the study reads no diary day after ``last_day`` (the caller saves)."""
        if self.end_date is None or last_day < self.end_date:
            self.end_date = last_day

    def study_day(self, day: dt.date) -> int | None:
        """1 on the start date; None before the participant started."""
        if self.start_date is None or day < self.start_date:
            return None
        return (day - self.start_date).days + 1


class ConsentSignature(models.Model):
    """A participant's signature of one consent version, with what they agreed to share. Append-only."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="signatures")
    version = models.ForeignKey(ConsentVersion, on_delete=models.PROTECT, related_name="signatures")
    typed_name = models.CharField(max_length=200)
    shares = models.JSONField(default=list)
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("signed_at",)
        constraints = [
            models.UniqueConstraint(fields=("participant", "version"), name="studies_one_signature_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} signed v{self.version_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("A signed consent cannot be changed; a new version is signed instead.")
        super().save(*args, **kwargs)


class Screening(models.Model):
    """The eligibility screener's answers, scores and decision, kept with the reasons for a screen failure."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="screening")
    answers = models.JSONField(default=dict)
    wpi = models.PositiveSmallIntegerField(null=True, blank=True)
    sss = models.PositiveSmallIntegerField(null=True, blank=True)
    eligible = models.BooleanField()
    reasons = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"screening of {self.participant_id}"


class AllocationSlot(models.Model):
    """One line of the concealed allocation list, drawn before enrolment with a CSPRNG.

    ``arm`` is the arm key, or for a crossover the period order ("AB", "BA").
    Only the pharmacist role reads it before unblinding (``access``). Slots are
    taken in ``seq`` order within a stratum under a row lock, so two people
    randomised at once never share a slot.
    """

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="allocation_slots")
    stratum = models.CharField(max_length=60, blank=True)
    seq = models.PositiveIntegerField()
    block = models.PositiveIntegerField()
    block_size = models.PositiveSmallIntegerField()
    arm = models.CharField(max_length=40)
    # Kit number printed on the participant's bottles: tells nothing about the arm.
    kit = models.CharField(max_length=20)
    participant = models.OneToOneField(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="allocation"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("stratum", "seq")
        constraints = [
            models.UniqueConstraint(fields=("study", "stratum", "seq"), name="studies_slot_unique_seq"),
            models.UniqueConstraint(fields=("study", "kit"), name="studies_slot_unique_kit"),
        ]

    def __str__(self) -> str:
        return f"slot {self.stratum}/{self.seq}"


class AccessLogEntry(models.Model):
    """Every access to identifiable participant data (names, e-mail, the allocation) by staff."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="access_log")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    role = models.CharField(max_length=12)
    action = models.CharField(max_length=60)
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    path = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at",)
        indexes = [models.Index(fields=("study", "-created_at"))]

    def __str__(self) -> str:
        return f"{self.role} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The access log cannot be changed.")
        super().save(*args, **kwargs)


class AdverseEvent(models.Model):
    """A health problem during the study, reported by the participant or the staff.

    Serious adverse events (ICH E2A: death, life-threatening, hospitalisation,
    lasting disability, a birth defect, or another important medical event)
    alert the principal investigator and the data monitor at once.
    """

    class Criterion(models.TextChoices):
        DEATH = "death", _("Resulted in death")
        LIFE_THREATENING = "life_threatening", _("Was life-threatening")
        HOSPITAL = "hospital", _("Needed a hospital stay, or made one longer")
        DISABILITY = "disability", _("Caused lasting disability or incapacity")
        BIRTH_DEFECT = "birth_defect", _("Caused a birth defect")
        OTHER = "other", _("Another important medical event")

    class Severity(models.TextChoices):
        MILD = "mild", _("Mild")
        MODERATE = "moderate", _("Moderate")
        SEVERE = "severe", _("Severe")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="adverse_events")
    description = models.TextField(_("what happened"), max_length=2000)
    onset_on = models.DateField(_("when it started"))
    severity = models.CharField(_("how bad"), max_length=10, choices=Severity.choices, default=Severity.MILD)
    # Empty for a non-serious event; any criterion makes it serious.
    criteria = models.JSONField(default=list, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reporter_role = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    alert_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"adverse event {self.pk} of {self.participant_id}"

    @property
    def is_serious(self) -> bool:
        return bool(self.criteria)


# Blinding, dispensing and visits (migration 0004) ---------------------------------------------


class UnblindingEvent(models.Model):
    """A broken blind: one participant in an emergency, or the whole study once its dataset is locked.

    Append-only, so the result can say who was unblinded, when, by whom and why
    (days rated after an emergency unblinding may be coloured by knowing).
    """

    class Kind(models.TextChoices):
        EMERGENCY = "emergency", _("Emergency unblinding of one participant")
        STUDY = "study", _("Whole study unblinded after the dataset was locked")

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="unblindings")
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="unblindings"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    by_role = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="study", participant__isnull=True) | Q(kind="emergency", participant__isnull=False),
                name="studies_unblinding_kind_participant",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} unblinding in {self.study_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("An unblinding is a record of what happened: it cannot be changed.")
        super().save(*args, **kwargs)

    @property
    def by_role_label(self) -> str:
        return str(dict(roles.CHOICES).get(self.by_role, self.by_role))


class Dispensing(models.Model):
    """The dispensing log: one bottle of one kit handed out, when and by whom. Append-only."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="dispensings")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="dispensings")
    kit = models.CharField(max_length=20)
    # The bottle's number in the kit: 1 for the first blinded period, 2 for the second …
    bottle = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(99)])
    capsules = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(1000)])
    dispensed_on = models.DateField()
    dispensed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-dispensed_on", "-id")
        indexes = [models.Index(fields=("study", "-dispensed_on"))]

    def __str__(self) -> str:
        return f"kit {self.kit} bottle {self.bottle}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The dispensing log cannot be changed; record a new line instead.")
        super().save(*args, **kwargs)


class BlindingGuess(models.Model):
    """At the end, before unblinding: what the participant thinks each bottle held (for Bang's blinding index)."""

    class Guess(models.TextChoices):
        DRUG = "drug", _("The study medicine")
        PLACEBO = "placebo", _("The placebo (dummy capsules)")
        DONT_KNOW = "dont_know", _("I don’t know")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="blinding_guesses")
    bottle = models.PositiveSmallIntegerField()
    guess = models.CharField(max_length=10, choices=Guess.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("participant", "bottle")
        constraints = [
            models.UniqueConstraint(fields=("participant", "bottle"), name="studies_one_guess_per_bottle"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} bottle {self.bottle}: {self.guess}"


class StudyVisit(models.Model):
    """One of a participant's lab visits, with its window in calendar dates (placed at randomisation).

    Only dates are stored and shown: which condition a visit falls in is the
    allocation, and the blinded assessor must not learn it.
    """

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="visits")
    key = models.CharField(max_length=30)
    label = models.CharField(max_length=100)
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    window_start = models.DateField()
    window_end = models.DateField()
    missed_reason = models.TextField(blank=True)
    missed_at = models.DateTimeField(null=True, blank=True)
    missed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("window_start", "participant_id", "number")
        constraints = [
            models.UniqueConstraint(fields=("participant", "key"), name="studies_one_visit_per_key"),
            models.CheckConstraint(
                condition=Q(window_start__lte=models.F("due_on")) & Q(due_on__lte=models.F("window_end")),
                name="studies_visit_window_holds_day",
            ),
        ]
        indexes = [models.Index(fields=("participant", "window_start"))]

    def __str__(self) -> str:
        return f"{self.label} of {self.participant_id}"


class LabMeasure(models.Model):
    """A lab measure entered by the blinded assessor at a visit (as personal trials' ``Assessment``)."""

    visit = models.ForeignKey(StudyVisit, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(max_length=16)
    value = models.DecimalField(max_digits=7, decimal_places=2)
    # The cold-pressor test stopped at the protocol's cap: the true tolerance is at least ``value``.
    censored = models.BooleanField(default=False)
    cap = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    measured_on = models.DateField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_role = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("visit", "kind")
        constraints = [
            models.UniqueConstraint(fields=("visit", "kind"), name="studies_one_measure_per_kind"),
            models.CheckConstraint(condition=Q(censored=False) | Q(cap__isnull=False), name="studies_censored_has_cap"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.value}"


# The locked dataset and its analysis (migration 0005) ----------------------------------------


class DatasetLock(models.Model):
    """The analysis dataset, frozen: what the pooled analysis reads and what the exports give out.

    ``data`` is canonical JSON text (sorted keys, no spaces; ``dataset.py``
    describes its shape) and ``digest`` its SHA-256, so anyone holding a copy
    can check it is the locked one. Append-only: a lock is never rewritten.
    """

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="dataset_locks")
    data = models.TextField()
    digest = models.CharField(max_length=64)
    n_participants = models.PositiveIntegerField()
    n_days = models.PositiveIntegerField()
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"dataset lock {self.digest[:12]} of {self.study_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("A locked dataset cannot be changed.")
        super().save(*args, **kwargs)


class AnalysisRun(models.Model):
    """One run of the pre-registered analysis on a locked dataset. Append-only.

    ``masked``: run before unblinding with the blinded conditions relabelled
    A and B at random; ``label_key`` (which letter is which) stays hidden
    until the study is unblinded.
    """

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="analysis_runs")
    lock = models.ForeignKey(DatasetLock, on_delete=models.PROTECT, related_name="runs")
    dataset_digest = models.CharField(max_length=64)
    masked = models.BooleanField()
    label_key = models.JSONField(default=dict, blank=True)
    result = models.JSONField()
    fibrostats_version = models.CharField(max_length=40)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"analysis run {self.pk} of {self.study_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("An analysis run cannot be changed; run the analysis again instead.")
        super().save(*args, **kwargs)
