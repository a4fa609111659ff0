"""The shared SVG charts: labels never overlap or run off the edge."""

from __future__ import annotations

import datetime as dt
import re

from fibrotrack.lib import charts

START, END = dt.date(2026, 9, 6), dt.date(2026, 12, 5)


def _y_labels(svg: str) -> list[tuple[float, str]]:
    return [(float(y), text) for y, text in re.findall(r'<text x="30" y="([\d.]+)"[^>]*>([\d.]+)</text>', svg)]


def test_a_0_to_31_scale_on_a_short_chart_has_labels_far_enough_apart():
    series = [charts.Series("PSD (0–31)", {START: 14.0, END: 16.0})]
    svg = str(charts.timeline_svg(series, START, END, y_min=0, y_max=31, height=140, title="ACR", connect_gaps=True))
    labels = _y_labels(svg)
    assert [text for _, text in labels] == ["0", "5", "10", "15", "20", "25", "30"]
    gaps = [abs(a[0] - b[0]) for a, b in zip(labels, labels[1:], strict=False)]
    assert min(gaps) >= charts.MIN_LABEL_GAP


def test_a_0_to_10_scale_keeps_its_usual_steps():
    assert charts.y_step(0, 10, charts.HEIGHT - charts.PAD_TOP - charts.PAD_BOTTOM) == 2
    assert charts.y_step(0, 4, 200) == 1


def test_the_last_date_is_anchored_inside_the_chart():
    svg = str(charts.timeline_svg([charts.Series("Pain", {START: 3.0})], START, END, title="Pain"))
    dates = re.findall(r'text-anchor="(\w+)" fill="#333">(\d+ \w+)</text>', svg)
    assert dates[0] == ("middle", "6 Sep")
    assert dates[-1] == ("end", "5 Dec")


def test_a_band_too_narrow_for_its_label_keeps_it_only_as_a_tooltip():
    bands = [
        charts.Band(START, START + dt.timedelta(days=3), "Trial: baseline"),
        charts.Band(START + dt.timedelta(days=4), END, "Trial: LDN 4.5 mg"),
    ]
    svg = str(charts.timeline_svg([], START, END, title="Pain", bands=bands))
    assert "<title>Trial: baseline</title>" in svg
    assert ">Trial: baseline</text>" not in svg
    assert ">Trial: LDN 4.5 mg</text>" in svg
