"""The Flaredown personal export (``data.csv``): one row per day.

Flaredown writes ``Date``, then one column per condition, then per symptom,
then per treatment, then ``Tags`` and ``Foods`` (names joined by "; "). The
header does not say which columns are treatments, so the plan pass reads the
values: a column whose every value is a 0–4 rating is a condition or symptom;
any other column (doses such as "8.0 mg") is a treatment. The preview lists
which is which.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

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
from fibrotrack.portability.imports.flaredown import Item, Score, TagEntry, TreatmentEntry, clean_name
from fibrotrack.portability.imports.values import parse_day, parse_dose, parse_rating

SEPARATOR = ";"


def _header(path: Path) -> list[str]:
    first = next(textfile.rows(path), None)
    header = [h.strip() for h in first[1]] if first else []
    if not header or header[0].lower() != "date" or [h.lower() for h in header[-2:]] != ["tags", "foods"]:
        raise ImportRefused(
            _(
                "This is not a Flaredown personal export: the first row should start with Date and end with Tags "
                "and Foods."
            )
        )
    if len({h.casefold() for h in header}) != len(header):
        raise ImportRefused(_("Two columns in the first row have the same name."))
    return header


def classify(path: Path, header: list[str]) -> list[bool]:
    """For each trackable column: True if it holds ratings (symptom), False if doses (treatment)."""
    ratings = [True] * (len(header) - 3)
    for line, cells in textfile.rows(path):
        if line == 1:
            continue
        for i, value in enumerate(cells[1:-2][: len(ratings)]):
            if ratings[i] and value.strip():
                try:
                    parse_rating(value)
                except ValueError:
                    ratings[i] = False
    return ratings


def items(path: Path, user: User, header: list[str], ratings: list[bool]) -> Iterator[Item]:
    today = diary_day(user)
    names = header[1:-2]
    for line, cells in textfile.rows(path):
        if line == 1 or not cells or not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            yield line, cells, f"expected {len(header)} columns, found {len(cells)}"
            continue
        try:
            day = parse_day(cells[0], today)
        except ValueError as error:
            yield line, cells, str(error)
            continue
        for name, is_rating, value in zip(names, ratings, cells[1:-2], strict=True):
            if not value.strip():
                continue
            if is_rating:
                rating = parse_rating(value)  # checked by classify(); never raises here
                if rating is not None:
                    yield line, cells, Score(day, clean_name(name), rating)
            else:
                yield line, cells, TreatmentEntry(day, clean_name(name, 80), parse_dose(value))
        for column, food in ((-2, False), (-1, True)):
            for tag in cells[column].split(SEPARATOR):
                if clean_name(tag):
                    yield line, cells, TagEntry(day, clean_name(tag), food=food)


def plan(path: Path, user: User, options: Options, progress: Progress | None = None) -> flaredown.Plan:
    header = _header(path)
    ratings = classify(path, header)
    preview = Preview(format="flaredown-personal", columns=header)
    stream = flaredown.counted(items(path, user, header, ratings), progress, READING)
    result = flaredown.make_plan(user, _count_rows(stream), options, preview)
    symptoms = [n for n, r in zip(header[1:-2], ratings, strict=True) if r]
    treatments = [n for n, r in zip(header[1:-2], ratings, strict=True) if not r]
    preview.mapping.insert(
        0,
        _(
            "Columns read as conditions or symptoms (0–4 ratings): {symptoms}. Columns read as treatments: "
            "{treatments}."
        ).format(symptoms=", ".join(symptoms) or _("none"), treatments=", ".join(treatments) or _("none")),
    )
    result.header, result.ratings = header, ratings
    return result


def _count_rows(stream: Iterator[Item]) -> Iterator[Item]:
    """A row yields many entries; number only its first, so that make_plan counts each row once."""
    last = None
    for line, cells, entry in stream:
        if line != last:
            last = line
            yield line, cells, entry
        else:
            yield 0, cells, entry


def preview(path: Path, user: User, options: Options) -> Preview:
    return plan(path, user, options).preview


def apply(path: Path, user: User, options: Options, progress: Progress | None = None) -> Result:
    the_plan = plan(path, user, options, progress)
    stream = items(path, user, the_plan.header, the_plan.ratings)
    return flaredown.write(user, the_plan, flaredown.counted(stream, progress, SAVING, the_plan.lines - 1), options)
