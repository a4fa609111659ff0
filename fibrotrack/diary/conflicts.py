"""A check-in form that was loaded before another save of the same day.

The form carries the version of the day it was loaded with (the check-in's
``updated_at``, or ``"new"`` for a day that did not exist yet). The save
compares it with the stored day inside its transaction: on a mismatch,
nothing is saved unless what the form submits already equals what is stored
(a double tap or a replayed form); otherwise the person is shown, field by
field, what they entered and what is now stored, and chooses. Their choice is
saved with the version they were shown, so a third save in between asks
again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.utils.translation import gettext

from fibrotrack.diary import regions
from fibrotrack.diary.defaults import symptom_label, tag_label
from fibrotrack.diary.models import CheckIn, Tag

if TYPE_CHECKING:
    from fibrotrack.diary.actions import CheckInData

NEW = "new"
# Form fields that steer the conflict page itself; never carried back as answers.
CONTROL_FIELDS = frozenset({"csrfmiddlewaretoken", "version", "resolve", "conflict", "untouched"})
_SALT = "fibrotrack.diary.checkin.loaded"
PICK_PREFIX = "pick_"


@dataclass(frozen=True)
class Conflict:
    """One field whose submitted value differs from the stored one, in the check-in's words."""

    key: str  # the form field: s_<symptom id>, hours_slept, pain_regions, tags, note
    label: str
    mine: str
    saved: str
    # False when the form shows what it was loaded with: the difference is the other save's change.
    changed_by_you: bool = True


class StaleCheckIn(Exception):
    """The form was loaded from an older version of the day and differs from what is stored now."""

    def __init__(self, version: str, conflicts: list[Conflict]) -> None:
        super().__init__(version)
        self.version = version
        self.conflicts = conflicts


def version_of(checkin: CheckIn | None) -> str:
    return NEW if checkin is None else checkin.updated_at.isoformat()


def is_current(version: str, checkin: CheckIn | None) -> bool:
    """Whether ``version`` (from the form) names the stored day; an unreadable one never does."""
    if checkin is None:
        return version == NEW
    try:
        return dt.datetime.fromisoformat(version) == checkin.updated_at
    except ValueError:
        return False


