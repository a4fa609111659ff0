"""Every write to the diary, with its side effects (the revision log)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from fibrotrack.diary import conflicts
from fibrotrack.diary.defaults import BUILTIN_TAGS, DEFAULT_SYMPTOMS
from fibrotrack.diary.models import (
    Acr2016Assessment,
    CheckIn,
    CheckInRevision,
    CheckInSubmission,
    SymptomScore,
    Tag,
    TrackedSymptom,
)
from fibrotrack.lib import usercache

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User
    from fibrotrack.diary.checkin_sections import CheckInSection


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
    try:
        # A savepoint: two saves adding the same new tag at once (two tabs, the offline outbox
        # replaying) both find no tag and both pick the same key; the second one's insert then
        # breaks the (user, key) constraint and finds the first one's tag below instead of failing.
        with transaction.atomic():
            return _find_or_create_tag(user, name)
    except IntegrityError:
        return _find_or_create_tag(user, name)


def _find_or_create_tag(user: User, name: str) -> Tag:
    tags, keys = _tags_and_keys(user)
    for tag in tags:
        if tag.name.casefold() == name.casefold():
            return tag
    return Tag.objects.create(user=user, key=_unique_key(keys, name), name=name)


def _tags_and_keys(user: User) -> tuple[list[Tag], set[str]]:
    """The tags a person can use, and the keys already taken by theirs and the built-in ones."""
    tags = list(Tag.objects.filter(Q(user=None) | Q(user=user)))
    return tags, {t.key for t in tags if t.user_id == user.pk} | {k for k, _ in BUILTIN_TAGS}


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


class _Moved(Exception):
    """The day changed between the read and the guarded write: try again on the fresh state."""


@dataclass
class _Stored:
    """A day as stored, read at the start of the save's transaction."""

    checkin: CheckIn
    scores: dict[int, tuple[int, int]]  # symptom id -> (score id, value)
    tag_ids: set[int]


def _read_day(user: User, day: dt.date, *, lock: bool = False) -> _Stored | None:
    """The day, its scores and its tags (one query for a new day, three for an edit).

    ``lock`` takes the day's row lock (``select_for_update``) on PostgreSQL; on
    SQLite the IMMEDIATE transaction already holds the database's write lock.
    """
    days = CheckIn.objects.filter(user=user, day=day)
    checkin = (days.select_for_update() if lock else days).first()
    if checkin is None:
        return None
    checkin.user = user  # the caller's instance: no query for it later
    scores = SymptomScore.objects.filter(checkin=checkin).values_list("pk", "symptom_id", "value")
    tags = CheckIn.tags.through.objects.filter(checkin=checkin).values_list("tag_id", flat=True)
    return _Stored(checkin, {symptom: (pk, value) for pk, symptom, value in scores}, set(tags))


@dataclass
class _Plan:
    """What a save will write, and the revision it will log."""

    regions: list[str]
    create_scores: list[tuple[int, int]] = field(default_factory=list)  # (symptom id, value)
    update_scores: list[tuple[int, int, int]] = field(default_factory=list)  # (score id, symptom id, value)
    delete_scores: list[int] = field(default_factory=list)  # score ids
    add_tags: set[int] = field(default_factory=set)
    remove_tags: set[int] = field(default_factory=set)
    changes: dict[str, list[Any]] = field(default_factory=dict)


def _names(model: type[TrackedSymptom] | type[Tag], known: dict[int, str], ids: Iterable[int]) -> dict[int, str]:
    """``known`` names, plus any of ``ids`` the caller did not pass (imports pass ids only)."""
    missing = set(ids) - known.keys()
    if not missing:
        return known
    return known | dict(model.objects.filter(pk__in=missing).values_list("pk", "name"))


