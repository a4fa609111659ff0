"""The ``fibrotrack`` console script: Django's ``manage.py`` under a friendlier name."""

from __future__ import annotations

import os
import sys


def main() -> None:
    # `fibrotrack export-data` runs the export_data command (Python modules cannot have hyphens).
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        sys.argv[1] = sys.argv[1].replace("-", "_")
    if sys.argv[1:2] == ["analyze"]:
        # The statistics read only the CSV file: no settings, so no secret and no database.
        import fibrostats

        sys.exit(fibrostats.main(sys.argv[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
