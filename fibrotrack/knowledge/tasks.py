"""Background tasks (django-tasks) of the knowledge app."""

from __future__ import annotations

from django_tasks import task

from fibrotrack.knowledge.outcomes_actions import do_compute_outcomes


@task()
def compute_outcomes() -> dict[str, int]:
    """Recompute "what worked for others" (nightly, or when staff press the button in the admin)."""
    run = do_compute_outcomes()
    return {"sharing_people": run.sharing_people, "cells": run.cells}
