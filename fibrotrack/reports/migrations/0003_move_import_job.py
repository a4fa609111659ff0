"""ImportJob moved to the portability app: drop it from reports' model state only.

The table and its rows stay; portability 0001 (which this depends on) has
already taken them over and renamed the table. Nothing in the database changes here.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_import_job"),
        ("portability", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImportJob")],
            database_operations=[],
        ),
    ]
