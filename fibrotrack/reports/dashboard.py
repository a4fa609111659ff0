"""The "My progress" dashboard: read models over one person's diary for one period.

Everything here works in a constant number of queries whatever the amount of
data: one query per kind of row (symptoms, scores, check-ins, tags, side
effects, questionnaires) plus the timeline providers' own constant queries.
The arithmetic then happens in Python over plain dicts.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from fibrotrack.accounts.models import User
from fibrotrack.diary import access as diary_access
from fibrotrack.diary.acr2016 import band_label
from fibrotrack.diary.models import CheckIn, SymptomScore, TrackedSymptom
from fibrotrack.lib import charts, l10n
from fibrotrack.reports import associations as assoc
from fibrotrack.reports import html, insights
from fibrotrack.treatments import access as treatment_access
from fibrotrack.treatments.catalogue import side_effect_label
from fibrotrack.treatments.queries import side_effect_reports
from fibrotrack.weather.access import DayWeather, weather_series_for_user

# Dashboard period presets: key -> (label, days).
PERIODS: dict[str, tuple[StrOrPromise, int]] = {
    "28": (gettext_lazy("4 weeks"), 28),
    "91": (gettext_lazy("3 months"), 91),
    "365": (gettext_lazy("1 year"), 365),
}
DEFAULT_PERIOD = "91"
MAX_CUSTOM_DAYS = 366 * 10 + 3
SEVERITY_LEVEL = {"mild": 1, "moderate": 2, "severe": 3}


def _day(day: dt.date) -> str:
    """A day in words, in the active language (a chart's title is read aloud)."""
    return date_format(day, "j M Y")


def _fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


# --- Loading -------------------------------------------------------------------


@dataclass
class DiaryData:
    """One person's diary between ``load_start`` and ``end``, as plain dicts."""

    symptoms: list[TrackedSymptom]
    values: dict[int, dict[dt.date, float]]
    logged_days: set[dt.date]
    sleep: dict[dt.date, float]
    tags_by_day: dict[dt.date, set[int]]
    tag_names: dict[int, str]
    trigger_tags: set[int]
    # The person's opt-in weather by day (for the insights); {} when weather is off.
    weather: dict[dt.date, DayWeather] = field(default_factory=dict)


def load_diary(user: User, start: dt.date, end: dt.date, *, with_tags: bool = True) -> DiaryData:
    """Five queries at most (the fifth, the weather, with the tags). ``start`` should already include any look-back (e.g. 6 days for 7-day means)."""
    all_symptoms = list(diary_access.symptoms_for_user(user))
    values: dict[int, dict[dt.date, float]] = {s.pk: {} for s in all_symptoms}
    rows = SymptomScore.objects.filter(checkin__user=user, checkin__day__range=(start, end)).values_list(
        "symptom_id", "checkin__day", "value"
    )
    for symptom_id, day, value in rows:
        values.setdefault(symptom_id, {})[day] = float(value)
    # Archived symptoms still show when they hold data for the period: history stays history.
    symptoms = [s for s in all_symptoms if s.is_active or values.get(s.pk)]
    logged: set[dt.date] = set()
    sleep: dict[dt.date, float] = {}
    for day, hours in (
        diary_access.checkins_for_user(user).filter(day__range=(start, end)).values_list("day", "hours_slept")
    ):
        logged.add(day)
        if hours is not None:
            sleep[day] = float(hours)
    tags_by_day: dict[dt.date, set[int]] = defaultdict(set)
    tag_names: dict[int, str] = {}
    triggers: set[int] = set()
    if with_tags:
        through = CheckIn.tags.through.objects.filter(checkin__user=user, checkin__day__range=(start, end))
        for day, tag_id, name, is_trigger in through.values_list(
            "checkin__day", "tag_id", "tag__name", "tag__is_trigger"
        ):
            tags_by_day[day].add(tag_id)
            tag_names[tag_id] = name
            if is_trigger:
                triggers.add(tag_id)
    weather = weather_series_for_user(user, start, end) if with_tags else {}
    return DiaryData(symptoms, values, logged, sleep, dict(tags_by_day), tag_names, triggers, weather)


# --- Statistics over one symptom -------------------------------------------------


@dataclass
class Stat:
    mean: float | None
    best: float | None
    best_day: dt.date | None
    worst: float | None
    worst_day: dt.date | None
    days_logged: int

    @property
    def mean_text(self) -> str:
        return _fmt(self.mean)


def summarise(symptom: TrackedSymptom, values: Mapping[dt.date, float], start: dt.date, end: dt.date) -> Stat:
    """Mean, best and worst day (by the symptom's direction; the earliest day on ties) and days logged."""
    inside = sorted((d, v) for d, v in values.items() if start <= d <= end)
    if not inside:
        return Stat(None, None, None, None, None, 0)
    mean = statistics.fmean(v for _, v in inside)
    low = min(inside, key=lambda item: (item[1], item[0]))
    high = max(inside, key=lambda item: (item[1], -item[0].toordinal()))
    best, worst = (low, high) if symptom.lower_is_better else (high, low)
    return Stat(mean, best[1], best[0], worst[1], worst[0], len(inside))


def week_start(day: dt.date) -> dt.date:
    """The first day of the locale's week (Monday; Sunday in the US): lib/l10n.py."""
    return l10n.week_start(day)


def buckets(start: dt.date, end: dt.date, by: str) -> list[tuple[str, dt.date, dt.date]]:
    """Calendar weeks (from the locale's first day) or months covering the period, clipped to it, newest first."""
    out = []
    if by == "month":
        cursor = start.replace(day=1)
        while cursor <= end:
            next_month = (cursor.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            b0, b1 = max(cursor, start), min(next_month - dt.timedelta(days=1), end)
            out.append((l10n.format_date(cursor, "YEAR_MONTH_FORMAT"), b0, b1))
            cursor = next_month
    else:
        cursor = week_start(start)
        while cursor <= end:
            b0, b1 = max(cursor, start), min(cursor + dt.timedelta(days=6), end)
            out.append((_("Week of {day}").format(day=l10n.format_date(cursor, "j M Y")), b0, b1))
            cursor += dt.timedelta(days=7)
    return list(reversed(out))


@dataclass
class SummaryRow:
    label: str
    start: dt.date
    end: dt.date
    cells: list[Stat]


def summary_table(data: DiaryData, start: dt.date, end: dt.date, by: str) -> list[SummaryRow]:
    rows = []
    for label, b0, b1 in buckets(start, end, by):
        bucket_days = [b0 + dt.timedelta(days=i) for i in range((b1 - b0).days + 1)]
        cells = []
        for s in data.symptoms:
            values = data.values[s.pk]
            # Only this bucket's days, so the work is days x symptoms, not buckets x all values.
            inside = {d: v for d in bucket_days if (v := values.get(d)) is not None}
            cells.append(summarise(s, inside, b0, b1))
        rows.append(SummaryRow(label, b0, b1, cells))
    return rows


@dataclass
class WeekScore:
    start: dt.date
    end: dt.date
    mean: float
    days_logged: int


MIN_DAYS_PER_WEEK = 4


def best_and_worst_weeks(
    symptom: TrackedSymptom, values: Mapping[dt.date, float], start: dt.date, end: dt.date, n: int = 3
) -> tuple[list[WeekScore], list[WeekScore]]:
    """Whole calendar weeks inside the period with at least 4 entries, ranked by their mean."""
    by_week: dict[dt.date, list[float]] = defaultdict(list)
    for day, value in values.items():
        if start <= day <= end:
            by_week[week_start(day)].append(value)
    weeks = [
        WeekScore(w, w + dt.timedelta(days=6), statistics.fmean(v), len(v))
        for w, v in by_week.items()
        if len(v) >= MIN_DAYS_PER_WEEK and w >= start and w + dt.timedelta(days=6) <= end
    ]
    ordered = sorted(weeks, key=lambda w: (w.mean, w.start))
    if not symptom.lower_is_better:
        ordered = sorted(weeks, key=lambda w: (-w.mean, w.start))
    best = ordered[:n]
    worst = [w for w in reversed(ordered) if w not in best][:n]
    return best, worst


def fast_rolling_mean(
    values: Mapping[dt.date, float], start: dt.date, end: dt.date, *, window: int = 7, min_periods: int = 4
) -> dict[dt.date, float | None]:
    """The same numbers as ``lib.series.rolling_mean``, in one pass with a running sum (years of days add up)."""
    out: dict[dt.date, float | None] = {}
    total, count = 0.0, 0
    first = start - dt.timedelta(days=window - 1)
    ring: list[float | None] = []
    day = first
    one = dt.timedelta(days=1)
    while day <= end:
        value = values.get(day)
        ring.append(value)
        if value is not None:
            total += value
            count += 1
        if len(ring) > window:
            dropped = ring.pop(0)
            if dropped is not None:
                total -= dropped
                count -= 1
        if day >= start:
            out[day] = total / count if count >= min_periods else None
        day += one
    return out


# --- Charts ------------------------------------------------------------------------


@dataclass
class SymptomPanel:
    symptom: TrackedSymptom
    svg: Any
    stat: Stat
    values: dict[dt.date, float]
    smooth: dict[dt.date, float | None]


def timeline_extras(user: User, start: dt.date, end: dt.date) -> tuple[list[charts.Band], list[charts.Marker]]:
    """Bands and markers from every registered provider (treatments, trials)."""
    from fibrotrack.diary.timeline import providers

    extra = [item for provider in providers() for item in provider(user, start, end)]
    return [b for b in extra if isinstance(b, charts.Band)], [m for m in extra if isinstance(m, charts.Marker)]


def symptom_panels(
    data: DiaryData,
    start: dt.date,
    end: dt.date,
    bands: list[charts.Band],
    markers: list[charts.Marker],
    *,
    height: int = 200,
    width: int = charts.WIDTH,
    first: TrackedSymptom | None = None,
    labelled: int | None = None,
) -> list[SymptomPanel]:
    """One small chart per symptom (``lib.charts``), ``first`` (the chosen symptom) at the top.

    ``labelled``: name the bands on the first few charts only (the same bands shade them all),
    where paper is short; None names them on every chart.
    """
    panels = []
    for index, s in enumerate(sorted(data.symptoms, key=lambda s: first is None or s.pk != first.pk)):
        daily = data.values[s.pk]
        smooth = fast_rolling_mean(daily, start, end)
        inside = {d: v for d, v in daily.items() if d >= start}
        series = charts.Series(s.label, inside, smooth)
        title = _("{symptom} ({direction}) from {start} to {end}: daily values and 7-day mean").format(
            symptom=s.label, direction=s.direction_label, start=_day(start), end=_day(end)
        )
        svg = charts.timeline_svg(
            [series], start, end, title=title, y_min=s.scale_min, y_max=s.scale_max, bands=bands,
            markers=markers, height=height, width=width, band_labels=labelled is None or index < labelled,
        )  # fmt: skip
        panels.append(SymptomPanel(s, svg, summarise(s, daily, start, end), inside, smooth))
    return panels


@dataclass
class SideEffectRow:
    name: str
    severity: str
    onset_on: dt.date
    ended_on: dt.date | None
    is_ongoing: bool
    treatment: str
    days_reported: int
    counts: dict[str, int] = field(default_factory=dict)
    severity_key: str = ""  # "mild", "moderate" or "severe": for sorting, whatever the language


def side_effects(
    user: User, start: dt.date, end: dt.date, *, width: int = charts.WIDTH
) -> tuple[list[SideEffectRow], Any]:
    """Episodes overlapping the period (one query) and their daily reports (one query)."""
    effects = list(
        treatment_access.side_effects_for_user(user)
        .filter(onset_on__lte=end)
        .filter(Q(is_ongoing=True) | Q(ended_on__gte=start))
        .order_by("onset_on", "id")
    )
    if not effects:
        return [], None
    reports = side_effect_reports(effects, start, end)
    rows: list[SideEffectRow] = []
    spans: dict[str, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    levels: dict[str, dict[dt.date, int]] = defaultdict(dict)
    for e in effects:
        daily = reports.get(e.pk, {})
        counts = {label: sum(1 for v in daily.values() if v == key) for key, label in e.Severity.choices}
        # The worst of the period's own days, so the row never says "moderate" beside days that were all mild.
        worst = max(daily.values(), key=SEVERITY_LEVEL.__getitem__) if daily else e.severity
        rows.append(
            SideEffectRow(
                side_effect_label(e.name),
                dict(e.Severity.choices)[worst],
                e.onset_on,
                e.ended_on,
                e.is_ongoing,
                e.regimen.treatment.name if e.regimen else "",
                len(daily),
                counts,
                worst,
            )
        )
        spans[side_effect_label(e.name)].append((e.onset_on, e.ended_on or end))
        # Without daily reports, the episode's own severity marks its first day.
        levels[side_effect_label(e.name)].update(
            {d: SEVERITY_LEVEL[v] for d, v in daily.items()} or {e.onset_on: SEVERITY_LEVEL[e.severity]}
        )
    lanes = {name: charts.Lane(name, spans[name], levels[name]) for name in spans}
    svg = charts.lanes_svg(
        list(lanes.values()),
        start,
        end,
        width=width,
        title=_("Side effects from {start} to {end}; bar height is severity (mild, moderate, severe)").format(
            start=_day(start), end=_day(end)
        ),
    )
    return rows, svg


@dataclass
class AcrRow:
    day: dt.date
    wpi: int
    sss: int
    psd: int
    band: str
    criteria_met: bool


def acr_rows(user: User, start: dt.date, end: dt.date) -> list[AcrRow]:
    out = []
    for a in diary_access.assessments_for_user(user).filter(day__range=(start, end)).order_by("day", "id"):
        r = a.result
        out.append(AcrRow(a.day, r.wpi, r.sss, r.psd, band_label(r.psd_band), r.criteria_met))
    return out


def latest_acr(user: User, end: dt.date) -> AcrRow | None:
    a = diary_access.assessments_for_user(user).filter(day__lte=end).order_by("-day", "-id").first()
    if a is None:
        return None
    r = a.result
    return AcrRow(a.day, r.wpi, r.sss, r.psd, band_label(r.psd_band), r.criteria_met)


def acr_chart(rows: list[AcrRow], start: dt.date, end: dt.date, *, height: int = 200, width: int = charts.WIDTH) -> Any:
    if not rows:
        return None
    by_day = {r.day: r for r in rows}  # several on one day: the last one counts
    series = [
        charts.Series(_("WPI (0–19)"), {d: float(r.wpi) for d, r in by_day.items()}, label=_("WPI")),
        charts.Series(_("SSS (0–12)"), {d: float(r.sss) for d, r in by_day.items()}, label=_("SSS")),
        charts.Series(_("PSD (0–31)"), {d: float(r.psd) for d, r in by_day.items()}, label=_("PSD")),
    ]
    return {
        "svg": charts.timeline_svg(
            series,
            start,
            end,
            y_min=0,
            y_max=31,
            connect_gaps=True,
            height=height,
            width=width,
            title=_("ACR 2016 scores from {start} to {end}: WPI, SSS and PSD").format(start=_day(start), end=_day(end)),
        ),  # fmt: skip
        "legend": [
            {**item, "swatch": charts.legend_swatch(item["colour"], item["dash"])} for item in charts.legend(series)
        ],
    }


# --- The whole dashboard ----------------------------------------------------------


ALL_PARTS = frozenset({"symptoms", "treatments", "side_effects", "acr", "associations"})


def primary_symptom(symptoms: Iterable[TrackedSymptom], key: str | None = None) -> TrackedSymptom | None:
    symptoms = list(symptoms)
    return next((s for s in symptoms if s.key == key), None) or next(iter(symptoms), None)


def build(
    user: User,
    start: dt.date,
    end: dt.date,
    *,
    include: Iterable[str] | None = None,
    focus: str | None = None,
    by: str | None = None,
    link_days: bool = False,
) -> dict[str, Any]:
    """Everything the dashboard shows, for ``user`` between ``start`` and ``end`` inclusive."""
    from fibrotrack.diary.history import heatmap

    parts = ALL_PARTS if include is None else frozenset(include) & ALL_PARTS
    by = by if by in {"week", "month"} else ("week" if (end - start).days < 120 else "month")
    data = load_diary(user, start - dt.timedelta(days=6), end, with_tags="associations" in parts)
    ctx: dict[str, Any] = {"parts": parts, "start": start, "end": end, "by": by, "symptoms": data.symptoms}
    logged_in_period = sorted(d for d in data.logged_days if d >= start)
    ctx["days_logged"] = len(logged_in_period)
    ctx["period_days"] = (end - start).days + 1
    focus_symptom = primary_symptom(data.symptoms, focus)
    ctx["focus"] = focus_symptom
    if "symptoms" in parts:
        bands, markers = timeline_extras(user, start, end) if "treatments" in parts else ([], [])
        # The list under the charts: treatments and phases by name, light context (weather) by its days.
        ctx["bands"] = [b for b in bands if b.kind != charts.CONTEXT]
        ctx["context_bands"] = [b for b in bands if b.kind == charts.CONTEXT]
        ctx["markers"] = markers
        panels = symptom_panels(data, start, end, bands, markers, first=focus_symptom)
        ctx["panels"] = panels
        ctx["daily_table"] = html.daily_table(panels, start, end, [p.smooth for p in panels])
        ctx["summary"] = summary_table(data, start, end, by)
        ctx["summary_html"] = html.summary_table(data.symptoms, ctx["summary"], by)
        if focus_symptom is not None:
            values = data.values[focus_symptom.pk]
            ctx["heatmap"] = html.heatmap(
                heatmap(focus_symptom, values, start, end),
                higher_is_better=not focus_symptom.lower_is_better,
                link_days=link_days,
            )
            ctx["best_weeks"], ctx["worst_weeks"] = best_and_worst_weeks(focus_symptom, values, start, end)
    if "side_effects" in parts:
        ctx["side_effect_rows"], ctx["side_effect_svg"] = side_effects(user, start, end)
    if "acr" in parts:
        rows = acr_rows(user, start, end)
        ctx["acr_rows"] = rows
        ctx["acr_chart"] = acr_chart(rows, start, end)
    if "associations" in parts and focus_symptom is not None:
        ctx["associations"] = assoc.for_symptom(data, focus_symptom, start, end)
        ctx["insights"] = insights.insights(ctx["associations"])
    return ctx


def change(current: float | None, previous: float | None) -> float | None:
    if current is None or previous is None or math.isnan(current) or math.isnan(previous):
        return None
    return current - previous
