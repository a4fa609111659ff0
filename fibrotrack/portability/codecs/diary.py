"""Diary records: symptoms, tags, check-ins (scores, sleep, body map, tags, note), ACR 2016.

Exports read with ``values()`` in a fixed number of queries (ten years of
check-ins export in well under a second). Imports write through
``fibrotrack.diary.actions`` (``do_save_checkin`` keeps the revision log and
the one-check-in-per-day rule), so an import behaves like the person typing.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext

from fibrotrack.accounts.models import User
from fibrotrack.diary import acr2016
from fibrotrack.diary.actions import CheckInData, do_add_tag, do_record_acr_assessment, do_save_checkin
from fibrotrack.diary.defaults import BUILTIN_TAGS
from fibrotrack.diary.models import Acr2016Assessment, CheckIn, CheckInRevision, SymptomScore, Tag, TrackedSymptom
from fibrotrack.diary.regions import BY_CODE
from fibrotrack.portability.codecs import encoding
from fibrotrack.portability.codecs.encoding import RecordError

ACR_ANSWERS = ("fatigue", "unrefreshed", "cognitive", "headache", "abdominal", "depression", "three_months")


def problem(context: dict[str, Any], section: str, index: int, record: Any, error: Exception) -> None:
    """Note a record that was skipped, where the person can find it (CSV line or JSON position)."""
    where = record.get("_line") if isinstance(record, dict) else None
    location = f"line {where}" if where else f"{section} #{index + 1}"
    context.setdefault("problems", []).append((location, str(error)))


def records_of(records: Any, section: str) -> list[Any]:
    if not isinstance(records, list):
        raise RecordError(gettext("{section} should be a list").format(section=section))
    return records


# --- Symptoms and tags --------------------------------------------------------------


def export_symptoms(user: User) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in TrackedSymptom.objects.filter(user=user)
        .order_by("position", "id")
        .values("key", "name", "scale_min", "scale_max", "lower_is_better", "position", "is_active", "is_custom")
    ]


def import_symptoms(user: User, records: Any, context: dict[str, Any]) -> int:
    """Add the symptoms the file tracks; existing ones keep the person's current settings."""
    existing = set(TrackedSymptom.objects.filter(user=user).values_list("key", flat=True))
    created = 0
    for index, record in enumerate(records_of(records, "symptoms")):
        try:
            encoding.require(record, "key", "name")
            key = encoding.text(record, "key", 40)
            name = encoding.text(record, "name", 40).strip()
            if not key or not name:
                raise RecordError(gettext("a symptom needs a key and a name"))
            scale_min = record.get("scale_min", 0)
            scale_max = record.get("scale_max", 10)
            if not (isinstance(scale_min, int) and isinstance(scale_max, int) and 0 <= scale_min < scale_max <= 10):
                raise RecordError(gettext("the scale should run between 0 and 10"))
        except RecordError as error:
            problem(context, "symptoms", index, record, error)
            continue
        if key in existing:
            continue
        # Created directly rather than with do_add_symptom so that the key,
        # which check-ins in the same file refer to, is kept as it is.
        TrackedSymptom.objects.create(
            user=user,
            key=key,
            name=name,
            scale_min=scale_min,
            scale_max=scale_max,
            lower_is_better=bool(record.get("lower_is_better", True)),
            position=int(record.get("position", len(existing))),
            is_active=bool(record.get("is_active", True)),
            is_custom=bool(record.get("is_custom", True)),
        )
        existing.add(key)
        created += 1
    return created


def export_tags(user: User) -> list[dict[str, Any]]:
    """The person's own tags; built-in tags are referred to by their key and not repeated."""
    return [dict(row) for row in Tag.objects.filter(user=user).order_by("key").values("key", "name", "is_trigger")]


def import_tags(user: User, records: Any, context: dict[str, Any]) -> int:
    builtin = {k for k, _ in BUILTIN_TAGS}
    own = {t.key: t for t in Tag.objects.filter(user=user)}
    created = 0
    for index, record in enumerate(records_of(records, "tags")):
        try:
            encoding.require(record, "key", "name")
            key, name = encoding.text(record, "key", 40), encoding.text(record, "name", 40).strip()
            if not key or not name:
                raise RecordError(gettext("a tag needs a key and a name"))
        except RecordError as error:
            problem(context, "tags", index, record, error)
            continue
        if key in own or key in builtin:
            continue
        own[key] = Tag.objects.create(user=user, key=key, name=name, is_trigger=bool(record.get("is_trigger", True)))
        created += 1
    return created


def tag_keys(user: User) -> dict[str, int]:
    """key -> id for the tags the person can use (built-in and own)."""
    return dict(Tag.objects.filter(Q(user=None) | Q(user=user)).values_list("key", "id"))


def tag_for_name(user: User, name: str, cache: dict[str, int]) -> int:
    """The id of the tag called ``name`` (case-insensitive), creating the person's own if needed."""
    folded = name.strip().casefold()
    if folded not in cache:
        cache[folded] = do_add_tag(user, name.strip()[:40]).pk
    return cache[folded]


# --- Check-ins ----------------------------------------------------------------------


def export_checkins(user: User) -> list[dict[str, Any]]:
    checkins = list(
        CheckIn.objects.filter(user=user)
        .order_by("day")
        .values_list("id", "day", "hours_slept", "pain_regions", "note")
    )
    scores: dict[int, dict[str, int]] = defaultdict(dict)
    for checkin_id, key, value in (
        SymptomScore.objects.filter(checkin__user=user)
        .order_by("symptom__key")
        .values_list("checkin_id", "symptom__key", "value")
    ):
        scores[checkin_id][key] = value
    tags: dict[int, list[str]] = defaultdict(list)
    for checkin_id, key in (
        CheckIn.tags.through.objects.filter(checkin__user=user)
        .order_by("tag__key")
        .values_list("checkin_id", "tag__key")
    ):
        tags[checkin_id].append(key)
    return [
        {
            "day": day.isoformat(),
            "scores": scores.get(pk, {}),
            "hours_slept": encoding.decimal(hours),
            "pain_regions": sorted(regions or []),
            "tags": tags.get(pk, []),
            "note": note,
        }
        for pk, day, hours, regions, note in checkins
    ]


