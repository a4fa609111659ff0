"""Every write to the diary, with its side effects (the revision log)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from fibrotrack.diary.defaults import BUILTIN_TAGS, DEFAULT_SYMPTOMS
from fibrotrack.diary.models import (
    Acr2016Assessment,
    CheckIn,
    CheckInRevision,
    SymptomScore,
    Tag,
    TrackedSymptom,
)
from fibrotrack.lib import usercache

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User
    from fibrotrack.diary.sections import CheckInSection


@dataclass
class CheckInData:
    """A validated check-in. ``scores`` maps symptom id to value (None = not answered)."""

    scores: dict[int, int | None]
    hours_slept: Decimal | None = None
    pain_regions: list[str] = field(default_factory=list)
    tag_ids: list[int] = field(default_factory=list)
    note: str = ""
    # The person's own new tag, typed in the check-in; created in the same transaction.
    new_tag: str = ""
    # Names the caller already holds, so the revision log needs no extra queries.
    symptom_names: dict[int, str] = field(default_factory=dict)
    tag_names: dict[int, str] = field(default_factory=dict)


def _unique_key(existing: set[str], name: str) -> str:
    base = (slugify(name).replace("-", "_") or "item")[:34]
    key, n = base, 2
    while key in existing:
        key, n = f"{base}_{n}", n + 1
    return key


def do_setup_symptoms(
    user: User, default_keys: Iterable[str], custom: Sequence[tuple[str, bool, int]] = ()
) -> list[TrackedSymptom]:
    """Create (or re-activate) the chosen defaults and add custom symptoms.

    Defaults not chosen are archived rather than deleted: history survives.
    """
    chosen = set(default_keys)
    with transaction.atomic():
        existing = {s.key: s for s in TrackedSymptom.objects.filter(user=user)}
        for position, spec in enumerate(DEFAULT_SYMPTOMS):
            symptom = existing.get(spec.key)
            if symptom is None and spec.key in chosen:
                existing[spec.key] = TrackedSymptom.objects.create(
                    user=user,
                    key=spec.key,
                    name=spec.name,
                    lower_is_better=spec.lower_is_better,
                    position=position,
                )
            elif symptom is not None and symptom.is_active != (spec.key in chosen):
                symptom.is_active = spec.key in chosen
                symptom.save(update_fields=["is_active"])
        for name, lower_is_better, scale_max in custom:
            do_add_symptom(user, name, lower_is_better=lower_is_better, scale_max=scale_max)
    return list(TrackedSymptom.objects.filter(user=user, is_active=True))


def do_add_symptom(user: User, name: str, *, lower_is_better: bool = True, scale_max: int = 10) -> TrackedSymptom:
    keys = set(TrackedSymptom.objects.filter(user=user).values_list("key", flat=True))
    last = TrackedSymptom.objects.filter(user=user).order_by("-position").first()
    return TrackedSymptom.objects.create(
        user=user,
        key=_unique_key(keys, name),
        name=name.strip(),
        lower_is_better=lower_is_better,
        scale_max=scale_max,
        position=(last.position + 1) if last else 0,
        is_custom=True,
    )


def do_update_symptom(symptom: TrackedSymptom, *, name: str, lower_is_better: bool, is_active: bool) -> None:
    symptom.name = name.strip()
    symptom.lower_is_better = lower_is_better
    symptom.is_active = is_active
    symptom.save(update_fields=["name", "lower_is_better", "is_active"])


def do_move_symptom(symptom: TrackedSymptom, offset: int) -> None:
    """Swap with the neighbour above (-1) or below (+1)."""
    with transaction.atomic():
        ordered = list(TrackedSymptom.objects.filter(user_id=symptom.user_id).order_by("position", "id"))
        index = next(i for i, s in enumerate(ordered) if s.pk == symptom.pk)
        target = index + offset
        if not 0 <= target < len(ordered):
            return
        ordered[index], ordered[target] = ordered[target], ordered[index]
        for position, item in enumerate(ordered):
            item.position = position
        TrackedSymptom.objects.bulk_update(ordered, ["position"])
        usercache.bump(symptom.user_id)  # bulk_update sends no signals


def do_add_tag(user: User, name: str) -> Tag:
    """The person's own tag; re-uses an existing one with the same name."""
    name = name.strip()
    for tag in Tag.objects.filter(Q(user=None) | Q(user=user)):
        if tag.name.casefold() == name.casefold():
            return tag
    keys = set(Tag.objects.filter(user=user).values_list("key", flat=True)) | {k for k, _ in BUILTIN_TAGS}
    return Tag.objects.create(user=user, key=_unique_key(keys, name), name=name)


def snapshot(checkin: CheckIn) -> dict[str, Any]:
    """A plain, JSON-ready picture of a check-in, for the revision log."""
    scores = {str(s.symptom.name): s.value for s in checkin.scores.select_related("symptom")}
    return _picture(checkin, scores, [t.name for t in checkin.tags.all()])


