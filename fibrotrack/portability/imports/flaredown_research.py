"""The Flaredown research export: long format, one row per tracked value, possibly many people.

Columns: ``user_id,age,sex,country,checkin_date,trackable_id,trackable_type,
trackable_name,trackable_value``. ``trackable_type`` is Condition, Symptom,
Treatment, Tag, Food, Weather or HBI.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fibrotrack.accounts.models import User
from fibrotrack.lib.dates import diary_day
from fibrotrack.portability.imports import flaredown, textfile
from fibrotrack.portability.imports.base import (
    READING,
    SAVING,
    ImportRefused,
    Options,
    Preview,
    Progress,
    Result,
)
from fibrotrack.portability.imports.flaredown import (
    Item,
    NoteEntry,
    Score,
    Skipped,
    TagEntry,
    TreatmentEntry,
    clean_name,
)
from fibrotrack.portability.imports.values import parse_day, parse_dose, parse_rating

COLUMNS = [
    "user_id",
    "age",
    "sex",
    "country",
    "checkin_date",
    "trackable_id",
    "trackable_type",
    "trackable_name",
    "trackable_value",
]
USER, DATE, TYPE, NAME, VALUE = 0, 4, 6, 7, 8


def _checked_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    rows = textfile.rows(path)
    header = next(rows, None)
    if header is None or [h.strip().lower() for h in header[1]] != COLUMNS:
        raise ImportRefused(
            _("This is not a Flaredown research export: the first row should be {columns}.").format(
                columns=",".join(COLUMNS)
            )
        )
    yield from rows


def decide_source(counts: Counter[str], options: Options, seen: str | None) -> str:
    """The user_id to import, or ImportRefused listing every id with its number of rows."""
    listed = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if options.source_user is not None:
        if options.source_user not in counts:
            raise ImportRefused(_("There is no user_id {user} in this file.").format(user=options.source_user), listed)
        return options.source_user
    if len(counts) > 1:
        raise ImportRefused(
            _(
                "This file holds {count} people. Choose the user_id to import (--source-user ID on the command line)."
            ).format(count=len(counts)),
            listed,
        )
    if not counts or seen is None:
        raise ImportRefused(_("This file has no rows after the header."))
    return seen


def items(path: Path, user: User, options: Options, state: dict[str, Any]) -> Iterator[Item]:
    """Entries of one person's rows. ``state["source"]`` is that person's user_id; when it is
    None, the first id in the file is read, and ``state["counts"]`` (rows per id) tells the
    plan afterwards whether the file held anyone else. One pass, whatever the choice."""
    today = diary_day(user)
    days: dict[str, dt.date] = {}
    counts: Counter[str] = state.setdefault("counts", Counter())
    for line, cells in _checked_rows(path):
        if not cells:
            continue
        if len(cells) != len(COLUMNS):
            yield line, cells, f"expected {len(COLUMNS)} columns, found {len(cells)}"
            continue
        user_id = cells[USER].strip()
        counts[user_id] += 1
        if state.get("source") is None:
            state["source"] = user_id
        if user_id != state["source"]:
            continue
        try:
            # A day has about a hundred rows: parse each date text once.
            day = days.get(cells[DATE])
            if day is None:
                day = days[cells[DATE]] = parse_day(cells[DATE], today)
            yield line, cells, _entry(cells, day, options)
        except ValueError as error:
            yield line, cells, str(error)
        if len(days) > 1000:
            days.clear()


def _entry(cells: list[str], day: dt.date, options: Options) -> flaredown.Entry | None:
    kind = cells[TYPE].strip().lower()
    name = _NAMES.get(cells[NAME]) or _name(cells[NAME])
    value = cells[VALUE].strip()
    if kind in ("condition", "symptom"):
        if not name:
            raise ValueError(_("a {kind} without a name").format(kind=kind))
        rating = parse_rating(value)
        return None if rating is None else Score(day, name, rating, kind == "condition")
    if kind == "treatment":
        if not name:
            raise ValueError(_("a treatment without a name"))
        return TreatmentEntry(day, clean_name(cells[NAME], 80), parse_dose(value))
    if kind in ("tag", "food"):
        if not name:
            raise ValueError(_("a {kind} without a name").format(kind=kind))
        return TagEntry(day, name, food=kind == "food")
    if kind == "weather":
        if options.weather == "skip":
            return Skipped(gettext_noop("weather (skipped by choice)"))
        return NoteEntry(day, f"Weather (Flaredown): {name} {value}".strip())
    if kind == "hbi":
        return Skipped(gettext_noop("HBI (Harvey-Bradshaw index)"))
    raise ValueError(_("unknown trackable_type “{kind}”").format(kind=cells[TYPE][:30]))


_NAMES: dict[str, str] = {}


def _name(raw: str) -> str:
    """clean_name, remembered: a file repeats the same few hundred names a million times."""
    if len(_NAMES) > 10_000:
        _NAMES.clear()
    _NAMES[raw] = clean_name(raw)
    return _NAMES[raw]


def plan(path: Path, user: User, options: Options, progress: Progress | None = None) -> flaredown.Plan:
    state: dict[str, Any] = {"source": options.source_user}
    preview = Preview(format="flaredown-research", columns=COLUMNS)
    stream = flaredown.counted(items(path, user, options, state), progress, READING)
    result = flaredown.make_plan(user, stream, options, preview)
    source = decide_source(state["counts"], options, state["source"])
    result.source = source
    preview.mapping.insert(0, _("Importing Flaredown user_id {user}.").format(user=source))
    return result


def preview(path: Path, user: User, options: Options) -> Preview:
    return plan(path, user, options).preview


def apply(path: Path, user: User, options: Options, progress: Progress | None = None) -> Result:
    the_plan = plan(path, user, options, progress)
    stream = items(path, user, options, {"source": the_plan.source})
    return flaredown.write(user, the_plan, flaredown.counted(stream, progress, SAVING, the_plan.lines - 1), options)
