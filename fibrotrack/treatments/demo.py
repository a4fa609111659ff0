"""Demo treatments: magnesium all along, pregabalin stopped for side effects, then LDN tried in a blinded trial.

One story with the trials demo (which reads the dates from here): a 14-day
drug-free baseline, then the trial capsules from the pharmacist, matched
placebo or LDN 4.5 mg a night as in the LDN pilot study (Younger & Mackey
2009), for the 14-day placebo and 56-day LDN phases, then 14 days off
(the washout), then LDN 4.5 mg again, open, agreed with the GP. The trial
capsules are one regimen whose dose is what the active capsule holds, the
same in both blinded phases, so that the check-in never gives away which
phase is which.

Doses are logged on the days the diary demo has a check-in (that is where
people log them), with the odd skipped dose, and a week away from home when
LDN went unlogged: a realistic adherence gap. Vivid dreams come with the
first weeks on LDN, as they commonly do, and are mild on most nights.
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
    Treatment,
)

# The LDN pilot design's phases (trials.protocols.ldn_pilot), in days.
BASELINE_DAYS, PLACEBO_DAYS, LDN_DAYS, WASHOUT_DAYS = 14, 14, 56, 14


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

    # The trial's calendar (the trials demo lays its phases on these dates).
    baseline_start = max(pregabalin_stop + dt.timedelta(days=14), end - dt.timedelta(days=120))
    ldn_start = baseline_start + dt.timedelta(days=BASELINE_DAYS)  # the trial capsules: placebo, then LDN
    ldn_phase_start = ldn_start + dt.timedelta(days=PLACEBO_DAYS)
    capsules_stop = ldn_phase_start + dt.timedelta(days=LDN_DAYS - 1)
    reopen = capsules_stop + dt.timedelta(days=WASHOUT_DAYS + 1)
    finished = reopen <= end
    ldn = Regimen.objects.create(
        user=user,
        treatment=catalogue["naltrexone"],
        unit="mg",
        form="compounded",
        schedule="nightly",
        started_on=ldn_start,
        stopped_on=capsules_stop if finished else None,
        stop_reason="other" if finished else "",
        stop_note="End of the trial's LDN phase: two weeks off (the washout)." if finished else "",
        prescriber="Dr Okafor (GP)",
        note=(
            "Trial capsules from the pharmacist: matched placebo or LDN 4.5 mg, blinded; "
            "which phase held which was revealed at the end."
        ),
    )
    DoseChange.objects.create(regimen=ldn, effective_on=ldn_start, amount=Decimal("4.5"), unit="mg", reason="started")
    regimens = [magnesium, pregabalin, ldn]
    if finished:
        after = Regimen.objects.create(
            user=user,
            treatment=catalogue["naltrexone"],
            unit="mg",
            form="compounded",
            schedule="nightly",
            started_on=reopen,
            prescriber="Dr Okafor (GP)",
            note="Back on LDN 4.5 mg after the trial, agreed with Dr Okafor.",
        )
        DoseChange.objects.create(
            regimen=after, effective_on=reopen, amount=Decimal("4.5"), unit="mg", reason="started"
        )
        regimens.append(after)

    for regimen in regimens:
        regimen.refresh_from_db()
    logs = _logs(magnesium, [d for d in diary if d >= start], rng, skip=0.1)
    logs += _logs(pregabalin, [d for d in diary if pregabalin_start <= d <= pregabalin_stop], rng)
    away_start = ldn_start + dt.timedelta(days=45)
    away = set(days(away_start, away_start + dt.timedelta(days=6)))
    ldn_days = []
    for regimen in regimens[2:]:
        taken = [d for d in diary if regimen.is_active_on(d) and d not in away]
        logs += _logs(regimen, taken, rng, skip=0.03, different=0.0)
        ldn_days += taken
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
        (d, "moderate" if d < ldn_phase_start + dt.timedelta(days=7) and rng.random() < 0.4 else "mild")
        for d in diary
        if ldn_phase_start <= d <= min(ldn_phase_start + dt.timedelta(days=24), end) and rng.random() < 0.65
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
        f"LDN 4.5 mg trial capsules from {ldn_start:%-d %B} (placebo first, blinded)"
        + (f", LDN again from {reopen:%-d %B}" if finished else "")
        + f"; {len(logs)} doses logged"
    )
