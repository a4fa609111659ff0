"""'What goes with bad days': lagged associations from fibrostats, explained plainly.

The dashboard hands ``fibrostats.lagged_associations`` a plain DataFrame:
one row per diary day with the chosen symptom, hours slept and one 0/1
column per trigger tag (0 on a logged day without the tag). Lag 0 is the same
day, lag 1 the next day. Results are associations with a 95% confidence
interval and a false-discovery-rate-adjusted q-value, never causes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
from django.core.cache import cache

from fibrostats import AnalysisInputError, lagged_associations
from fibrotrack.diary.models import TrackedSymptom
from fibrotrack.weather.predictors import PREDICTORS as WEATHER_PREDICTORS

if TYPE_CHECKING:
    from fibrotrack.reports.dashboard import DiaryData

MIN_DAYS = 14
MIN_TAG_DAYS = 5
MAX_TAGS = 8
SLEEP = "__sleep__"
CACHE_SECONDS = 24 * 3600


@dataclass
class AssociationRow:
    predictor: str
    unit: str
    lag: int
    n_days: int
    slope: float | None
    ci_low: float | None
    ci_high: float | None
    q_value: float | None
    significant: bool
    note: str | None

    @property
    def when(self) -> str:
        return "same day" if self.lag == 0 else "next day" if self.lag == 1 else f"{self.lag} days later"

    @property
    def tested(self) -> bool:
        return self.slope is not None

    @property
    def sentence(self) -> str:
        if self.slope is None:
            return f"Not tested: {self.note or 'not enough data'}."
        direction = "higher" if self.slope > 0 else "lower"
        return (
            f"{abs(self.slope):.1f} points {direction} {self.unit} "
            f"(95% CI {self.ci_low:+.1f} to {self.ci_high:+.1f}, {self.n_days} days)"
        )


def frame(
    data: DiaryData, symptom: TrackedSymptom, start: dt.date, end: dt.date
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The plain DataFrame for fibrostats, and column -> human label."""
    logged = sorted(d for d in data.logged_days if start <= d <= end)
    values = data.values.get(symptom.pk, {})
    counts: dict[int, int] = {}
    for day in logged:
        for tag_id in data.tags_by_day.get(day, ()):
            if tag_id in data.trigger_tags:
                counts[tag_id] = counts.get(tag_id, 0) + 1
    # Tags seen on too few (or on all) days cannot be tested; keep the most frequent few.
    usable = [t for t, n in counts.items() if MIN_TAG_DAYS <= n < len(logged)]
    usable = sorted(usable, key=lambda t: (-counts[t], data.tag_names[t]))[:MAX_TAGS]
    columns: dict[str, Any] = {
        "date": logged,
        symptom.key: [values.get(d, float("nan")) for d in logged],
    }
    labels: dict[str, str] = {}
    if sum(1 for d in logged if d in data.sleep) >= MIN_DAYS:
        columns[SLEEP] = [data.sleep.get(d, float("nan")) for d in logged]
        labels[SLEEP] = "Hours slept"
    for tag_id in usable:
        column = f"tag_{tag_id}"
        columns[column] = [1.0 if tag_id in data.tags_by_day.get(d, ()) else 0.0 for d in logged]
        labels[column] = data.tag_names[tag_id]
    # Weather (opt-in): a 0/1 column per predictor on the days whose weather is known, NaN on the others.
    for predictor in WEATHER_PREDICTORS:
        known = [predictor.value(data.weather[d]) if d in data.weather else None for d in logged]
        yes = sum(1 for v in known if v == 1.0)
        n_known = sum(1 for v in known if v is not None)
        if n_known >= MIN_DAYS and MIN_TAG_DAYS <= yes < n_known:
            columns[predictor.key] = [float("nan") if v is None else v for v in known]
            labels[predictor.key] = str(predictor.label)
    return pd.DataFrame(columns), labels


def for_symptom(data: DiaryData, symptom: TrackedSymptom, start: dt.date, end: dt.date) -> dict[str, Any]:
    df, labels = frame(data, symptom, start, end)
    out: dict[str, Any] = {"symptom": symptom, "rows": [], "notes": [], "message": ""}
    observed = int(df[symptom.key].notna().sum()) if len(df) else 0
    if observed < MIN_DAYS:
        out["message"] = (
            f"Not enough days yet: this needs at least {MIN_DAYS} days with {symptom.name.lower()} "
            f"in the period (there are {observed})."
        )
        return out
    if not labels:
        out["message"] = (
            f"Nothing to compare yet: tag a trigger on at least {MIN_TAG_DAYS} days, or record your hours of sleep."
        )
        return out
    # The analysis is deterministic in its input, so the result is cached under a digest of
    # the very DataFrame it reads: any change to the diary makes a new key, nothing goes stale.
    digest = hashlib.sha256(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes()).hexdigest()
    key = f"reports:lagged:v1:{digest}:{symptom.key}:{','.join(df.columns)}"
    result = cache.get(key)
    if result is None:
        try:
            result = lagged_associations(df, symptom.key, list(labels), max_lag=1)
        except AnalysisInputError as exc:
            out["message"] = f"These could not be worked out: {exc}."
            return out
        cache.set(key, result, CACHE_SECONDS)
    rows = []
    weather = {p.key: p.description for p in WEATHER_PREDICTORS}
    for a in result.associations:
        unit = f"{symptom.name.lower()} per extra hour of sleep" if a.predictor == SLEEP else (
            f"{symptom.name.lower()} on days when {weather[a.predictor]} than on other days"
            if a.predictor in weather
            else f"{symptom.name.lower()} with {labels[a.predictor].lower()} than without"
        )  # fmt: skip
        rows.append(
            AssociationRow(
                labels[a.predictor],
                unit,
                a.lag,
                a.n_days,
                a.slope,
                a.ci_low,
                a.ci_high,
                a.q_value,
                a.significant,
                a.note,
            )  # fmt: skip
        )
    rows.sort(key=lambda r: (not r.significant, r.predictor, r.lag))
    out.update(rows=rows, notes=result.notes, label=result.label, fdr=result.fdr)
    return out
