"""From per-person rows to the k-anonymous figures that "what worked for others" shows.

The cells are fixed: one per catalogue treatment, everyone who shares and
tracked it. There are no filters (no sex, age, or "also takes X"), so nobody
can ask two overlapping questions and subtract the answers. Inside a cell:

* nothing at all for fewer than ``K`` people; a figure about a sub-group (the
  people with an estimate, those who reported a side effect) is left out
  when that sub-group has fewer than ``K`` people;
* counts are rounded to the nearest ``STEP`` and percentages are computed
  from rounded counts and rounded to ``PCT_STEP`` points;
* a median or quartile is never one person's value: it is the mean of the
  ``BLUR`` values around its position, then rounded. Someone who knows every
  other member's value still learns one person's value only to within the
  rounding (``test_k_anonymity`` checks this with adversarial data).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

K = 10
STEP = 5
PCT_STEP = 5
DAYS_STEP = 7
BLUR = 3
RESPONDER = 0.30
TOP_SIDE_EFFECTS = 5


def round_count(n: float) -> int:
    """To the nearest ``STEP``, halves up (12 -> 10, 13 -> 15)."""
    return int(STEP * math.floor(n / STEP + 0.5))


def round_to(value: float, step: int) -> int:
    return int(step * math.floor(value / step + 0.5))


def share_pct(part: int, whole: int) -> int:
    """A percentage from ROUNDED counts, itself rounded to ``PCT_STEP`` points."""
    part_r, whole_r = round_count(part), round_count(whole)
    if whole_r <= 0:
        return 0
    return min(100, round_to(100 * part_r / whole_r, PCT_STEP))


def blurred_quantile(values: Any, q: float) -> float:
    """The mean of the ``BLUR`` sorted values nearest the ``q`` position: no single person's value."""
    ordered = np.sort(np.asarray(values, dtype=float))
    n = len(ordered)
    centre = round(q * (n - 1))
    lo = max(0, min(n - BLUR, centre - BLUR // 2))
    return float(ordered[lo : lo + BLUR].mean())


@dataclass
class Cell:
    treatment_key: str
    people: int
    days_median: int
    days_q1: int
    days_q3: int
    estimated_people: int | None = None
    improvement_median: int | None = None
    improvement_q1: int | None = None
    improvement_q3: int | None = None
    improved_share: int | None = None
    from_trials: int = 0
    side_effects: list[dict[str, Any]] = field(default_factory=list)


def _estimates(cell: Cell, rows: pd.DataFrame) -> None:
    known = rows[rows.improvement.notna()]
    if len(known) < K:
        return
    pct = known.improvement.to_numpy() * 100
    cell.estimated_people = round_count(len(known))
    cell.improvement_median = round_to(blurred_quantile(pct, 0.5), PCT_STEP)
    cell.improvement_q1 = round_to(blurred_quantile(pct, 0.25), PCT_STEP)
    cell.improvement_q3 = round_to(blurred_quantile(pct, 0.75), PCT_STEP)
    cell.improved_share = share_pct(int((known.improvement >= RESPONDER).sum()), len(known))
    trials = int((known.source == "trial").sum())
    cell.from_trials = round_count(trials) if trials >= K else 0


def _side_effects(people: int, effects: pd.DataFrame) -> list[dict[str, Any]]:
    if effects.empty:
        return []
    counts = effects.groupby(["effect_key", "effect_name"]).user_id.nunique().reset_index(name="n")
    counts = counts[counts.n >= K].sort_values(["n", "effect_key"], ascending=[False, True]).head(TOP_SIDE_EFFECTS)
    return [
        {"key": key, "name": name, "people": round_count(int(n)), "share": share_pct(int(n), people)}
        for key, name, n in zip(counts.effect_key, counts.effect_name, counts.n, strict=True)
    ]


def build_cells(people: pd.DataFrame, side_effects: pd.DataFrame) -> list[Cell]:
    """``people``: user_id, treatment_key, days_on, improvement (NaN if none), source; one row per person."""
    cells: list[Cell] = []
    if people.empty:
        return cells
    for key, rows in people.groupby("treatment_key", sort=True):
        n = rows.user_id.nunique()
        if n < K:
            continue
        days = rows.days_on.to_numpy()
        cell = Cell(
            treatment_key=str(key),
            people=round_count(n),
            days_median=max(DAYS_STEP, round_to(blurred_quantile(days, 0.5), DAYS_STEP)),
            days_q1=max(DAYS_STEP, round_to(blurred_quantile(days, 0.25), DAYS_STEP)),
            days_q3=max(DAYS_STEP, round_to(blurred_quantile(days, 0.75), DAYS_STEP)),
        )
        _estimates(cell, rows)
        mine = side_effects[side_effects.treatment_key == key] if not side_effects.empty else side_effects
        # Only people in this cell count (a side effect is filed against a regimen, so they are).
        cell.side_effects = _side_effects(n, mine[mine.user_id.isin(rows.user_id)] if not mine.empty else mine)
        cells.append(cell)
    return cells
