"""ImportJob moved from reports to portability: an existing database keeps its rows and its queued imports."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from fibrotrack.lib.testing.factories import UserFactory
from fibrotrack.portability import jobs
from fibrotrack.portability.models import ImportJob

BEFORE = [("reports", "0002_import_job"), ("portability", None)]


def _migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh loader sees what is applied now


@pytest.mark.django_db(transaction=True)
def test_an_import_job_from_before_the_move_survives_it_in_portabilitys_table():
    user = UserFactory()
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = _migrate(BEFORE)
        tables = connection.introspection.table_names()
        assert "reports_importjob" in tables and "portability_importjob" not in tables
        OldJob = old.loader.project_state(BEFORE[0]).apps.get_model("reports", "ImportJob")
        kept = OldJob.objects.create(
            user_id=user.pk, token_hash="a" * 64, format="fibrotrack-json", name="mine.json", sha256="b" * 64,
            status="done", rows=12, result={"written": [["Diary days", 12]]},
        )  # fmt: skip
        # Its task, queued by the old module and not yet run by the worker.
        queued = DBTaskResult.objects.create(
            task_path="fibrotrack.reports.jobs.run_import", args_kwargs={"args": [kept.pk], "kwargs": {}},
            backend_name="default", run_after=timezone.now(),
        )  # fmt: skip
    finally:
        _migrate(leaves)  # forward to today's schema: the step under test (and the database back as it was)
    tables = connection.introspection.table_names()
    assert "portability_importjob" in tables and "reports_importjob" not in tables
    job = ImportJob.objects.get(pk=kept.pk)
    assert (job.user_id, job.token_hash, job.name, job.status, job.rows) == (user.pk, "a" * 64, "mine.json", "done", 12)
    assert job.result == {"written": [["Diary days", 12]]}
    queued.refresh_from_db()
    assert (
        queued.task_path == "fibrotrack.portability.jobs.run_import"
        and import_string(queued.task_path) is jobs.run_import
    )
    # The table goes on numbering after the rows it took over, and still cascades from the user.
    later = ImportJob.objects.create(user=user, token_hash="c" * 64, format="fibrotrack-csv", name="x", sha256="d" * 64)
    assert later.pk > job.pk
    user.delete()
    assert not ImportJob.objects.exists()
