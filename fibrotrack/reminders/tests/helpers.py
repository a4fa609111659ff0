"""Helpers for the reminders tests: time travel to a local wall-clock time, and one scheduler run there."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from fibrotrack.reminders import scheduler
from fibrotrack.reminders.schedule import occurrence, zone

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def local(name: str, day: dt.date, at: dt.time) -> dt.datetime:
    return occurrence(day, at, zone(name))


def run_at(instant: dt.datetime) -> int:
    """One scheduler run at ``instant`` (the worker runs inline under the immediate backend)."""
    with time_machine.travel(instant, tick=False):
        return scheduler.run()


def travel(instant: dt.datetime) -> Any:
    return time_machine.travel(instant, tick=False)
