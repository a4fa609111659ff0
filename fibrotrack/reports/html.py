"""Large tables as HTML built in Python.

A year of days times six symptoms is thousands of cells; Django's template
engine (and its ``date`` filter) would take most of the dashboard's time
budget on them. These builders escape every piece of text themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

from fibrotrack.lib import l10n
from fibrotrack.lib.series import days


def _fmt(value: float | None, digits: int) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def daily_table(
    panels: Sequence[Any], start: dt.date, end: dt.date, smooth: Sequence[dict[dt.date, Any]]
) -> SafeString:
    """Every day of the period (newest first): each symptom's value and 7-day mean."""
    # (Not inside the f-strings: makemessages cannot read a message there.)
    mean_of = gettext("{name}, 7-day mean")
    day_word = escape(gettext("Day"))
    head = "".join(
        f'<th scope="col">{escape(p.symptom.label)}</th>'
        f'<th scope="col">{escape(mean_of.format(name=p.symptom.label))}</th>'
        for p in panels
    )
    rows = []
    for day in reversed(list(days(start, end))):
        cells = []
        empty = True
        for panel, means in zip(panels, smooth, strict=True):
            value = panel.values.get(day)
            mean = means.get(day)
            empty = empty and value is None and mean is None
            cells.append(f"<td>{_fmt(value, 0)}</td><td>{_fmt(mean, 1)}</td>")
        if not empty:
            rows.append(f'<tr><th scope="row">{escape(l10n.format_date(day, "D j M Y"))}</th>{"".join(cells)}</tr>')
    nothing = escape(gettext("No entries in this period."))
    body = "".join(rows) or f'<tr><td colspan="{1 + 2 * len(panels)}">{nothing}</td></tr>'
    caption = gettext("Daily values and 7-day means, {start} to {end}").format(
        start=l10n.format_date(start, "j M Y"), end=l10n.format_date(end, "j M Y")
    )
    return mark_safe(  # noqa: S308  (names escaped above; the rest are numbers and dates)
        f"<table><caption>{escape(caption)}</caption>"
        f'<thead><tr><th scope="col">{day_word}</th>{head}</tr></thead><tbody>{body}</tbody></table>'
    )


def _weekday_heads() -> list[tuple[str, str]]:
    """(one letter, full name), Monday first, in the active language (as the history page's calendar)."""
    letters = (
        pgettext("Monday, one letter", "M"),
        pgettext("Tuesday, one letter", "T"),
        pgettext("Wednesday, one letter", "W"),
        pgettext("Thursday, one letter", "T"),
        pgettext("Friday, one letter", "F"),
        pgettext("Saturday, one letter", "S"),
        pgettext("Sunday, one letter", "S"),
    )
    monday = dt.date(2024, 1, 1)
    return [(letter, date_format(monday + dt.timedelta(days=i), "l")) for i, letter in enumerate(letters)]


def heatmap(months: Sequence[Any], *, higher_is_better: bool, link_days: bool) -> SafeString:
    """Calendar months as tables; each day shows its number and has a full spoken label."""
    head = "".join(f'<th scope="col" abbr="{escape(full)}">{escape(short)}</th>' for short, full in _weekday_heads())
    css = "heatmap higher-better" if higher_is_better else "heatmap"
    # One reverse() and a substitution, not one per day.
    url_pattern = reverse("diary:day", args=["2000-01-01"]) if link_days else ""
    out = []
    for month in months:
        rows = []
        for week in month.weeks:
            cells = []
            for cell in week:
                if cell.day is None:
                    cells.append("<td></td>")
                    continue
                text = "" if cell.value is None else str(cell.value)
                label = escape(cell.label)
                if link_days:
                    url = url_pattern.replace("2000-01-01", cell.day.isoformat())
                    inner = f'<a href="{url}" aria-label="{label}">{text}</a>'
                else:
                    inner = f'<span role="img" aria-label="{label}">{text}</span>'
                cells.append(f'<td class="heat heat-{cell.bucket}">{inner}</td>')
            rows.append(f"<tr>{''.join(cells)}</tr>")
        out.append(
            f'<table class="{css}"><caption>{escape(month.title)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    return mark_safe("".join(out))  # noqa: S308  (labels and titles escaped above)


def summary_table(symptoms: Sequence[Any], rows: Sequence[Any], by: str) -> SafeString:
    """Per week or month and symptom: mean, best day, worst day, days logged."""
    unit = gettext("Month") if by == "month" else gettext("Week")
    caption = (
        gettext("For each month: mean, best day, worst day and number of days logged")
        if by == "month"
        else gettext("For each week: mean, best day, worst day and number of days logged")
    )
    top = "".join(f'<th scope="colgroup" colspan="4">{escape(s.label)}</th>' for s in symptoms)
    sub = "".join(
        f'<th scope="col">{escape(word)}</th>'
        for word in (gettext("Mean"), gettext("Best"), gettext("Worst"), gettext("Days"))
    )
    body = []
    for row in rows:
        cells = []
        for c in row.cells:
            best = (
                f'{c.best:.0f} <span class="small">{l10n.format_date(c.best_day, "j M")}</span>' if c.best_day else "—"
            )
            worst = (
                f'{c.worst:.0f} <span class="small">{l10n.format_date(c.worst_day, "j M")}</span>'
                if c.worst_day
                else "—"
            )
            cells.append(f"<td>{c.mean_text}</td><td>{best}</td><td>{worst}</td><td>{c.days_logged}</td>")
        body.append(f'<tr><th scope="row">{escape(row.label)}</th>{"".join(cells)}</tr>')
    return mark_safe(  # noqa: S308  (names and labels escaped above)
        f'<table class="summary-table"><caption>{escape(caption)}</caption>'
        f'<thead><tr><th scope="col" rowspan="2">{escape(unit)}</th>{top}</tr>'
        f"<tr>{sub * len(symptoms)}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