def _plan(stored: _Stored | None, data: CheckInData) -> _Plan:
    regions = sorted(set(data.pain_regions))
    old_scores = stored.scores if stored else {}
    old_tags = stored.tag_ids if stored else set()
    new_tags = set(data.tag_ids)
    plan = _Plan(
        regions=regions,
        add_tags=new_tags - old_tags,
        remove_tags=old_tags - new_tags,
    )
    for symptom_id, value in data.scores.items():
        current = old_scores.get(symptom_id)
        if value is None:
            if current is not None:
                plan.delete_scores.append(current[0])
        elif current is None:
            plan.create_scores.append((symptom_id, value))
        elif current[1] != value:
            plan.update_scores.append((current[0], symptom_id, value))

    names = _names(TrackedSymptom, data.symptom_names, [*old_scores, *data.scores])
    tag_names = _names(Tag, data.tag_names, old_tags | new_tags)
    before_scores = {names[i]: value for i, (_, value) in old_scores.items()}
    after_scores = dict(before_scores)
    for symptom_id, value in data.scores.items():
        if value is None:
            after_scores.pop(names[symptom_id], None)
        else:
            after_scores[names[symptom_id]] = value
    after = _picture(
        CheckIn(hours_slept=data.hours_slept, pain_regions=regions, note=data.note),
        after_scores,
        (tag_names[t] for t in new_tags),
    )
    before = _picture(stored.checkin, before_scores, (tag_names[t] for t in old_tags)) if stored else {}
    plan.changes = _diff(before, after)
    return plan


def _write(user: User, day: dt.date, data: CheckInData, stored: _Stored | None) -> tuple[CheckIn, bool]:
    """Apply one save inside the caller's transaction; raises ``_Moved`` or IntegrityError if the day moved."""
    if data.new_tag.strip():
        tag = do_add_tag(user, data.new_tag)
        data = replace(
            data,
            tag_ids=[*data.tag_ids, tag.pk] if tag.pk not in data.tag_ids else data.tag_ids,
            tag_names={**data.tag_names, tag.pk: tag.name},
        )
    plan = _plan(stored, data)
    values: dict[str, Any] = {"hours_slept": data.hours_slept, "pain_regions": plan.regions, "note": data.note}
    if stored is None:
        # A double tap or a replayed form that got here first makes this INSERT
        # break the unique (user, day) constraint; the caller tries again.
        checkin = CheckIn.objects.create(user=user, day=day, **values)
    elif plan.changes:
        checkin = stored.checkin
        # Every edit moves updated_at on, by a microsecond at least, so that the
        # guard also covers edits that change only scores or tags.
        values["updated_at"] = max(timezone.now(), checkin.updated_at + dt.timedelta(microseconds=1))
        # The race: another save of this day (a second tap, a replayed form)
        # committed between our read and this UPDATE. Guarded by the updated_at
        # we read, the UPDATE then matches no row, and the caller tries again.
        if not CheckIn.objects.filter(pk=checkin.pk, updated_at=checkin.updated_at).update(**values):
            raise _Moved
        for name, value in values.items():
            setattr(checkin, name, value)
    else:
        checkin = stored.checkin

    # A changed score is deleted and made again: two plain statements however
    # many changed, and no CASE expression for bulk_update to build. Nothing
    # refers to a score, so its id may change.
    gone = [*plan.delete_scores, *(pk for pk, _, _ in plan.update_scores)]
    if gone:
        SymptomScore.objects.filter(pk__in=gone).delete()
    new = [*plan.create_scores, *((i, v) for _, i, v in plan.update_scores)]
    if new:
        SymptomScore.objects.bulk_create([SymptomScore(checkin=checkin, symptom_id=i, value=v) for i, v in new])
    if plan.remove_tags:
        checkin.tags.remove(*plan.remove_tags)
    if plan.add_tags:
        checkin.tags.add(*sorted(plan.add_tags))

    created = stored is None
    if created or plan.changes:
        CheckInRevision.objects.create(
            user=user,
            checkin=checkin,
            day=day,
            action=CheckInRevision.Action.CREATED if created else CheckInRevision.Action.UPDATED,
            changes=plan.changes,
        )
    return checkin, bool(created or plan.changes)


ATTEMPTS = 3


class NothingToSave(Exception):
    """A new day with no answer at all: saving it would make an empty day that counts as checked in."""


class ClientIdUsed(Exception):
    """The client id already named a save of another day: a malformed or tampered replay."""

    def __init__(self, day: dt.date) -> None:
        super().__init__(f"client id already used for {day}")
        self.day = day