def _hours(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def _hours_text(value: Decimal | None) -> str:
    if value is None:
        return gettext("not answered")
    return f"{value.normalize():f}"


def _regions_text(codes: Iterable[str]) -> str:
    chosen = set(codes)
    names = [str(label) for code, label in regions.MAP_CHOICES if code in chosen]
    return ", ".join(names) or gettext("none")


def _names_text(names: Iterable[str]) -> str:
    return ", ".join(sorted((tag_label(n) for n in names), key=str.casefold)) or gettext("none")


def _tag_names(ids: Iterable[int], names: Mapping[int, str]) -> set[str]:
    return {names[t] for t in ids if t in names}


def _norm_tags(names: Iterable[str]) -> list[str]:
    return sorted({n.casefold() for n in names})


def loaded_picture(checkin: CheckIn | None) -> dict[str, Any]:
    """What a form shows of ``checkin``, comparable with ``compare``'s pictures (JSON-ready).

    ``checkin`` should have its scores and tags prefetched.
    """
    if checkin is None:
        return {}
    return {
        **{f"s_{sid}": value for sid, value in checkin.score_map.items()},
        "hours_slept": _json_hours(_hours(checkin.hours_slept)),
        "pain_regions": sorted(checkin.pain_regions),
        "tags": _norm_tags(t.name for t in checkin.tags.all()),
        "note": checkin.note,
    }


def sign_loaded(checkin: CheckIn | None) -> str:
    """The loaded picture for the form's hidden field, signed so that it is read back as it was sent."""
    return signing.dumps(loaded_picture(checkin), salt=_SALT, compress=True)


def read_loaded(value: str) -> dict[str, Any] | None:
    """The picture a form was loaded with, or None (no field, or one that was not ours)."""
    if not value:
        return None
    try:
        picture = signing.loads(value, salt=_SALT)
    except signing.BadSignature:
        return None
    return picture if isinstance(picture, dict) else None


def _json_hours(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


_EMPTY: dict[str, Any] = {"hours_slept": None, "pain_regions": [], "tags": [], "note": ""}


def compare(
    checkin: CheckIn | None,
    scores: Mapping[int, int],
    tag_ids: Collection[int],
    data: CheckInData,
    loaded: Mapping[str, Any] | None = None,
) -> list[Conflict]:
    """The fields of ``data`` that differ from the stored day (``checkin`` None: no day stored).

    ``loaded`` is the picture the form was loaded with (``loaded_picture``);
    a field equal to it there is one the person did not change. Without it,
    every field counts as changed.
    """
    names = dict(data.tag_names)
    missing = (set(tag_ids) | set(data.tag_ids)) - names.keys()
    if missing:
        names.update(Tag.objects.filter(pk__in=missing).values_list("pk", "name"))
    mine_tags = _tag_names(data.tag_ids, names) | ({data.new_tag.strip()} if data.new_tag.strip() else set())
    saved_tags = _tag_names(tag_ids, names)
    stored_hours = _hours(checkin.hours_slept) if checkin else None
    stored_regions = sorted(checkin.pain_regions) if checkin else []
    stored_note = checkin.note if checkin else ""
    none = gettext("not answered")
    # key: (label, mine as compared, saved as compared, mine as shown, saved as shown)
    fields: dict[str, tuple[str, Any, Any, str, str]] = {}
    for symptom_id, mine in data.scores.items():
        saved = scores.get(symptom_id)
        label = symptom_label(data.symptom_names.get(symptom_id) or "") or gettext("A symptom")
        fields[f"s_{symptom_id}"] = (
            label,
            mine,
            saved,
            none if mine is None else str(mine),
            none if saved is None else str(saved),
        )
    hours = _hours(data.hours_slept)
    fields["hours_slept"] = (
        gettext("Hours slept"),
        _json_hours(hours),
        _json_hours(stored_hours),
        _hours_text(hours),
        _hours_text(stored_hours),
    )
    fields["pain_regions"] = (
        gettext("Where it hurt"),
        sorted(set(data.pain_regions)),
        stored_regions,
        _regions_text(data.pain_regions),
        _regions_text(stored_regions),
    )
    fields["tags"] = (
        gettext("What happened"),
        _norm_tags(mine_tags),
        _norm_tags(saved_tags),
        _names_text(mine_tags),
        _names_text(saved_tags),
    )
    no_note = gettext("no note")
    fields["note"] = (gettext("Note"), data.note, stored_note, data.note or no_note, stored_note or no_note)
    out = []
    for key, (label, mine, saved, mine_text, saved_text) in fields.items():
        if mine != saved:
            changed = loaded is None or mine != loaded.get(key, _EMPTY.get(key))
            out.append(Conflict(key, label, mine_text, saved_text, changed_by_you=changed))
    return out


def keep_saved(
    checkin: CheckIn | None,
    scores: Mapping[int, int],
    tag_ids: Collection[int],
    data: CheckInData,
    keys: Collection[str],
) -> CheckInData:
    """``data`` with the fields named in ``keys`` set back to what is stored."""
    if not keys:
        return data
    new_scores = dict(data.scores)
    for symptom_id in data.scores:
        if f"s_{symptom_id}" in keys:
            new_scores[symptom_id] = scores.get(symptom_id)
    changes: dict[str, object] = {"scores": new_scores}
    if "hours_slept" in keys:
        changes["hours_slept"] = checkin.hours_slept if checkin else None
    if "pain_regions" in keys:
        changes["pain_regions"] = list(checkin.pain_regions) if checkin else []
    if "tags" in keys:
        changes["tag_ids"] = sorted(tag_ids)
        changes["new_tag"] = ""
    if "note" in keys:
        changes["note"] = checkin.note if checkin else ""
    return replace(data, **changes)  # type: ignore[arg-type]


def chosen_saved(
    post: Mapping[str, str], conflict_keys: Iterable[str], untouched: Iterable[str], resolve: str
) -> set[str]:
    """The conflicting fields whose saved value the person kept.

    "Keep my changes" keeps the saved value wherever the person had not
    changed what their form loaded (``untouched``), so that a field they
    never touched cannot overwrite another save. Choosing field by field
    keeps those marked "saved" and those left unanswered, so that nothing
    stored is replaced without the person having said so.
    """
    if resolve == "mine":
        return set(untouched)
    if resolve != "each":
        return set()
    return {key for key in conflict_keys if post.get(PICK_PREFIX + key) != "mine"}


def carried(post_lists: Iterable[tuple[str, list[str]]]) -> list[tuple[str, str]]:
    """The person's answers, as hidden fields for the conflict page to send back unchanged."""
    return [
        (name, value)
        for name, values in post_lists
        if name not in CONTROL_FIELDS and not name.startswith(PICK_PREFIX)
        for value in values
    ]
