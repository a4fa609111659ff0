"""The doctor's report: a summary first (1–2 pages), then an appendix of daily values.

``build_report`` returns the template context for both the printable HTML
page and the PDF. The built-in sections are registered with ``sections`` in
``ReportsConfig.ready()``; other apps (trials) add their own the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from fibrotrack.accounts.models import User
from fibrotrack.diary import access as diary_access
from fibrotrack.diary.defaults import tag_label
from fibrotrack.lib import change, charts, l10n
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.series import days
from fibrotrack.reports import associations, dashboard, insights, report_sections
from fibrotrack.treatments import access as treatment_access
from fibrotrack.treatments import titration
from fibrotrack.treatments.catalogue import side_effect_label
from fibrotrack.treatments.queries import adherence_tally, changes_for, logged_statuses, serious_side_effects
from fibrotrack.treatments.safety import SERIOUS_SIDE_EFFECT_TITLE

# Paper charts keep lib.charts' width (13-unit text) and are printed no wider than 80 mm
# (charts.print_page_css), so their text is at least 8 pt; a short height keeps the summary to two pages.
SYMPTOM_CHART_HEIGHT = 76
SEVERITY_ORDER = {"severe": 0, "moderate": 1, "mild": 2}


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The same number of days just before ``start``."""
    length = end - start
    prev_end = start - dt.timedelta(days=1)
    return prev_end - length, prev_end


# --- Built-in sections ------------------------------------------------------------


@dataclass
class RegimenRow:
    name: str
    started_on: dt.date
    stopped_on: dt.date | None
    stop_reason: str
    dose: str
    schedule: str
    changes: list[str]
    adherence: str
    adherence_detail: str
    current: bool


def _dose_text(dose: titration.Dose | None) -> str:
    if dose is None:
        return "—"
    if dose.amount is None:
        return gettext("planned pause")
    return f"{titration.format_amount(dose.amount)} {dose.unit}"


def build_treatments(user: User, start: dt.date, end: dt.date) -> dict[str, Any] | None:
    """Current and recent treatments: dose at the end of the period, changes and adherence. Three queries."""
    today = min(end, diary_day(user))
    regimens = list(
        treatment_access.regimens_for_user(user)
        .filter(started_on__lte=end)
        .exclude(stopped_on__lt=start)
        .order_by("stopped_on", "treatment__name", "started_on")
    )
    if not regimens:
        return None
    logged = logged_statuses(regimens, start, end)
    rows = []
    for r in regimens:
        last_day = min(r.stopped_on or end, end)
        dose = titration.expected_dose(r.dose_spec(), last_day)
        tally = adherence_tally(r, max(start, r.started_on), last_day, today, logged[r.pk])
        if tally is None:
            adherence, detail = gettext("as needed"), ""
        elif tally.expected == 0:
            adherence, detail = "—", gettext("no doses were due")
        else:
            adherence = f"{tally.percent}%"
            detail = ngettext(
                "{taken} of {expected} dose taken", "{taken} of {expected} doses taken", tally.expected
            ).format(taken=tally.taken_any, expected=tally.expected)
            if tally.unrecorded:
                detail += "; " + ngettext("{count} not recorded", "{count} not recorded", tally.unrecorded).format(
                    count=tally.unrecorded
                )
        rows.append(
            RegimenRow(
                name=r.treatment.name,
                started_on=r.started_on,
                stopped_on=r.stopped_on,
                stop_reason=r.get_stop_reason_display() if r.stop_reason else "",
                dose=_dose_text(dose),
                schedule=r.schedule_text,
                changes=[f"{l10n.format_date(c.day, 'j M Y')}: {c.label}" for c in changes_for(r, start, end)],
                adherence=adherence,
                adherence_detail=detail,
                current=r.stopped_on is None or r.stopped_on >= end,
            )
        )
    rows.sort(key=lambda row: (not row.current, row.name))
    return {"regimens": rows}


def build_side_effects(user: User, start: dt.date, end: dt.date) -> dict[str, Any] | None:
    """Every side effect of the period, the most severe first (the serious ones also lead the report)."""
    rows, svg = dashboard.side_effects(user, start, end)
    rows.sort(key=lambda r: (SEVERITY_ORDER.get(r.severity_key, 3), r.onset_on))
    return {"rows": rows, "svg": svg} if rows else None


def build_serious_side_effects(user: User, start: dt.date, end: dt.date) -> dict[str, Any] | None:
    """First in the report: serious side effects need the doctor's attention before anything else."""
    rows = [replace(r, name=side_effect_label(r.name)) for r in serious_side_effects(user, start, end)]
    # The safety texts are translated where they are defined (treatments/safety.py: a lazy translation).
    return {"rows": rows, "title": str(SERIOUS_SIDE_EFFECT_TITLE)} if rows else None


