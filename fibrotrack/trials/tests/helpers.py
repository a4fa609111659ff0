"""Helpers for the trials tests: trials made through the real actions, diaries seeded fast."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from typing import Any

from fibrotrack.diary.models import CheckIn, SymptomScore
from fibrotrack.lib.series import days
from fibrotrack.treatments.models import DoseLog
from fibrotrack.treatments.tests.helpers import start as start_regimen
from fibrotrack.trials import actions, protocols
from fibrotrack.trials.models import Trial


def symptom(user: Any, key: str = "pain") -> Any:
    return user.symptoms.get(key=key)


def ldn_regimen(user: Any, on: dt.date) -> Any:
    return start_regimen(user, "naltrexone", on=on, amount="4.5")


def new_trial(
    user: Any,
    template: protocols.Template | None = None,
    *,
    regimen: Any = None,
    outcome: str = "pain",
    title: str = "",
    treatment_name: str = "LDN 4.5 mg",
) -> Trial:
    template = template or protocols.ldn_pilot()
    return actions.do_create_trial(
        user,
        template=template,
        title=title or template.name,
        primary_outcome=symptom(user, outcome),
        treatment_name=treatment_name,
        regimens=[regimen] if regimen else [],
    )


def with_custodian(trial: Trial, custodian: Any) -> Trial:
    invite = actions.do_invite_custodian(trial, custodian.email)
    actions.do_accept_invite(custodian, invite)
    trial.refresh_from_db()
    return trial


def started(trial: Trial, start: dt.date) -> Trial:
    """Start on ``start`` as if it were today then (the action takes ``today`` explicitly)."""
    actions.do_start_trial(trial, start, today=start)
    return Trial.objects.get(pk=trial.pk)


def seed_diary(
    user: Any,
    start: dt.date,
    end: dt.date,
    level: Callable[[dt.date], float],
    *,
    key: str = "pain",
    sd: float = 1.0,
    rho: float = 0.4,
    seed: int = 1,
    skip: float = 0.0,
) -> int:
    """Daily scores ``level(day)`` plus AR(1) noise, rounded and clipped to 0-10; bulk-created."""
    rng = random.Random(seed)
    s = symptom(user, key)
    noise = 0.0
    checkins, values = [], []
    for day in days(start, end):
        noise = rho * noise + rng.gauss(0, sd * math.sqrt(1 - rho**2))
        if rng.random() < skip:
            continue
        checkins.append(CheckIn(user=user, day=day))
        values.append(max(0, min(10, round(level(day) + noise))))
    CheckIn.objects.bulk_create(checkins)
    saved = {c.day: c for c in CheckIn.objects.filter(user=user, day__range=(start, end))}
    SymptomScore.objects.bulk_create(
        [SymptomScore(checkin=saved[c.day], symptom=s, value=v) for c, v in zip(checkins, values, strict=True)]
    )
    return len(checkins)


def log_doses(regimen: Any, start: dt.date, end: dt.date, status: str = "taken") -> None:
    DoseLog.objects.bulk_create(
        [
            DoseLog(regimen=regimen, day=d, slot=0, status=status, amount=4.5 if status == "taken" else None, unit="mg")
            for d in days(start, end)
        ]
    )