def parse_checkin(record: Any, symptoms: dict[str, int], tags: dict[str, int]) -> tuple[Any, CheckInData]:
    encoding.require(record, "day")
    day = encoding.parse_day(record["day"], "day")
    raw_scores = record.get("scores") or {}
    if not isinstance(raw_scores, dict):
        raise RecordError(gettext("scores should map symptom keys to values"))
    scores: dict[int, int | None] = {}
    for key, value in raw_scores.items():
        if key not in symptoms:
            raise RecordError(gettext("unknown symptom {key}").format(key=repr(key)))
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            raise RecordError(
                gettext("{key} should be a whole number from 0 to 10: {value}").format(key=key, value=repr(value))
            )
        scores[symptoms[key]] = value
    hours = encoding.parse_optional_decimal(record.get("hours_slept"), "hours_slept")
    if hours is not None and not Decimal(0) <= hours <= Decimal(24):
        raise RecordError(gettext("hours_slept should be between 0 and 24: {hours}").format(hours=hours))
    if hours is not None:
        hours = hours.quantize(Decimal("0.01"))
    regions = record.get("pain_regions") or []
    if not isinstance(regions, list) or any(r not in BY_CODE for r in regions):
        raise RecordError(
            gettext("pain_regions should be body-map region codes: {regions}").format(regions=repr(regions))
        )
    tag_ids = []
    for key in record.get("tags") or []:
        if key not in tags:
            raise RecordError(gettext("unknown tag {key}").format(key=repr(key)))
        tag_ids.append(tags[key])
    note = encoding.text(record, "note")
    return day, CheckInData(scores=scores, hours_slept=hours, pain_regions=list(regions), tag_ids=tag_ids, note=note)


def import_checkins(user: User, records: Any, context: dict[str, Any]) -> int:
    """Each day as the file has it (scores for other symptoms on that day are kept). Idempotent."""
    symptoms = dict(TrackedSymptom.objects.filter(user=user).values_list("key", "id"))
    tags = tag_keys(user)
    changed = 0
    for index, record in enumerate(records_of(records, "checkins")):
        try:
            day, data = parse_checkin(record, symptoms, tags)
        except RecordError as error:
            problem(context, "checkins", index, record, error)
            continue
        _, did_change = do_save_checkin(user, day, data)
        changed += did_change
    return changed


# --- ACR 2016 -----------------------------------------------------------------------


def export_acr(user: User) -> list[dict[str, Any]]:
    out = []
    for assessment in Acr2016Assessment.objects.filter(user=user).order_by("day", "id"):
        result = assessment.result
        out.append(
            {
                "day": assessment.day.isoformat(),
                "regions": sorted(assessment.regions),
                **{name: getattr(assessment, name) for name in ACR_ANSWERS},
                # Derived, for readers; recomputed on import, never read back.
                "wpi": result.wpi,
                "sss": result.sss,
                "psd": result.psd,
                "criteria_met": result.criteria_met,
            }
        )
    return out


def parse_acr(record: Any) -> dict[str, Any]:
    encoding.require(record, "day", "regions", *ACR_ANSWERS)
    answers: dict[str, Any] = {"day": encoding.parse_day(record["day"], "day")}
    regions = record["regions"]
    if not isinstance(regions, list) or any(r not in BY_CODE for r in regions):
        raise RecordError(gettext("regions should be body-map region codes: {regions}").format(regions=repr(regions)))
    answers["regions"] = sorted(set(regions))
    for name in ("fatigue", "unrefreshed", "cognitive"):
        answers[name] = encoding.integer(record, name, 0, 3)
    for name in ("headache", "abdominal", "depression", "three_months"):
        if not isinstance(record[name], bool):
            raise RecordError(gettext("{name} should be true or false").format(name=name))
        answers[name] = record[name]
    acr2016.score(**{k: v for k, v in answers.items() if k != "day"})
    return answers


def import_acr(user: User, records: Any, context: dict[str, Any]) -> int:
    """An assessment identical to one already there (same day, same answers) is not repeated."""
    existing = {
        (a.day, tuple(sorted(a.regions)), *(getattr(a, n) for n in ACR_ANSWERS))
        for a in Acr2016Assessment.objects.filter(user=user)
    }
    created = 0
    for index, record in enumerate(records_of(records, "acr2016")):
        try:
            answers = parse_acr(record)
        except (RecordError, ValueError) as error:
            problem(context, "acr2016", index, record, error)
            continue
        identity = (answers["day"], tuple(answers["regions"]), *(answers[n] for n in ACR_ANSWERS))
        if identity in existing:
            continue
        day = answers.pop("day")
        do_record_acr_assessment(user, day, **answers)
        existing.add(identity)
        created += 1
    return created


# --- Revision log (export only) -----------------------------------------------------


def export_revisions(user: User) -> list[dict[str, Any]]:
    """The append-only history of changes. Not imported: an import writes its own history."""
    return [
        {"day": day.isoformat(), "action": action, "changes": changes, "at": at.isoformat()}
        for day, action, changes, at in CheckInRevision.objects.filter(user=user)
        .order_by("created_at", "id")
        .values_list("day", "action", "changes", "created_at")
    ]
