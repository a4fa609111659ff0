"""Helpers for the treatments tests: regimens made through the real actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from fibrotrack.lib.dates import diary_day
from fibrotrack.treatments import titration
from fibrotrack.treatments.actions import RegimenData, do_start_regimen
from fibrotrack.treatments.models import Regimen, Treatment


def catalogue(key: str) -> Treatment:
    return Treatment.objects.get(user=None, key=key)


def start(
    user: Any,
    key: str,
    *,
    on: dt.date | None = None,
    amount: str | None = "10",
    plan: str = "",
    schedule: str = "nightly",
    times: tuple[str, ...] = (),
    stop: dt.date | None = None,
    stop_reason: str = "",
    unit: str = "mg",
    weekdays: tuple[int, ...] = (),
    doses_per_day: int = 1,
) -> Regimen:
    today = diary_day(user)
    steps = titration.TEMPLATES[plan].steps if plan in titration.TEMPLATES else ()
    data = RegimenData(
        treatment=catalogue(key),
        unit=unit,
        started_on=on or today,
        schedule=schedule,
        amount=Decimal(amount) if amount and not plan else None,
        times=list(times),
        weekdays=list(weekdays),
        doses_per_day=doses_per_day,
        stopped_on=stop,
        stop_reason=stop_reason or ("other" if stop else ""),
        plan_template=plan,
        plan_steps=steps,
    )
    return do_start_regimen(user, data, today=today)
