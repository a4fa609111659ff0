"""Import jobs: a confirmed import waiting for, or run by, the background worker.

The table was ``reports_importjob`` until portability became its own app;
migration 0001 took it over with its rows and renamed it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """A confirmed import, run by the background worker (django-tasks), and what came of it.

    The status page is found by the owner *and* the hash of the upload's random
    token, so the token is never stored and anyone else gets a 404. The upload
    itself waits in ``VAR_DIR/imports/<user>/job-<id>/`` until the worker has
    read it (``uploads``); ``result`` holds the summary the finished
    page shows.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the background worker")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed: nothing was saved")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs")
    token_hash = models.CharField(max_length=64, unique=True)
    format = models.CharField(max_length=40)
    name = models.CharField(max_length=120)
    sha256 = models.CharField(max_length=64)
    source_user = models.CharField(max_length=120, blank=True)
    weather = models.CharField(max_length=10, default="note")
    # The new Flaredown scales ticked for the daily check-in (casefolded names); null: the defaults.
    daily_symptoms = models.JSONField(null=True, blank=True)
    # A watch's hours asleep replace hours slept the person typed (their explicit choice in the preview).
    replace_sleep = models.BooleanField(default=False)
    # The language of the request that confirmed it: the worker writes the result's words in it
    # (unless the person chose a language in their settings, which wins).
    language = models.CharField(max_length=10, blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows = models.PositiveIntegerField(default=0)  # rows read, once finished
    result = models.JSONField(null=True, blank=True)  # {"written": [[label, n]], "problems": [...], ...}
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.format}, {self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
