"""Portability fixtures: tasks run inline (a confirmed import finishes during the test), and the diary day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from fibrotrack.lib.dates import diary_day

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE


@pytest.fixture
def today(owner: Any) -> dt.date:
    return diary_day(owner)