def do_save_checkin(
    user: User,
    day: dt.date,
    data: CheckInData,
    sections: Sequence[tuple[CheckInSection, forms.Form]] = (),
    *,
    version: str | None = None,
    keep_saved: Collection[str] = (),
    loaded: Mapping[str, Any] | None = None,
    client_id: uuid.UUID | None = None,
) -> tuple[CheckIn, bool]:
    """Create or update the one check-in for ``day``; idempotent on re-submit.

    One ``atomic()`` block reads the day and writes it, with the sections'
    forms and any new tag. The read takes no lock; the writes prove that
    nothing moved since: a new day is an INSERT, which the unique (user, day)
    constraint refuses if a double tap or a replayed form got there first,
    and an edit is an UPDATE guarded by the ``updated_at`` that was read.
    Either way the attempt rolls back whole and is made again on the fresh
    day, so the second save edits the row the first one made and logs the
    difference from what was really there. The last attempt reads the day
    with ``select_for_update``. A re-submit that changes nothing writes nothing.

    ``version`` is the version of the day the form was loaded with
    (``conflicts.version_of``); None skips the check (imports, callers with
    no form). When it no longer names the stored day and the form differs
    from it, nothing is saved and ``conflicts.StaleCheckIn`` lists the
    differences. ``keep_saved`` names the fields whose stored value the
    person chose to keep over theirs. ``loaded`` is what the form was loaded
    with (``conflicts.loaded_picture``), so that the differences say which
    ones the person made.

    Returns the check-in and whether anything changed.
    """
    for attempt in range(1, ATTEMPTS + 1):
        locked = attempt == ATTEMPTS
        try:
            with transaction.atomic():
                if client_id is not None and (done := _already_saved(user, client_id, day)) is not None:
                    return done, False
                stored = _read_day(user, day, lock=locked)
                if stored is None and _is_empty(data) and not any(form.has_changed() for _, form in sections):
                    raise NothingToSave
                checked = data if version is None else _check_version(stored, data, version, keep_saved, loaded)
                checkin, changed = _write(user, day, checked, stored)
                for section, form in sections:
                    section.save(user, day, checkin, form)
                if client_id is not None:
                    # Two sends of one id at once: the unique constraint refuses the
                    # second, which rolls back whole and finds the first on its retry.
                    CheckInSubmission.objects.create(user=user, client_id=client_id, day=day, checkin=checkin)
                return checkin, changed
        except (IntegrityError, _Moved):
            if locked:
                raise
    raise AssertionError("unreachable")  # pragma: no cover - the last attempt returns or raises


# How long a client id is remembered. An outbox entry replayed later than this
# is saved as a new save, which the version check still guards: it can never
# silently overwrite a newer edit of the day.
SUBMISSION_DAYS = 90


def do_prune_submissions(now: dt.datetime | None = None) -> int:
    """Forget client ids older than ``SUBMISSION_DAYS`` (daily housekeeping); returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=SUBMISSION_DAYS)
    deleted, _ = CheckInSubmission.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _is_empty(data: CheckInData) -> bool:
    return not (
        any(v is not None for v in data.scores.values())
        or data.hours_slept is not None
        or data.pain_regions
        or data.tag_ids
        or data.note
        or data.new_tag
    )


def _already_saved(user: User, client_id: uuid.UUID, day: dt.date) -> CheckIn | None:
    """The day's check-in if ``client_id`` was already saved for it; None if the id is new."""
    submission = CheckInSubmission.objects.filter(user=user, client_id=client_id).only("day").first()
    if submission is None:
        return None
    if submission.day != day:
        raise ClientIdUsed(submission.day)
    stored = CheckIn.objects.filter(user=user, day=day).first()
    if stored is None:
        # Saved once, deleted since: the replay must not bring the day back.
        return CheckIn(user=user, day=day)
    return stored


def _check_version(
    stored: _Stored | None,
    data: CheckInData,
    version: str,
    keep: Collection[str],
    loaded: Mapping[str, Any] | None,
) -> CheckInData:
    """``data`` with the kept fields set back, or StaleCheckIn when the form was loaded from another version."""
    checkin = stored.checkin if stored else None
    scores = {symptom: value for symptom, (_, value) in stored.scores.items()} if stored else {}
    tag_ids = stored.tag_ids if stored else set()
    # The fields the person chose to keep as saved are set back first, so that a
    # replayed choice compares equal to what the first one stored.
    kept = conflicts.keep_saved(checkin, scores, tag_ids, data, keep)
    if not conflicts.is_current(version, checkin):
        # What the form submits may already be stored (a double tap, a replayed
        # form): then the save goes on and writes nothing. Otherwise ask.
        found = conflicts.compare(checkin, scores, tag_ids, kept, loaded)
        if found:
            raise conflicts.StaleCheckIn(conflicts.version_of(checkin), found)
    return kept


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
