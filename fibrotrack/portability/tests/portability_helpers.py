"""A lived-in account made through the real actions, for the export and import tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from fibrotrack.diary.actions import CheckInData, do_add_symptom, do_add_tag, do_record_acr_assessment, do_save_checkin
from fibrotrack.lib.dates import diary_day
from fibrotrack.treatments import titration
from fibrotrack.treatments.actions import (
    DoseEntry,
    RegimenData,
    SideEffectAnswer,
    do_add_custom_treatment,
    do_change_dose,
    do_log_doses,
    do_record_opioid_answer,
    do_record_side_effects,
    do_start_regimen,
    do_stop_regimen,
)
from fibrotrack.treatments.models import Treatment


def fill_account(user: Any, days: int = 20) -> dict[str, Any]:
    today = diary_day(user)
    start = today - dt.timedelta(days=days)
    symptoms = {s.key: s.pk for s in user.symptoms.all()}
    custom_symptom = do_add_symptom(user, "Jaw clenching", lower_is_better=True)
    symptoms[custom_symptom.key] = custom_symptom.pk
    swim = do_add_tag(user, "Swimming")
    stress = user.tags.model.objects.get(user=None, key="stress")
    for i in range(days):
        day = start + dt.timedelta(days=i)
        if i % 5 == 4:
            continue  # days off, like real diaries
        scores: dict[int, int | None] = {pk: (i + n) % 11 for n, pk in enumerate(symptoms.values())}
        if i % 3 == 0:
            scores[symptoms["mood"]] = None
        do_save_checkin(
            user,
            day,
            CheckInData(
                scores=scores,
                hours_slept=Decimal("6.5") if i % 2 else Decimal("7.25"),
                pain_regions=["shoulder_l", "neck"] if i % 2 else [],
                tag_ids=[stress.pk, swim.pk] if i % 4 == 0 else [],
                note=f"Day {i}, with “quotes”, commas\nand a second line" if i % 6 == 0 else "",
            ),
        )
    do_record_acr_assessment(
        user,
        start + dt.timedelta(days=3),
        regions=["shoulder_l", "shoulder_r", "neck", "hip_l", "upper_back", "lower_back", "jaw_l"],
        fatigue=2,
        unrefreshed=3,
        cognitive=1,
        headache=True,
        abdominal=False,
        depression=True,
        three_months=True,
    )
    ldn = do_start_regimen(
        user,
        RegimenData(
            treatment=Treatment.objects.get(user=None, key="naltrexone"),
            unit="mg",
            started_on=start,
            schedule="nightly",
            plan_template="ldn_standard",
            plan_steps=titration.TEMPLATES["ldn_standard"].steps,
        ),
        today=today,
    )
    tea = do_add_custom_treatment(user, name="Ginger tea", category="supplement", unit="ml")
    tea_regimen = do_start_regimen(
        user,
        RegimenData(
            treatment=tea, unit="ml", started_on=start + dt.timedelta(days=2), schedule="daily", amount=Decimal("250")
        ),
        today=today,
    )
    do_change_dose(
        tea_regimen, effective_on=start + dt.timedelta(days=8), amount=Decimal("312.5"), unit="ml", reason="own_choice"
    )
    do_stop_regimen(tea_regimen, stopped_on=start + dt.timedelta(days=15), reason="did_not_help", note="meh")
    for i in range(0, 6):
        day = start + dt.timedelta(days=i)
        do_log_doses(
            user, day, [DoseEntry(ldn, 0, "taken" if i != 3 else "skipped", Decimal("1.5") if i != 3 else None, "mg")]
        )
    do_log_doses(user, start + dt.timedelta(days=5), [DoseEntry(tea_regimen, 0, "different", Decimal("100"), "ml")])
    for i in (2, 3, 4):
        do_record_side_effects(
            user,
            start + dt.timedelta(days=i),
            [SideEffectAnswer("vivid_dreams", "Vivid dreams", "moderate" if i == 3 else "mild", ldn)],
        )
    do_record_opioid_answer(user, start + dt.timedelta(days=4), False, None)
    return {"start": start, "today": today, "ldn": ldn, "tea": tea_regimen}