@dataclass
class Trend:
    symptom: Any
    current: dashboard.Stat
    previous: dashboard.Stat
    change: float | None
    verdict: str
    svg: Any

    @property
    def change_text(self) -> str:
        """In words, never a signed number ("lib.change"): "0.8 points worse", or "about the same"."""
        if self.change is None or self.verdict not in {"better", "worse"}:
            return gettext(VERDICTS.get(self.verdict, self.verdict))
        return change.points_change(self.change, lower_is_better=self.symptom.lower_is_better)


# The verdict is a key; its words are shown in the active language.
VERDICTS = {
    "no earlier data to compare": gettext_noop("no earlier data to compare"),
    "about the same": gettext_noop("about the same"),
    "better": gettext_noop("better"),
    "worse": gettext_noop("worse"),
}


def _verdict(symptom: Any, delta: float | None) -> str:
    if delta is None:
        return "no earlier data to compare"
    if abs(delta) < 0.5:
        return "about the same"
    better = (delta < 0) == symptom.lower_is_better
    return "better" if better else "worse"


def build_symptoms(user: User, start: dt.date, end: dt.date) -> dict[str, Any] | None:
    """Each symptom's period summary and the change from the previous period of the same length."""
    prev_start, prev_end = previous_period(start, end)
    data = dashboard.load_diary(user, prev_start - dt.timedelta(days=6), end, with_tags=False)
    if not data.symptoms:
        return None
    bands, markers = dashboard.timeline_extras(user, start, end)
    # Two charts abreast on paper: the bands are named over the first two only.
    panels = dashboard.symptom_panels(data, start, end, bands, markers, height=SYMPTOM_CHART_HEIGHT, labelled=2)
    trends = []
    for panel in panels:
        values = data.values[panel.symptom.pk]
        previous = dashboard.summarise(panel.symptom, values, prev_start, prev_end)
        delta = dashboard.change(panel.stat.mean, previous.mean)
        trends.append(Trend(panel.symptom, panel.stat, previous, delta, _verdict(panel.symptom, delta), panel.svg))
    return {
        "trends": trends,
        "prev_start": prev_start,
        "prev_end": prev_end,
        "bands": [b for b in bands if b.kind != charts.CONTEXT],
        "context_bands": [b for b in bands if b.kind == charts.CONTEXT],
        "markers": markers,
    }


# The summary lists only the latest few questionnaires (the chart shows them all), so that a
# year of monthly ones still leaves the summary at two pages; the appendix lists every one.
ACR_SUMMARY_ROWS = 4


def build_acr(user: User, start: dt.date, end: dt.date) -> dict[str, Any] | None:
    latest = dashboard.latest_acr(user, end)
    if latest is None:
        return None
    rows = dashboard.acr_rows(user, start, end)
    return {
        "latest": latest,
        "rows": rows[-ACR_SUMMARY_ROWS:],
        "total": len(rows),
        # The table lists them all when there are few; a chart then adds nothing but length.
        "chart": dashboard.acr_chart(rows, start, end, height=84) if len(rows) > ACR_SUMMARY_ROWS else None,
    }


def build_acr_history(user: User, start: dt.date, end: dt.date) -> dict[str, Any] | None:
    """Every questionnaire of the period, for the appendix, when the summary could not list them all."""
    rows = dashboard.acr_rows(user, start, end)
    return {"rows": rows} if len(rows) > ACR_SUMMARY_ROWS else None


def build_associations(user: User, start: dt.date, end: dt.date) -> dict[str, Any] | None:
    data = dashboard.load_diary(user, start, end)
    focus = dashboard.primary_symptom(data.symptoms)
    if focus is None:
        return None
    found = associations.for_symptom(data, focus, start, end)
    return {"associations": found, "insights": insights.insights(found)}


def _abbreviate(name: str, width: int) -> str:
    return name if len(name) <= width else name[: width - 1] + "."


def daily_text_blocks(symptoms: list[Any], rows: list[dict[str, Any]], width: int = 8) -> list[tuple[str, str]]:
    """The appendix for the PDF: one fixed-width text block per month.

    WeasyPrint lays out a 365-row table in seconds; monospaced lines take a
    fraction of that and are still real, selectable, searchable text.
    """
    # Dates in the person's words and order ("Sat 05 Dec 2026", "sáb 05 dic. 2026"), one column wide enough.
    stamps = {row["day"]: l10n.format_date(row["day"], "D d M Y") for row in rows}
    date_width = max([15, *map(len, stamps.values())]) + 1
    header = (
        _abbreviate(gettext("Date"), date_width - 1).ljust(date_width)
        + "".join(_abbreviate(s.label, width - 1).ljust(width) for s in symptoms)
        + _abbreviate(gettext("Sleep"), 6).ljust(7)
        + gettext("Tags")
    )
    months: dict[str, list[str]] = {}
    for row in rows:
        values = "".join(v.ljust(width) for v in row["values"])
        line = stamps[row["day"]].ljust(date_width) + values + row["sleep"].ljust(7) + row["tags"]
        months.setdefault(l10n.format_date(row["day"], "YEAR_MONTH_FORMAT"), []).append(line)
    return [(title, "\n".join([header, *lines])) for title, lines in months.items()]


