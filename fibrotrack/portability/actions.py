"""Every write of the "Your data" pages: queuing a confirmed import (the worker's writes are in ``jobs``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone, translation

from fibrotrack.accounts.models import User
from fibrotrack.lib.tasks import enqueue
from fibrotrack.portability import jobs, uploads
from fibrotrack.portability.access import token_hash
from fibrotrack.portability.imports.base import Options
from fibrotrack.portability.models import ImportJob

IMPORT_JOBS_KEPT_DAYS = 7


def do_discard_uploads(user: User, *, keep_posts: bool) -> None:
    """Account deletion step: the person's uploads (a watch's export can be gigabytes of health data) go too.

    After the commit, so a deletion that rolls back keeps them; the user row's cascade removes the jobs.
    """
    user_id = user.pk
    transaction.on_commit(lambda: uploads.discard_all(user_id))


def do_queue_import(user: User, pending: uploads.PendingImport, options: Options) -> tuple[ImportJob, bool]:
    """Record a confirmed upload as an import job and enqueue it, once; a small one runs at once instead.

    Confirming the same upload again (a double tap, a second tab) finds the first job:
    the token's hash is unique, so two requests cannot both create one. Finished jobs
    older than a week are deleted here, with the row reasons they kept.
    """
    ImportJob.objects.filter(finished_at__lt=timezone.now() - dt.timedelta(days=IMPORT_JOBS_KEPT_DAYS)).delete()
    at_once = pending.size <= jobs.RUN_AT_ONCE_BYTES
    with transaction.atomic():
        job, created = ImportJob.objects.get_or_create(
            user=user,
            token_hash=token_hash(pending.token),
            defaults={
                "format": pending.format,
                "name": pending.name[:120],
                "sha256": pending.sha256,
                "source_user": (options.source_user or "")[:120],
                "weather": options.weather,
                "daily_symptoms": None if options.daily is None else sorted(options.daily),
                "replace_sleep": options.replace_sleep,
                "language": (translation.get_language() or "")[:10],
            },
        )
        if created:
            waiting = pending.folder
            uploads.hand_over(pending, user.pk, job.pk)
            try:
                if not at_once:
                    enqueue(jobs.run_import, job.pk)
            except Exception:  # the job rolls back: put the upload back where its preview finds it
                if waiting is not None and pending.folder is not None:
                    pending.folder.rename(waiting)
                raise
    if created and at_once:
        # After the commit, like the worker: the same claim, one transaction, the same result page.
        jobs.run_import.call(job.pk)
        job.refresh_from_db()
    return job, created
