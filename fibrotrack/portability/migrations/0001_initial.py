"""Take over the import jobs from reports, rows and all, and give their table portability's name.

``ImportJob`` was ``reports.ImportJob`` (table ``reports_importjob``, created by
reports 0002). The first operation only tells Django's model state that the
model now lives here, still in that table, so no row is copied or lost; reports
0003 then drops it from reports' state. ``AlterModelTable`` renames the table
to ``portability_importjob`` (an ``ALTER TABLE ... RENAME`` on SQLite and
PostgreSQL alike). A new database takes the same path, so every database ends
up with the same schema. The table's indexes and constraints keep their
``reports_importjob_...`` names; Django finds them by introspection, not by name.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("reports", "0002_import_job"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportJob",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("token_hash", models.CharField(max_length=64, unique=True)),
                        ("format", models.CharField(max_length=40)),
                        ("name", models.CharField(max_length=120)),
                        ("sha256", models.CharField(max_length=64)),
                        ("source_user", models.CharField(blank=True, max_length=120)),
                        ("weather", models.CharField(default="note", max_length=10)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Waiting for the background worker"),
                                    ("running", "Importing"),
                                    ("done", "Finished"),
                                    ("failed", "Failed: nothing was saved"),
                                ],
                                default="queued",
                                max_length=10,
                            ),
                        ),
                        ("rows", models.PositiveIntegerField(default=0)),
                        ("result", models.JSONField(blank=True, null=True)),
                        ("error", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="import_jobs",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"ordering": ("-created_at", "-id"), "db_table": "reports_importjob"},
                ),
            ],
            database_operations=[],
        ),
        # table=None: the default name for this app, portability_importjob.
        migrations.AlterModelTable(name="importjob", table=None),
    ]