def build_daily(user: User, start: dt.date, end: dt.date) -> dict[str, Any] | None:
    """The appendix: every logged day with its values, sleep and tags."""
    data = dashboard.load_diary(user, start, end)
    if not data.logged_days:
        return None
    rows = []
    for day in days(start, end):
        if day not in data.logged_days:
            continue
        rows.append(
            {
                "day": day,
                "values": [dashboard._fmt(data.values[s.pk].get(day), 0) for s in data.symptoms],
                "sleep": dashboard._fmt(data.sleep.get(day), 1) if day in data.sleep else "—",
                "tags": ", ".join(sorted(tag_label(data.tag_names[t]) for t in data.tags_by_day.get(day, ()))),
            }
        )
    return {
        "symptoms": data.symptoms,
        "rows": rows,
        "period_days": (end - start).days + 1,
        "blocks": daily_text_blocks(data.symptoms, rows),
    }


BUILTIN = (
    report_sections.ReportSection(
        "serious_side_effects",
        _("Serious side effects reported"),
        "reports/sections/serious_side_effects.html",
        build_serious_side_effects,
        0,
        help=_("Always first when there are any: they need a doctor's attention now."),
    ),  # fmt: skip
    report_sections.ReportSection(
        "treatments", _("Treatments, doses and adherence"), "reports/sections/treatments.html", build_treatments, 10
    ),
    report_sections.ReportSection(
        "side_effects", _("Side effects"), "reports/sections/side_effects.html", build_side_effects, 20
    ),
    report_sections.ReportSection(
        "symptoms",
        _("Symptom trends"),
        "reports/sections/symptoms.html",
        build_symptoms,
        5,  # what the doctor reads first, after any serious side effect
        help=_("Charts, averages and the change from the period before."),
    ),  # fmt: skip
    report_sections.ReportSection("acr", _("WPI, SSS and PSD (ACR 2016)"), "reports/sections/acr.html", build_acr, 40),
    report_sections.ReportSection(
        "associations",
        _("What goes with bad days"),
        "reports/sections/associations.html",
        build_associations,
        70,
        default=False,
        help=_("Associations between triggers or sleep and symptoms. Not causes."),
    ),  # fmt: skip
    report_sections.ReportSection(
        "daily", _("Appendix: daily values"), "reports/sections/daily.html", build_daily, 90, appendix=True
    ),
    report_sections.ReportSection(
        "acr_history",
        _("Appendix: all ACR 2016 questionnaires"),
        "reports/sections/acr_history.html",
        build_acr_history,
        95,
        appendix=True,
        help=format_lazy(
            _("Listed when there are more than {count} in the period (the summary shows the latest)."),
            count=ACR_SUMMARY_ROWS,
        ),
    ),  # fmt: skip
)


# --- The report -----------------------------------------------------------------


@dataclass
class RenderedSection:
    section: report_sections.ReportSection
    html: SafeString


def normalise_include(include: set[str] | frozenset[str] | None) -> set[str]:
    known = set(report_sections.keys())
    return report_sections.default_keys() if include is None else set(include) & known


def build_report(
    user: User,
    start: dt.date,
    end: dt.date,
    *,
    include: set[str] | frozenset[str] | None = None,
    name: str | None = None,
    for_pdf: bool = False,
    page_size: str = "a4",
) -> dict[str, Any]:
    chosen = normalise_include(include)
    rendered: list[RenderedSection] = []
    with report_sections.one_report():
        for section in report_sections.all_sections():
            if section.key not in chosen:
                continue
            context = section.build(user, start, end)
            if not context:
                continue
            html = render_to_string(
                section.template,
                {**context, "section": section, "start": start, "end": end, "for_pdf": for_pdf, "included": chosen},
            )
            rendered.append(RenderedSection(section, mark_safe(html)))  # noqa: S308  (rendered by the template engine)
    who = (name or "").strip() or user.display_name or user.email
    logged = diary_access.checkins_for_user(user).filter(day__range=(start, end)).count()
    return {
        "who": who,
        "start": start,
        "end": end,
        "period_days": (end - start).days + 1,
        "days_logged": logged,
        "created": timezone.now(),
        "summary_sections": [r for r in rendered if not r.section.appendix],
        "appendix_sections": [r for r in rendered if r.section.appendix],
        "included": chosen,
        "for_pdf": for_pdf,
        "page_size": page_size,
        "title": gettext("Health summary for {who}, {start} to {end}").format(
            who=who, start=date_format(start, "j M Y"), end=date_format(end, "j M Y")
        ),
    }
