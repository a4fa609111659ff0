"""Reports fixtures: a person with a year of diary, and clients for each audience."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from fibrotrack.lib.dates import diary_day
from fibrotrack.reports.tests.seed import seed_diary

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    """Tasks run inline, so invitations land in mail.outbox during the test."""
    settings.TASKS = IMMEDIATE


@pytest.fixture
def today(owner: Any) -> dt.date:
    return diary_day(owner)


@pytest.fixture
def year_of_data(owner: Any, today: dt.date) -> dict[str, Any]:
    return seed_diary(owner, today - dt.timedelta(days=400), today)


@pytest.fixture
def clinician_client(clinician: Any) -> Client:
    client = Client()
    client.force_login(clinician)
    return client


@pytest.fixture
def anonymous() -> Client:
    return Client()
