"""Six months of realistic diary data for the demo account.

The series is generated, not random noise: a slowly wandering baseline
(AR(1), as real symptom diaries are autocorrelated), good and bad weeks, a
flare, overexertion that costs the next day, short sleep that goes with worse
pain, and missing days in clusters, as when someone is too unwell to log.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from fibrotrack.accounts.models import User
from fibrotrack.diary import regions
from fibrotrack.diary.actions import do_setup_symptoms
from fibrotrack.diary.defaults import DEFAULT_SYMPTOMS
from fibrotrack.diary.models import Acr2016Assessment, CheckIn, CheckInRevision, SymptomScore, Tag

NOTES = (
    "Rough night, woke up stiff.",
    "Gentle walk, felt okay after.",
    "Brain fog at work, lost my keys twice.",
    "Good day! Met a friend for coffee.",
    "Weather turned cold and everything aches.",
    "Did too much gardening yesterday.",
    "Slept badly, restless legs.",
    "Warm bath helped a lot.",
)


def _clamp(value: float) -> int:
    return max(0, min(10, round(value)))


def build(user: User, start: dt.date, end: dt.date, rng: random.Random) -> str:
    CheckIn.objects.filter(user=user).delete()
    CheckInRevision.objects.filter(user=user).delete()
    Acr2016Assessment.objects.filter(user=user).delete()
    symptoms = {s.key: s for s in do_setup_symptoms(user, [s.key for s in DEFAULT_SYMPTOMS])}
    tags = {t.key: t for t in Tag.objects.filter(user=None)}

    days = (end - start).days + 1
    flare_start = rng.randint(days // 2, days // 2 + 20)
    bad_weeks = {rng.randrange(0, days // 7) for _ in range(4)}
    good_weeks = {rng.randrange(0, days // 7) for _ in range(4)} - bad_weeks
    noise, overexerted = 0.0, False
    missing_until = -1
    checkins, plan = [], []
    for i in range(days):
        day = start + dt.timedelta(days=i)
        noise = 0.6 * noise + rng.gauss(0, 0.8)
        week = i // 7
        level = 5.2 + noise
        level += 1.5 if week in bad_weeks else 0.0
        level -= 1.5 if week in good_weeks else 0.0
        level += 2.5 if flare_start <= i < flare_start + 12 else 0.0
        level += 1.2 if overexerted else 0.0
        if i > missing_until and rng.random() < 0.03:
            missing_until = i + rng.randint(1, 4)  # a few days too unwell or busy to log
        overexerted = rng.random() < 0.08
        if i <= missing_until or rng.random() < 0.04:
            continue
        hours = max(2.5, min(10.0, 7.2 - 0.35 * (level - 5) + rng.gauss(0, 0.9)))
        day_tags = []
        if hours < 5.5:
            day_tags.append("poor_sleep")
        if overexerted:
            day_tags.append("overexertion")
        if rng.random() < 0.15 + 0.05 * max(level - 5, 0):
            day_tags.append("stress")
        if rng.random() < 0.07:
            day_tags.append("weather_change")
        painful = rng.sample([r.code for r in regions.REGIONS], k=max(0, min(19, round(level * 1.3 + rng.gauss(0, 2)))))
        checkins.append(
            CheckIn(
                user=user,
                day=day,
                hours_slept=Decimal(str(round(hours * 2) / 2)),
                pain_regions=sorted(painful),
                note=rng.choice(NOTES) if rng.random() < 0.2 else "",
            )
        )
        plan.append(
            (
                {
                    "pain": _clamp(level),
                    "fatigue": _clamp(level + 0.8 + rng.gauss(0, 0.8)),
                    "sleep_quality": _clamp(hours - 1.5 + rng.gauss(0, 1)),
                    "fibro_fog": _clamp(level - 0.5 + rng.gauss(0, 1.2)),
                    "mood": _clamp(9 - level * 0.7 + rng.gauss(0, 1)),
                    "stiffness": _clamp(level + rng.gauss(0, 1)),
                },
                day_tags,
            )
        )
    CheckIn.objects.bulk_create(checkins, batch_size=500)
    saved = {c.day: c for c in CheckIn.objects.filter(user=user)}
    scores, tag_links = [], []
    through = CheckIn.tags.through
    for checkin, (values, day_tags) in zip(checkins, plan, strict=True):
        row = saved[checkin.day]
        scores += [SymptomScore(checkin=row, symptom=symptoms[k], value=v) for k, v in values.items()]
        tag_links += [through(checkin_id=row.pk, tag_id=tags[k].pk) for k in day_tags if k in tags]
    SymptomScore.objects.bulk_create(scores, batch_size=1000)
    through.objects.bulk_create(tag_links, batch_size=1000)

    for week_start in range(0, days, 28):
        day = start + dt.timedelta(days=week_start + 6)
        if day > end:
            break
        painful = rng.sample([r.code for r in regions.REGIONS], k=rng.randint(6, 13))
        Acr2016Assessment.objects.create(
            user=user,
            day=day,
            regions=sorted(painful),
            fatigue=rng.randint(2, 3),
            unrefreshed=rng.randint(1, 3),
            cognitive=rng.randint(1, 3),
            headache=rng.random() < 0.6,
            abdominal=rng.random() < 0.4,
            depression=rng.random() < 0.3,
            three_months=True,
        )
    return (
        f"{len(checkins)} diary days out of {days}, with a flare around {start + dt.timedelta(days=flare_start):%-d %B}"
    )
