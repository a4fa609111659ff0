"""Read models for the history and chart pages (a constant number of queries)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy

from fibrotrack.accounts.models import User
from fibrotrack.diary import regions
from fibrotrack.diary.access import checkins_for_user
from fibrotrack.diary.defaults import symptom_label, tag_label
from fibrotrack.diary.models import CheckIn, CheckInRevision, SymptomScore, TrackedSymptom
from fibrotrack.lib import charts, l10n
from fibrotrack.lib.series import rolling_mean


def values_by_day(
    user: User, symptoms: list[TrackedSymptom], start: dt.date, end: dt.date
) -> dict[int, dict[dt.date, float]]:
    """symptom id -> {day: value}, in one query."""
    out: dict[int, dict[dt.date, float]] = {s.pk: {} for s in symptoms}
    rows = SymptomScore.objects.filter(
        checkin__user=user, checkin__day__range=(start, end), symptom__in=symptoms
    ).values_list("symptom_id", "checkin__day", "value")
    for symptom_id, day, value in rows:
        out[symptom_id][day] = float(value)
    return out


@dataclass
class HeatCell:
    day: dt.date | None
    value: int | None
    label: str

    @property
    def bucket(self) -> str:
        return "none" if self.value is None else str(self.value)


@dataclass
class HeatMonth:
    title: str
    weeks: list[list[HeatCell]]
    # (initial, full name) per column, from the locale's first day of the week (lib/l10n.py).
    days: list[tuple[str, str]] = dataclass_field(default_factory=list)


def heatmap(symptom: TrackedSymptom, values: dict[dt.date, float], start: dt.date, end: dt.date) -> list[HeatMonth]:
    """Calendar months, from the locale's first day of the week (Sunday in the US), newest month first."""
    months: list[HeatMonth] = []
    cal = calendar.Calendar(firstweekday=l10n.first_weekday())
    days = l10n.weekday_headings()
    year, month = end.year, end.month
    while (year, month) >= (start.year, start.month):
        weeks = []
        for week in cal.monthdatescalendar(year, month):
            row = []
            for day in week:
                if day.month != month or day > end or day < start:
                    row.append(HeatCell(None, None, ""))
                    continue
                raw = values.get(day)
                value = int(raw) if raw is not None else None
                when = l10n.format_date(day, "l j F")
                if value is None:
                    text = gettext("{day}: no entry").format(day=when)
                else:
                    text = gettext("{day}: {symptom} {value}").format(day=when, symptom=symptom.label, value=value)
                row.append(HeatCell(day, value, text))
            weeks.append(row)
        months.append(HeatMonth(l10n.format_date(dt.date(year, month, 1), "YEAR_MONTH_FORMAT"), weeks, days))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def checkin_page(user: User, start: dt.date, end: dt.date) -> list[CheckIn]:
    return list(
        checkins_for_user(user)
        .filter(day__range=(start, end))
        .prefetch_related(
            Prefetch("scores", queryset=SymptomScore.objects.only("checkin_id", "symptom_id", "value")), "tags"
        )
        .order_by("-day")
    )


def timeline(
    user: User, symptoms: list[TrackedSymptom], start: dt.date, end: dt.date
) -> tuple[list[charts.Series], list[dt.date]]:
    data = values_by_day(user, symptoms, start - dt.timedelta(days=6), end)
    series = []
    for s in symptoms:
        daily = data[s.pk]
        series.append(
            charts.Series(
                name=s.label,
                values={d: v for d, v in daily.items() if d >= start},
                smooth=rolling_mean(daily, start, end),
                y_min=s.scale_min,
                y_max=s.scale_max,
                key=s.key,
            )
        )
    return series, [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


@dataclass(frozen=True)
class Change:
    """One line of a day's change history, in the words of the check-in."""

    label: str
    before: str
    after: str


@dataclass(frozen=True)
class RevisionView:
    action: str
    created_at: dt.datetime
    changes: list[Change]


# The order of the check-in form; keys logged by other writers (an import's
# "source") and keys of older logs follow in the order they were logged.
_FIELD_ORDER = ("scores", "hours_slept", "pain_regions", "tags", "note")
_OTHER_LABELS = {"source": gettext_lazy("source")}
_NOTHING = "—"


def _label(key: str) -> str:
    try:
        field = CheckIn._meta.get_field(key)
    except FieldDoesNotExist:
        field = None
    name = getattr(field, "verbose_name", None) or _OTHER_LABELS.get(key, key.replace("_", " "))
    return capfirst(str(name))


def _words(key: str, value: Any) -> str:
    if value is None or value in ("", [], {}):
        return _NOTHING
    if key == "pain_regions" and isinstance(value, list):
        # A code no longer on the map is shown as stored rather than dropped.
        return ", ".join(regions.BY_CODE[c].label if c in regions.BY_CODE else str(c) for c in value)
    if key == "tags" and isinstance(value, list):
        return ", ".join(tag_label(str(v)) for v in value)
    if key == "hours_slept":
        try:
            return format(Decimal(str(value)).normalize(), "f")
        except InvalidOperation:
            return str(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    return str(value)


def revision_changes(changes: dict[str, Any]) -> list[Change]:
    """A logged difference as labelled lines: one per symptom whose score changed, then one per field."""
    keys = [k for k in _FIELD_ORDER if k in changes] + [k for k in changes if k not in _FIELD_ORDER]
    out: list[Change] = []
    for key in keys:
        pair = changes[key]
        before, after = (pair[0], pair[1]) if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        if key == "scores" and isinstance(before or {}, dict) and isinstance(after or {}, dict):
            old, new = before or {}, after or {}
            for name in [*old, *(n for n in new if n not in old)]:
                if old.get(name) != new.get(name):
                    out.append(Change(symptom_label(str(name)), _words(key, old.get(name)), _words(key, new.get(name))))
            continue
        # A new day logs its empty fields too ([] before as None); nothing changed there to show.
        if _words(key, before) != _words(key, after):
            out.append(Change(_label(key), _words(key, before), _words(key, after)))
    return out


def revision_views(revisions: Iterable[CheckInRevision]) -> list[RevisionView]:
    return [RevisionView(r.get_action_display(), r.created_at, revision_changes(r.changes)) for r in revisions]