def _picture(checkin: CheckIn, scores: dict[str, int], tag_names: Iterable[str]) -> dict[str, Any]:
    return {
        "scores": scores,
        # Quantized so that 6.5 typed today equals 6.50 read back from the database.
        "hours_slept": str(Decimal(checkin.hours_slept).quantize(Decimal("0.01")))
        if checkin.hours_slept is not None
        else None,
        "pain_regions": sorted(checkin.pain_regions),
        "tags": sorted(tag_names),
        "note": checkin.note,
    }


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}


def do_save_checkin(
    user: User,
    day: dt.date,
    data: CheckInData,
    sections: Sequence[tuple[CheckInSection, forms.Form]] = (),
) -> tuple[CheckIn, bool]:
    """Create or update the one check-in for ``day``; idempotent on re-submit.

    The unique (user, day) constraint plus get_or_create inside one
    transaction means a double-tap or a replayed form updates the same row.
    Returns the check-in and whether anything changed.
    """
    with transaction.atomic():
        if data.new_tag.strip():
            tag = do_add_tag(user, data.new_tag)
            data = replace(
                data,
                tag_ids=[*data.tag_ids, tag.pk] if tag.pk not in data.tag_ids else data.tag_ids,
                tag_names={**data.tag_names, tag.pk: tag.name},
            )
        # Creating with every field set saves the UPDATE a new day would otherwise need.
        checkin, created = CheckIn.objects.get_or_create(
            user=user,
            day=day,
            defaults={
                "hours_slept": data.hours_slept,
                "pain_regions": sorted(set(data.pain_regions)),
                "note": data.note,
            },
        )
        existing = {} if created else {s.symptom_id: s for s in checkin.scores.select_related("symptom")}
        old_tags = {} if created else {t.pk: t.name for t in checkin.tags.all()}
        before = (
            {}
            if created
            else _picture(checkin, {s.symptom.name: s.value for s in existing.values()}, old_tags.values())
        )
        names = {s.symptom_id: s.symptom.name for s in existing.values()} | data.symptom_names

        scores: dict[str, int] = {names[i]: s.value for i, s in existing.items() if i in names}
        to_create, to_update, to_delete = [], [], []
        for symptom_id, value in data.scores.items():
            current = existing.get(symptom_id)
            if value is None:
                if current is not None:
                    to_delete.append(current.pk)
            elif current is None:
                to_create.append(SymptomScore(checkin=checkin, symptom_id=symptom_id, value=value))
            elif current.value != value:
                current.value = value
                to_update.append(current)
        if to_delete:
            SymptomScore.objects.filter(pk__in=to_delete).delete()
        if to_create:
            SymptomScore.objects.bulk_create(to_create)
        if to_update:
            SymptomScore.objects.bulk_update(to_update, ["value"])

        regions = sorted(set(data.pain_regions))
        if not created and (checkin.hours_slept, checkin.pain_regions, checkin.note) != (
            data.hours_slept,
            regions,
            data.note,
        ):
            checkin.hours_slept, checkin.pain_regions, checkin.note = data.hours_slept, regions, data.note
            checkin.save()
        new_tags = set(data.tag_ids)
        if new_tags != set(old_tags):
            through = CheckIn.tags.through
            if old_tags.keys() - new_tags:
                through.objects.filter(checkin=checkin, tag_id__in=old_tags.keys() - new_tags).delete()
            through.objects.bulk_create([through(checkin=checkin, tag_id=t) for t in new_tags - old_tags.keys()])

        for section, form in sections:
            section.save(user, day, checkin, form)

        if data.symptom_names.keys() >= data.scores.keys() and data.tag_names.keys() >= new_tags:
            for symptom_id, value in data.scores.items():
                if value is None:
                    scores.pop(names[symptom_id], None)
                else:
                    scores[names[symptom_id]] = value
            after = _picture(checkin, scores, (data.tag_names[t] for t in new_tags))
        else:  # a caller that passed ids only (imports, tests): read the names back
            after = snapshot(checkin)
        changes = _diff(before, after)
        if created or changes:
            CheckInRevision.objects.create(
                user=user,
                checkin=checkin,
                day=day,
                action=CheckInRevision.Action.CREATED if created else CheckInRevision.Action.UPDATED,
                changes=changes,
            )
    return checkin, bool(created or changes)


def do_delete_checkin(checkin: CheckIn) -> None:
    with transaction.atomic():
        CheckInRevision.objects.create(
            user_id=checkin.user_id,
            checkin=None,
            day=checkin.day,
            action=CheckInRevision.Action.DELETED,
            changes={k: [v, None] for k, v in snapshot(checkin).items()},
        )
        checkin.delete()


def do_record_acr_assessment(user: User, day: dt.date, **answers: Any) -> Acr2016Assessment:
    assessment = Acr2016Assessment(user=user, day=day, **answers)
    assessment.full_clean()
    assessment.save()
    return assessment


def do_delete_acr_assessment(assessment: Acr2016Assessment) -> None:
    assessment.delete()
