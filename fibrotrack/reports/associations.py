"""'What goes with bad days': lagged associations from fibrostats, explained plainly.

The dashboard hands ``fibrostats.lagged_associations`` a plain DataFrame:
one row per diary day with the chosen symptom and one 0/1 column per
predictor (a night of short sleep, each trigger tag; 0 on a logged day
without it). Lag 0 is the same day, lag 1 the next day. Results are
associations with a 95% confidence interval and a false-discovery-rate
adjusted q-value, never causes.

Each predictor carries its own plain words (``Predictor``), so the sentence
builder (``insights.py``) works for any predictor an app adds to the frame.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from fibrostats import AnalysisInputError, MonthlyStability, lagged_associations, monthly_stability
from fibrotrack.diary.defaults import tag_label
from fibrotrack.diary.models import TrackedSymptom
from fibrotrack.lib.words import midsentence
from fibrotrack.weather.predictors import PREDICTORS as WEATHER_PREDICTORS

if TYPE_CHECKING:
    from fibrotrack.reports.dashboard import DiaryData

MIN_DAYS = 14
MIN_TAG_DAYS = 5
MAX_TAGS = 8
SLEEP = "__sleep__"
SHORT_SLEEP_HOURS = 6
CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Predictor:
    """One thing that may go with a symptom, with the words to say so.

    ``same_day`` and ``next_day`` open a sentence ("On days you tagged
    “Stress”"); ``label`` names it in the clinicians' table. A yes/no
    predictor (``per_unit`` empty) has a slope that is the difference between
    days with and without it; a measured one names its unit ("each extra hour
    slept") and its slope is per unit.
    """

    column: str
    label: str
    same_day: str
    next_day: str
    per_unit: str = ""
    # How the table says what was compared, when "with … than without" does not fit.
    compared: str = ""

    def when(self, lag: int) -> str:
        if lag == 0:
            return self.same_day
        if lag == 1:
            return self.next_day
        return _("%(when)s (%(lag)d days later)") % {"when": self.next_day, "lag": lag}


def short_sleep_predictor() -> Predictor:
    hours = SHORT_SLEEP_HOURS
    return Predictor(
        SLEEP,
        _("Slept under %(hours)d hours") % {"hours": hours},
        _("On days after you slept under %(hours)d hours") % {"hours": hours},
        _("On the second day after you slept under %(hours)d hours") % {"hours": hours},
    )


def tag_predictor(column: str, name: str) -> Predictor:
    return Predictor(
        column,
        name,
        _("On days you tagged “%(tag)s”") % {"tag": name},
        _("On the day after you tagged “%(tag)s”") % {"tag": name},
    )


def weather_predictor(column: str, label: str, description: str) -> Predictor:
    """A weather predictor (fibrotrack/weather/predictors.py) in the insights' words."""
    return Predictor(
        column,
        label,
        _("On days when %(what)s") % {"what": description},
        _("On the day after %(what)s") % {"what": description},
        compared=_("on days when %(what)s than on other days") % {"what": description},
    )


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
    about: Predictor | None = None
    stability: MonthlyStability | None = None

    @property
    def when(self) -> str:
        return _("same day") if self.lag == 0 else _("next day") if self.lag == 1 else _("%d days later") % self.lag

    @property
    def tested(self) -> bool:
        return self.slope is not None

    @property
    def sentence(self) -> str:
        """The table's cell: the difference and its interval (signed numbers are for clinicians)."""
        if self.slope is None:
            return _("Not tested: %(why)s.") % {"why": skip_reason(self.note) if self.note else _("not enough data")}
        direction = _("higher") if self.slope > 0 else _("lower")
        return _("%(size).1f points %(direction)s %(unit)s (95%% CI %(low)+.1f to %(high)+.1f, %(days)d days)") % {
            "size": abs(self.slope),
            "direction": direction,
            "unit": self.unit,
            "low": self.ci_low,
            "high": self.ci_high,
            "days": self.n_days,
        }


def frame(
    data: DiaryData, symptom: TrackedSymptom, start: dt.date, end: dt.date
) -> tuple[pd.DataFrame, dict[str, Predictor]]:
    """The plain DataFrame for fibrostats, and column -> its predictor."""
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
    predictors: dict[str, Predictor] = {}
    slept = [d for d in logged if d in data.sleep]
    short = sum(1 for d in slept if data.sleep[d] < SHORT_SLEEP_HOURS)
    # Short nights as yes/no: "after a short night" reads plainly; both kinds of night must be common enough.
    if len(slept) >= MIN_DAYS and MIN_TAG_DAYS <= short <= len(slept) - MIN_TAG_DAYS:
        columns[SLEEP] = [
            (1.0 if data.sleep[d] < SHORT_SLEEP_HOURS else 0.0) if d in data.sleep else float("nan") for d in logged
        ]
        predictors[SLEEP] = short_sleep_predictor()
    for tag_id in usable:
        column = f"tag_{tag_id}"
        columns[column] = [1.0 if tag_id in data.tags_by_day.get(d, ()) else 0.0 for d in logged]
        predictors[column] = tag_predictor(column, tag_label(data.tag_names[tag_id]))
    # Weather (opt-in): a 0/1 column per predictor on the days whose weather is known, NaN on the others.
    for weather in WEATHER_PREDICTORS:
        known = [weather.value(data.weather[d]) if d in data.weather else None for d in logged]
        yes = sum(1 for v in known if v == 1.0)
        n_known = sum(1 for v in known if v is not None)
        if n_known >= MIN_DAYS and MIN_TAG_DAYS <= yes < n_known:
            columns[weather.key] = [float("nan") if v is None else v for v in known]
            predictors[weather.key] = weather_predictor(weather.key, str(weather.label), str(weather.description))
    return pd.DataFrame(columns), predictors


def _unit(symptom: TrackedSymptom, predictor: Predictor) -> str:
    if predictor.compared:
        return _("%(symptom)s %(compared)s") % {"symptom": midsentence(symptom.label), "compared": predictor.compared}
    if predictor.per_unit:
        return _("%(symptom)s per %(unit)s") % {"symptom": midsentence(symptom.label), "unit": predictor.per_unit}
    return _("%(symptom)s with %(what)s than without") % {
        "symptom": midsentence(symptom.label),
        "what": midsentence(predictor.label),
    }


def _analyse(df: pd.DataFrame, outcome: str, columns: list[str]) -> tuple[Any, dict[tuple[str, int], Any]]:
    """fibrostats' associations, and for each clear one its month-by-month stability."""
    result = lagged_associations(df, outcome, columns, max_lag=1)
    stability = {
        (a.predictor, a.lag): monthly_stability(df, outcome, a.predictor, a.lag, sign=a.slope)
        for a in result.associations
        if a.significant and a.slope
    }
    return result, stability


def for_symptom(data: DiaryData, symptom: TrackedSymptom, start: dt.date, end: dt.date) -> dict[str, Any]:
    df, predictors = frame(data, symptom, start, end)
    out: dict[str, Any] = {"symptom": symptom, "rows": [], "notes": [], "message": ""}
    observed = int(df[symptom.key].notna().sum()) if len(df) else 0
    if observed < MIN_DAYS:
        out["message"] = _(
            "Not enough days yet: this needs at least %(need)d days with %(symptom)s in the period (there are "
            "%(have)d)."
        ) % {"need": MIN_DAYS, "symptom": midsentence(symptom.label), "have": observed}
        return out
    if not predictors:
        out["message"] = _(
            "Nothing to compare yet: tag a trigger on at least %(days)d days, or record your hours of sleep."
        ) % {"days": MIN_TAG_DAYS}
        return out
    # The analysis is deterministic in its input, so the result is cached under a digest of
    # the very DataFrame it reads: any change to the diary makes a new key, nothing goes stale.
    digest = hashlib.sha256(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes()).hexdigest()
    key = f"reports:lagged:v2:{digest}:{symptom.key}:{','.join(df.columns)}"
    cached = cache.get(key)
    if cached is None:
        try:
            cached = _analyse(df, symptom.key, list(predictors))
        except AnalysisInputError as exc:
            out["message"] = _("These could not be worked out: %(why)s.") % {"why": exc}
            return out
        cache.set(key, cached, CACHE_SECONDS)
    result, stability = cached
    rows = []
    for a in result.associations:
        predictor = predictors[a.predictor]
        rows.append(
            AssociationRow(
                predictor.label,
                _unit(symptom, predictor),
                a.lag,
                a.n_days,
                a.slope,
                a.ci_low,
                a.ci_high,
                a.q_value,
                a.significant,
                a.note,
                about=predictor,
                stability=stability.get((a.predictor, a.lag)),
            )
        )
    rows.sort(key=lambda r: (not r.significant, r.predictor, r.lag))
    out.update(rows=rows, notes=analysis_notes(result.fdr, result.n_tests), label=result.label, fdr=result.fdr)
    return out


# fibrostats never imports Django, so its words are English; these are the same words, translated.
def analysis_notes(fdr: float, tests: int) -> list[str]:
    return [
        _(
            "These are associations, not causes: something else (a flare, weather, stress) may drive both. Lags "
            "overlap, so a real day-after association often shows at several lags."
        ),
        ngettext(
            "False discovery rate controlled at %(fdr)s across %(tests)d test (Benjamini-Hochberg).",
            "False discovery rate controlled at %(fdr)s across %(tests)d tests (Benjamini-Hochberg).",
            tests,
        )
        % {"fdr": f"{fdr:g}", "tests": tests},
    ]


_SKIPPED_FEW = re.compile(r"^only (\d+) paired days \(need (\d+)\)$")
_SKIPPED = {
    "the predictor does not vary": gettext_noop("the predictor does not vary"),
    "the predictor is confounded with the phases or too few days": gettext_noop(
        "the predictor is confounded with the phases or too few days"
    ),
    "the outcome does not vary": gettext_noop("the outcome does not vary"),
}


def skip_reason(note: str) -> str:
    """Why fibrostats left an association untested, in the active language."""
    if match := _SKIPPED_FEW.match(note):
        return _("only %(days)s paired days (need %(need)s)") % {"days": match[1], "need": match[2]}
    return _(_SKIPPED[note]) if note in _SKIPPED else note
