"""Imports queued before the move still run: their task now lives in ``fibrotrack.portability.jobs``.

The database task backend stores each queued task by its dotted path. A
``run_import`` queued by ``fibrotrack.reports.jobs`` and not yet run when
this version is deployed would otherwise fail to import in the worker, and
its ``ImportJob`` would wait forever. (RQ keeps its queue in Redis, out of
reach of a migration: with Redis, let the queue empty before deploying.)
"""

from django.db import migrations

OLD = "fibrotrack.reports.jobs.run_import"
NEW = "fibrotrack.portability.jobs.run_import"


def _rename(apps, old, new):
    apps.get_model("django_tasks_database", "DBTaskResult").objects.filter(task_path=old).update(task_path=new)


def forwards(apps, schema_editor):
    _rename(apps, OLD, NEW)


def backwards(apps, schema_editor):
    _rename(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("portability", "0001_initial"),
        ("django_tasks_database", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
