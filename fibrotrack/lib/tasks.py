"""Enqueueing a background task so that it never runs before the data it needs is committed."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction

# Backends that keep their tasks in this database (the task row commits or
# rolls back with the data) or run them inline: safe to enqueue at once.
_SAME_TRANSACTION = {"DatabaseBackend", "ImmediateBackend", "DummyBackend"}


def enqueue(task: Any, *args: Any) -> None:
    """Enqueue now if the backend keeps tasks in this database or runs them inline, else on commit."""
    if type(task.get_backend()).__name__ in _SAME_TRANSACTION:
        task.enqueue(*args)
    else:
        transaction.on_commit(partial(task.enqueue, *args), robust=True)
