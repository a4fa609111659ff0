"""Demo treatments: magnesium all along, pregabalin stopped for side effects, then LDN titrated up.

Doses are logged on the days the diary demo has a check-in (that is where
people log them), with the odd skipped or different dose, and a week away
from home when LDN went unlogged: a realistic adherence gap. Vivid dreams
come with the first weeks of LDN, as they commonly do.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from fibrotrack.accounts.models import User
from fibrotrack.diary.models import CheckIn
from fibrotrack.lib.series import days
from fibrotrack.treatments import titration
from fibrotrack.treatments.models import (
    DoseChange,
    DoseLog,
    OpioidAnswer,
    Regimen,
    SafetyAcknowledgement,
    SideEffect,
    SideEffectReport,
    TitrationPlan,
    Treatment,
)


def _clear(user: User) -> None:
    SideEffect.objects.filter(user=user).delete()
    OpioidAnswer.objects.filter(user=user).delete()
    SafetyAcknowledgement.objects.filter(user=user).delete()
    Regimen.objects.filter(user=user).delete()
    Treatment.objects.filter(user=user).delete()


def _logs(
    regimen: Regimen, logged_days: list[dt.date], rng: random.Random, skip: float = 0.04, different: float = 0.03
) -> list[DoseLog]:
    spec = regimen.dose_spec()
    rows = []
    for day in logged_days:
        dose = titration.expected_dose(spec, day)
        if dose is None or dose.amount is None:
            continue
        for slot in regimen.schedule_rule.slots(day):
            roll = rng.random()
            if roll < skip:
                rows.append(DoseLog(regimen=regimen, day=day, slot=slot.index, status="skipped"))
            elif roll < skip + different:
                half = (dose.amount / 2).quantize(Decimal("0.001"))
                rows.append(
                    DoseLog(regimen=regimen, day=day, slot=slot.index, status="different", amount=half, unit=dose.unit)
                )
            else:
                rows.append(
                    DoseLog(
                        regimen=regimen, day=day, slot=slot.index, status="taken", amount=dose.amount, unit=dose.unit
                    )
                )
    return rows


def _episode(
    user: User,
    regimen: Regimen | None,
    key: str,
    name: str,
    report_days: list[tuple[dt.date, str]],
    end: dt.date,
) -> tuple[SideEffect, list[SideEffectReport]]:
    rank = {"mild": 1, "moderate": 2, "severe": 3}
    last = max(d for d, _ in report_days)
    ongoing = last >= end - dt.timedelta(days=1)
    effect = SideEffect.objects.create(
        user=user,
        key=key,
        name=name,
        severity=max((s for _, s in report_days), key=rank.__getitem__),
        onset_on=min(d for d, _ in report_days),
        is_ongoing=ongoing,
        ended_on=None if ongoing else last,
        regimen=regimen,
    )
    return effect, [SideEffectReport(side_effect=effect, day=d, severity=s) for d, s in report_days]


def build(user: User, start: dt.date, end: dt.date, rng: random.Random) -> str:
    _clear(user)
    catalogue = {
        t.key: t for t in Treatment.objects.filter(user=None, key__in=["naltrexone", "pregabalin", "magnesium"])
    }
    checkin_days = set(CheckIn.objects.filter(user=user, day__range=(start, end)).values_list("day", flat=True))
    diary = sorted(checkin_days) if checkin_days else list(days(start, end))
    span = (end - start).days + 1

    magnesium = Regimen.objects.create(
        user=user,
        treatment=catalogue["magnesium"],
        unit="mg",
        form="capsule",
        schedule="nightly",
        started_on=start - dt.timedelta(days=90),
        note="Magnesium glycinate, for cramps.",
    )
    DoseChange.objects.create(
        regimen=magnesium, effective_on=magnesium.started_on, amount=Decimal(300), unit="mg", reason="started"
    )

    pregabalin_start = start + dt.timedelta(days=3)
    pregabalin_stop = pregabalin_start + dt.timedelta(days=min(44, span // 4))
    pregabalin = Regimen.objects.create(
        user=user,
        treatment=catalogue["pregabalin"],
        unit="mg",
        form="capsule",
        schedule="daily",
        times=["08:00", "20:00"],
        started_on=pregabalin_start,
        stopped_on=pregabalin_stop,
        stop_reason="side_effects",
        stop_note="Too dizzy to drive, and gained weight.",
        prescriber="Dr Okafor (GP)",
    )
    DoseChange.objects.create(
        regimen=pregabalin, effective_on=pregabalin_start, amount=Decimal(75), unit="mg", reason="started"
    )
    DoseChange.objects.create(
        regimen=pregabalin,
        effective_on=pregabalin_start + dt.timedelta(days=14),
        amount=Decimal(150),
        unit="mg",
        reason="prescriber",
        note="Up to 150 mg twice a day after two weeks.",
    )

    ldn_start = max(pregabalin_stop + dt.timedelta(days=10), end - dt.timedelta(days=100))
    ldn = Regimen.objects.create(
        user=user,
        treatment=catalogue["naltrexone"],
        unit="mg",
        form="compounded",
        schedule="nightly",
        started_on=ldn_start,
        prescriber="Dr Okafor (GP)",
        note="Compounded capsules from the pharmacy in town.",
    )
    plan = titration.TEMPLATES["ldn_standard"]
    TitrationPlan.objects.create(
        regimen=ldn,
        template=plan.key,
        start_date=ldn_start,
        steps=[{"amount": str(s.amount), "days": s.days} for s in plan.steps],
    )

    for regimen in (magnesium, pregabalin, ldn):
        regimen.refresh_from_db()
    logs = _logs(magnesium, [d for d in diary if d >= start], rng, skip=0.1)
    logs += _logs(pregabalin, [d for d in diary if pregabalin_start <= d <= pregabalin_stop], rng)
    away_start = ldn_start + dt.timedelta(days=45)
    away = set(days(away_start, away_start + dt.timedelta(days=6)))
    ldn_days = [d for d in diary if d >= ldn_start and d not in away]
    logs += _logs(ldn, ldn_days, rng, skip=0.03, different=0.0)
    DoseLog.objects.bulk_create(logs, batch_size=1000)
    OpioidAnswer.objects.bulk_create([OpioidAnswer(user=user, day=d, took_opioid=False) for d in ldn_days])

    reports: list[SideEffectReport] = []
    dizzy = [
        (d, "moderate" if d >= pregabalin_start + dt.timedelta(days=14) else "mild")
        for d in diary
        if pregabalin_start + dt.timedelta(days=2) <= d <= pregabalin_stop and rng.random() < 0.7
    ]
    weight = [(d, "mild") for d in diary if pregabalin_start + dt.timedelta(days=21) <= d <= pregabalin_stop]
    dreams = [
        (d, "moderate" if d < ldn_start + dt.timedelta(days=7) and rng.random() < 0.4 else "mild")
        for d in diary
        if ldn_start <= d <= min(ldn_start + dt.timedelta(days=24), end) and rng.random() < 0.65
    ]
    for regimen, key, name, days_ in (
        (pregabalin, "dizziness", "Dizziness", dizzy),
        (pregabalin, "weight_gain", "Weight gain", weight),
        (ldn, "vivid_dreams", "Vivid dreams", dreams),
    ):
        if days_:
            _, rows = _episode(user, regimen, key, name, days_, end)
            reports += rows
    SideEffectReport.objects.bulk_create(reports, batch_size=1000)
    return (
        f"3 treatments: magnesium; pregabalin stopped on {pregabalin_stop:%-d %B} for side effects; "
        f"LDN from {ldn_start:%-d %B} (1 → 4.5 mg), {len(logs)} doses logged"
    )
