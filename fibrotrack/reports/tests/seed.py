"""Realistic diaries in bulk, for the reports tests and the benchmark.

``seed_diary`` writes a check-in on most days (scores for every tracked
symptom, sleep, a few trigger tags), a duloxetine regimen with dose steps and
logged doses, a side effect with daily reports and a monthly ACR 2016
questionnaire. Rows go in with ``bulk_create`` so ten years take seconds.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from fibrotrack.diary.models import Acr2016Assessment, CheckIn, SymptomScore, Tag
from fibrotrack.treatments.models import DoseChange, DoseLog, Regimen, SideEffect, SideEffectReport, Treatment


def seed_diary(user: Any, start: dt.date, end: dt.date, *, seed: int = 1, fill: float = 0.9) -> dict[str, Any]:
    rng = random.Random(seed)
    symptoms = list(user.symptoms.all())
    tags = list(Tag.objects.filter(user=None).order_by("key"))
    stress = next(t for t in tags if t.key == "stress")
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    logged = [d for d in days if rng.random() < fill]
    checkins = CheckIn.objects.bulk_create(
        [CheckIn(user=user, day=d, hours_slept=Decimal(f"{rng.uniform(4, 9):.1f}")) for d in logged]
    )
    checkins = list(CheckIn.objects.filter(user=user, day__range=(start, end)).order_by("day"))
    scores = []
    through = []
    stressed_yesterday = False
    for c in checkins:
        stressed = rng.random() < 0.25
        for s in symptoms:
            base = 6 if s.lower_is_better else 4
            bump = 2 if (stressed_yesterday and s.key == "pain") else 0
            scores.append(SymptomScore(checkin=c, symptom=s, value=max(0, min(10, base + bump + rng.randint(-2, 2)))))
        if stressed:
            through.append(CheckIn.tags.through(checkin_id=c.pk, tag_id=stress.pk))
        for t in tags:
            if t.pk != stress.pk and rng.random() < 0.1:
                through.append(CheckIn.tags.through(checkin_id=c.pk, tag_id=t.pk))
        stressed_yesterday = stressed
    SymptomScore.objects.bulk_create(scores, batch_size=5000)
    CheckIn.tags.through.objects.bulk_create(through, batch_size=5000)

    duloxetine = Treatment.objects.get(user=None, key="duloxetine")
    started = start + dt.timedelta(days=min(30, len(days) // 4))
    regimen = Regimen.objects.create(user=user, treatment=duloxetine, unit="mg", started_on=started, doses_per_day=1)
    DoseChange.objects.create(regimen=regimen, effective_on=started, amount=Decimal("30"), unit="mg", reason="started")
    step = started + dt.timedelta(days=14)
    if step <= end:
        DoseChange.objects.create(regimen=regimen, effective_on=step, amount=Decimal("60"), unit="mg")
    DoseLog.objects.bulk_create(
        [
            DoseLog(regimen=regimen, day=d, slot=0, status="taken" if rng.random() < 0.85 else "skipped")
            for d in logged
            if d >= started
        ],
        batch_size=5000,
    )
    effect = SideEffect.objects.create(
        user=user,
        key="nausea",
        name="Nausea",
        severity="moderate",
        onset_on=started + dt.timedelta(days=2),
        is_ongoing=False,
        ended_on=started + dt.timedelta(days=12),
        regimen=regimen,
    )
    SideEffectReport.objects.bulk_create(
        [
            SideEffectReport(
                side_effect=effect, day=started + dt.timedelta(days=i), severity=rng.choice(["mild", "moderate"])
            )
            for i in range(2, 13)
        ]
    )
    # A recent episode too, so every period ending today has side effects to show.
    recent = SideEffect.objects.create(
        user=user, key="headache", name="Headache", severity="mild", onset_on=max(start, end - dt.timedelta(days=20))
    )
    SideEffectReport.objects.bulk_create(
        [SideEffectReport(side_effect=recent, day=d, severity="mild") for d in logged if d >= recent.onset_on][:10]
    )
    assessments = []
    day = start
    while day <= end:
        assessments.append(
            Acr2016Assessment(
                user=user,
                day=day,
                regions=["jaw_l", "shoulder_l", "upper_back"][: rng.randint(1, 3)],
                fatigue=rng.randint(1, 3),
                unrefreshed=rng.randint(1, 3),
                cognitive=rng.randint(0, 3),
                headache=rng.random() < 0.5,
                abdominal=False,
                depression=False,
                three_months=True,
            )  # fmt: skip
        )
        day += dt.timedelta(days=30)
    Acr2016Assessment.objects.bulk_create(assessments)
    return {"regimen": regimen, "side_effect": effect, "checkins": len(checkins)}
