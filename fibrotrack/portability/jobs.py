"""Imports confirmed on the web run here: in the background worker (django-tasks), or at once if small.

A million-row Flaredown file takes most of a minute to apply, longer than a
web request may last. ``do_queue_import`` records an ``ImportJob`` and
enqueues ``run_import`` with its id only (no personal data in the task
queue); the person watches the job's status page. The reader's ``apply`` is
one transaction, so a failure, or a worker killed half-way, leaves nothing of
the file in the diary.

A small file (``RUN_AT_ONCE_BYTES``, a few hundred days) is applied in the confirm
request instead: it takes well under a second, and waiting for the worker's next
poll plus the status page's next refresh made a 16-row import sit "Queued" for
seconds, or for as long as the worker was busy with e-mails.

Progress ("120,000 rows so far") goes to the cache, not the database: while an
import holds SQLite's write lock, the status page only reads.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict
from typing import Any

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django_tasks import task

from fibrotrack.lib.i18n import person_language
from fibrotrack.portability import uploads
from fibrotrack.portability.imports import reader
from fibrotrack.portability.imports.base import SAVING, ImportRefused, Options, Result
from fibrotrack.portability.models import ImportJob

logger = logging.getLogger(__name__)

PROGRESS_SECONDS = 24 * 3600
RUN_AT_ONCE_BYTES = 100_000  # about 1,500 rows of a Flaredown research export
FAILED_UNEXPECTEDLY = gettext_noop(
    "Something went wrong on our side while importing this file. Please try again later; "
    "if it keeps happening, tell whoever runs this FibroTrack."
)
FILE_GONE = gettext_noop(
    "The uploaded file is no longer here (a queued import keeps it for a week) or is not the file you "
    "previewed. Please upload it again."
)


def progress_key(job_id: int) -> str:
    return f"portability:import-progress:{int(job_id)}"


def progress_of(job: ImportJob) -> dict[str, Any] | None:
    """The last progress a running job reported: {"phase", "rows", "total", "at"} or None."""
    found = cache.get(progress_key(job.pk))
    return found if isinstance(found, dict) else None


class _Reporter:
    def __init__(self, job_id: int) -> None:
        self.key = progress_key(job_id)
        self.rows = 0

    def __call__(self, phase: str, rows: int, total: int | None) -> None:
        if phase == SAVING:
            self.rows = max(self.rows, rows)
        cache.set(self.key, {"phase": phase, "rows": rows, "total": total, "at": time.time()}, PROGRESS_SECONDS)


def result_data(result: Result) -> dict[str, Any]:
    return {
        "written": [[label, number] for label, number in result.written],
        "problems": [asdict(problem) for problem in result.problems],
        "problem_count": result.problem_count,
        "total": result.total,
    }


def _finish(job: ImportJob, status: str, rows: int, *, result: dict[str, Any] | None = None, error: str = "") -> None:
    job.status, job.rows, job.result, job.error, job.finished_at = status, rows, result, error, timezone.now()
    job.save(update_fields=["status", "result", "error", "finished_at", "rows"])


@task()
def run_import(job_id: int) -> str:
    """Apply a queued import once. A second delivery of the same task finds it no longer queued."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "not queued"
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    # The result's words (what was saved, the rows left out) are stored as the person will read them.
    with translation.override(person_language(job.user, job.language)):
        return _run(job)


def _run(job: ImportJob) -> str:
    reporter = _Reporter(job.pk)
    try:
        path = uploads.job_file(job.user_id, job.pk, job.sha256)
        if path is None:
            raise ImportRefused(gettext(FILE_GONE))
        daily = None if job.daily_symptoms is None else frozenset(str(name) for name in job.daily_symptoms)
        options = Options(
            source_user=job.source_user or None, weather=job.weather, daily=daily, replace_sleep=job.replace_sleep
        )
        result = reader(job.format).apply(path, job.user, options, progress=reporter)
    except ImportRefused as refused:
        _finish(job, ImportJob.Status.FAILED, reporter.rows, error=str(refused))
    except Exception:  # the apply's transaction rolled back; say so rather than leave the page spinning
        logger.exception("import job %s failed", job.pk)
        _finish(job, ImportJob.Status.FAILED, reporter.rows, error=gettext(FAILED_UNEXPECTEDLY))
    else:
        _finish(job, ImportJob.Status.DONE, reporter.rows, result=result_data(result))
    finally:
        uploads.discard_job(job.user_id, job.pk)
        cache.delete(progress_key(job.pk))
    return str(job.status)
