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
from typing import TYPE_CHECKING

from django.utils.translation import gettext

from fibrotrack.diary import regions
from fibrotrack.diary.models import CheckIn, Tag

if TYPE_CHECKING:
    from fibrotrack.diary.actions import CheckInData

NEW = "new"
# Form fields that steer the conflict page itself; never carried back as answers.
CONTROL_FIELDS = frozenset({"csrfmiddlewaretoken", "version", "resolve", "conflict"})
PICK_PREFIX = "pick_"


@dataclass(frozen=True)
class Conflict:
    """One field whose submitted value differs from the stored one, in the check-in's words."""

    key: str  # the form field: s_<symptom id>, hours_slept, pain_regions, tags, note
    label: str
    mine: str
    saved: str


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
    return ", ".join(sorted(names, key=str.casefold)) or gettext("none")


def compare(
    checkin: CheckIn | None,
    scores: Mapping[int, int],
    tag_ids: Collection[int],
    data: CheckInData,
) -> list[Conflict]:
    """The fields of ``data`` that differ from the stored day (``checkin`` None: no day stored)."""
    out: list[Conflict] = []
    for symptom_id, mine in data.scores.items():
        saved = scores.get(symptom_id)
        if mine != saved:
            out.append(
                Conflict(
                    f"s_{symptom_id}",
                    data.symptom_names.get(symptom_id, gettext("A symptom")),
                    gettext("not answered") if mine is None else str(mine),
                    gettext("not answered") if saved is None else str(saved),
                )
            )
    stored_hours = _hours(checkin.hours_slept) if checkin else None
    if _hours(data.hours_slept) != stored_hours:
        out.append(
            Conflict(
                "hours_slept", gettext("Hours slept"), _hours_text(_hours(data.hours_slept)), _hours_text(stored_hours)
            )
        )
    stored_regions = set(checkin.pain_regions) if checkin else set()
    if set(data.pain_regions) != stored_regions:
        out.append(
            Conflict(
                "pain_regions",
                gettext("Where it hurt"),
                _regions_text(data.pain_regions),
                _regions_text(stored_regions),
            )
        )
    names = dict(data.tag_names)
    missing = (set(tag_ids) | set(data.tag_ids)) - names.keys()
    if missing:
        names.update(Tag.objects.filter(pk__in=missing).values_list("pk", "name"))
    mine_tags = {names[t] for t in data.tag_ids if t in names}
    if data.new_tag.strip():
        mine_tags.add(data.new_tag.strip())
    saved_tags = {names[t] for t in tag_ids if t in names}
    if {n.casefold() for n in mine_tags} != {n.casefold() for n in saved_tags}:
        out.append(Conflict("tags", gettext("What happened"), _names_text(mine_tags), _names_text(saved_tags)))
    stored_note = checkin.note if checkin else ""
    if data.note != stored_note:
        out.append(
            Conflict("note", gettext("Note"), data.note or gettext("no note"), stored_note or gettext("no note"))
        )
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


def chosen_saved(post: Mapping[str, str], conflict_keys: Iterable[str], resolve: str) -> set[str]:
    """The conflicting fields whose saved value the person kept.

    "Keep mine" keeps none; choosing field by field keeps those marked
    "saved" and those left unanswered, so that nothing stored is replaced
    without the person having said so.
    """
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
