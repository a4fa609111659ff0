"""``python -m fibrostats analyze FILE.csv`` (no Django needed)."""

from .cli import main

raise SystemExit(main())
