"""The knowledge app's models (articles, their revisions, and the opt-in outcome aggregates).

Articles come from ``knowledge/articles/<key>.md`` (see ``articles.py``); the
admin may edit them, and every change keeps the previous text as an
``ArticleRevision``. The newsletter's issues live in the community
(``NewsletterIssue``, with its double opt-in list); an ``Edition`` records which
articles an issue presents and ``Delivery`` is the sent-log, one row per
issue and subscriber, so that sending again never sends twice.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Category(models.TextChoices):
    MEDICATION = "medication", _("Medicines")
    SUPPLEMENT = "supplement", _("Supplements")
    THERAPY = "therapy", _("Therapies")
    EXERCISE = "exercise", _("Exercise")
    DIET = "diet", _("Diet")
    LIFESTYLE = "lifestyle", _("Lifestyle")


class Symptom(models.TextChoices):
    PAIN = "pain", _("Pain")
    FATIGUE = "fatigue", _("Fatigue")
    SLEEP = "sleep", _("Sleep")
    COGNITION = "cognition", _("Fibro fog")
    MOOD = "mood", _("Mood")
    STIFFNESS = "stiffness", _("Stiffness")


class Grade(models.TextChoices):
    STRONG_FOR = "strong_for", _("strong for")
    WEAK_FOR = "weak_for", _("weak for")
    WEAK_AGAINST = "weak_against", _("weak against")
    STRONG_AGAINST = "strong_against", _("strong against")
    NOT_ASSESSED = "not_assessed", _("not assessed")


class Article(models.Model):
    key = models.SlugField(max_length=60, unique=True, help_text=_("The treatment catalogue's key."))
    treatment = models.ForeignKey(
        "treatments.Treatment", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    title = models.CharField(max_length=150)
    summary = models.TextField(max_length=600)
    category = models.CharField(max_length=12, choices=Category.choices)
    symptoms = models.JSONField(default=list, blank=True)
    grade = models.CharField(max_length=16, choices=Grade.choices, default=Grade.NOT_ASSESSED)
    grade_group = models.CharField(max_length=150, blank=True)
    usual_dose = models.CharField(max_length=200, blank=True)
    last_reviewed = models.DateField()
    trial_template = models.CharField(max_length=30, blank=True)
    sources = models.JSONField(default=list, blank=True)
    body = models.TextField(help_text=_("Markdown."))
    html = models.TextField(blank=True, editable=False)
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    loaded_at = models.DateTimeField(null=True, blank=True, editable=False)
    thread = models.OneToOneField(
        "community.Thread", null=True, blank=True, on_delete=models.SET_NULL, related_name="article"
    )
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("title",)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:article", args=[self.key])


class ArticleRevision(models.Model):
    """The article as it was before one change: by the loader or by a staff member in the admin."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    changed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(max_length=10, choices=[("loader", _("Loader")), ("staff", _("Staff"))])
    note = models.CharField(max_length=200, blank=True)
    front_matter = models.JSONField(default=dict)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        who = self.changed_by or self.source
        return f"{self.article} ({who}, {self.created_at:%Y-%m-%d %H:%M})"


class Edition(models.Model):
    """The articles and the intro of one newsletter issue."""

    issue = models.OneToOneField("community.NewsletterIssue", on_delete=models.CASCADE, related_name="edition")
    intro = models.TextField(blank=True)
    articles = models.ManyToManyField(Article, blank=True, related_name="editions")
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return str(self.issue)


class Delivery(models.Model):
    """One issue sent to one subscriber: the unique pair is what stops a second send."""

    issue = models.ForeignKey("community.NewsletterIssue", on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("issue", "user"), name="knowledge_delivery_once")]

    def __str__(self) -> str:
        return f"{self.issue} → {self.user_id}"


# "What worked for others" (opt-in outcome aggregates): kept in their own module.
from fibrotrack.knowledge.outcome_models import OutcomeConsent, OutcomeRun, TreatmentOutcome  # noqa: E402, F401
