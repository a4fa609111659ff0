"""The shared SVG charts: readable on a phone, labels never overlap, gaps stay gaps, colours from CSS."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from xml.etree import ElementTree

from django.conf import settings
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from fibrotrack.lib import charts
from fibrotrack.lib.charts import layout
from fibrotrack.lib.charts.text import text_width
from fibrotrack.lib.series import rolling_mean

START, END = dt.date(2026, 9, 6), dt.date(2026, 12, 5)


def _texts(svg: str) -> list[tuple[float, float, str, str]]:
    """(x, y, anchor, text) of every <text>."""
    out = []
    for attrs, body in re.findall(r"<text ([^>]*)>([^<]*)", svg):
        x = float(re.findall(r'\bx="([-\d.]+)"', attrs)[0])
        y = float(re.findall(r'\by="([-\d.]+)"', attrs)[0])
        anchor = m.group(1) if (m := re.search(r'text-anchor="(\w+)"', attrs)) else "start"
        out.append((x, y, anchor, body))
    return out


def _y_labels(svg: str) -> list[tuple[float, str]]:
    return [(y, text) for x, y, anchor, text in _texts(svg) if anchor == "end" and x < charts.timeline.PAD_LEFT]


def test_a_0_to_31_scale_on_a_short_chart_has_labels_far_enough_apart():
    series = [charts.Series("PSD (0–31)", {START: 14.0, END: 16.0})]
    svg = str(charts.timeline_svg(series, START, END, y_min=0, y_max=31, height=140, title="ACR", connect_gaps=True))
    labels = _y_labels(svg)
    assert [text for _, text in labels][:2] == ["0", "5"] or [text for _, text in labels][:2] == ["0", "10"]
    gaps = [abs(a[0] - b[0]) for a, b in zip(labels, labels[1:], strict=False)]
    assert min(gaps) >= charts.MIN_LABEL_GAP


def test_a_0_to_10_scale_keeps_its_usual_steps():
    assert charts.y_step(0, 10, 140) == 2
    assert charts.y_step(0, 10, 60) == 5
    assert charts.y_step(0, 4, 200) == 1


def test_every_text_is_at_least_13_units_and_the_chart_is_drawn_at_a_phones_width():
    bands = [charts.Band(START, END, "LDN from 1 Aug 2026")]
    svg = str(charts.timeline_svg([charts.Series("Pain", {START: 3.0})], START, END, title="Pain", bands=bands))
    assert f'viewBox="0 0 {charts.WIDTH} ' in svg and charts.WIDTH <= 360
    sizes = [float(s) for s in re.findall(r'<text [^>]*font-size="([\d.]+)"', svg)]
    assert sizes and min(sizes) >= 13
    assert svg.count("<text ") == len(sizes)


def test_date_labels_stay_inside_the_chart_and_apart():
    for days in (6, 27, 90, 364, 3 * 365):
        end = START + dt.timedelta(days=days)
        svg = str(charts.timeline_svg([charts.Series("Pain", {START: 3.0})], START, end, title="Pain"))
        dates = [(x, text) for x, _, anchor, text in _texts(svg) if anchor == "middle"]
        assert len(dates) >= 2, days
        boxes = [(x - text_width(t) / 2, x + text_width(t) / 2) for x, t in dates]
        assert boxes[0][0] >= 0 and boxes[-1][1] <= charts.WIDTH
        assert all(a[1] <= b[0] for a, b in zip(boxes, boxes[1:], strict=False))


def test_a_band_too_narrow_for_its_label_uses_its_short_form_or_only_the_tooltip():
    bands = [
        charts.Band(START, START + dt.timedelta(days=3), "Trial: baseline", charts.PHASE, short="Baseline"),
        charts.Band(START + dt.timedelta(days=4), END, "Trial: LDN 4.5 mg", charts.PHASE),
    ]
    svg = str(charts.timeline_svg([], START, END, title="Pain", bands=bands))
    assert "<title>Trial: baseline</title>" in svg  # the tooltip keeps the whole label
    assert ">Trial: LDN 4.5 mg</text>" in svg or ">Trial: LDN 4.5 mg<title>" in svg
    assert ">Baseline<title>Trial: baseline</title></text>" in svg


def test_many_short_adjacent_phases_get_labels_in_rows_that_never_overlap():
    bands = [
        charts.Band(START + dt.timedelta(days=7 * i), START + dt.timedelta(days=7 * i + 6),
                    "Trial: Placebo" if i % 2 else "Trial: LDN 4.5 mg", charts.PHASE,
                    short="Placebo" if i % 2 else "LDN 4.5 mg")
        for i in range(13)
    ]  # fmt: skip
    svg = str(charts.timeline_svg([], START, END, title="Pain", bands=bands))
    labels = [(x, y, t) for x, y, anchor, t in _texts(svg) if anchor == "start"]
    assert len(labels) >= 4
    for i, (x1, y1, t1) in enumerate(labels):
        for x2, y2, t2 in labels[i + 1 :]:
            if y1 == y2:
                assert x1 + text_width(t1) <= x2 or x2 + text_width(t2) <= x1, (t1, t2)


def test_light_context_is_labelled_once_and_never_takes_a_treatments_row():
    weather = [
        charts.Band(START + dt.timedelta(days=d), START + dt.timedelta(days=d + 1), "Air pressure fell", charts.CONTEXT,
                    short="Pressure fell")
        for d in (0, 20, 40, 60, 80)
    ]  # fmt: skip
    treatment = charts.Band(START + dt.timedelta(days=1), END, "Low-dose naltrexone 4.5 mg", charts.TREATMENT)
    svg = str(charts.timeline_svg([], START, END, title="Pain", bands=[*weather, treatment], max_label_rows=1))
    labels = [t for _, _, anchor, t in _texts(svg) if anchor == "start"]
    # One row only: the treatment (which starts later) gets it; the weather's label would need
    # a second row, so it keeps its tooltips, and it is never repeated on each band.
    assert labels == ["Low-dose naltrexone 4.5 mg"]
    assert svg.count("<title>Air pressure fell</title>") == 5
    svg = str(charts.timeline_svg([], START, END, title="Pain", bands=[*weather, treatment]))
    labels = [t for _, _, anchor, t in _texts(svg) if anchor == "start"]
    assert sorted(labels) == ["Low-dose naltrexone 4.5 mg", "Pressure fell"]
    assert svg.index("chart-band-context") < svg.index("chart-band-treatment")  # drawn behind


def test_the_label_placement_puts_later_priorities_after_and_each_group_once():
    spans = [
        layout.Span(0, 10, ("Pressure fell",), priority=1, group="w"),
        layout.Span(200, 210, ("Pressure fell",), priority=1, group="w"),
        layout.Span(5, 300, ("Placebo",)),
    ]
    placed = layout.place_band_labels(spans, 0, 340, max_rows=3)
    assert [(p.index, p.row) for p in placed] == [(0, 1), (2, 0)]


def _band_lists() -> st.SearchStrategy[list[tuple[int, int, str, str]]]:
    day = st.integers(min_value=-10, max_value=120)
    label = st.text(alphabet="abcdefghijklmnopWMQ ILDN4.5:mg", min_size=0, max_size=30)
    band = st.tuples(day, st.integers(min_value=0, max_value=60), label, label)
    return st.lists(band, max_size=25)


@hsettings(max_examples=300, deadline=None)
@given(_band_lists(), st.integers(min_value=1, max_value=4), st.integers(min_value=120, max_value=720))
def test_band_labels_never_overlap_and_stay_inside_whatever_the_bands(raw, max_rows, width):
    left, right = 2.0, width - 2.0
    spans = [
        layout.Span(left + (a / 100) * (right - left), left + ((a + n) / 100) * (right - left), (text, short))
        for a, n, text, short in raw
    ]
    placed = layout.place_band_labels(spans, left, right, max_rows=max_rows)
    assert len({p.index for p in placed}) == len(placed)
    for p in placed:
        assert 0 <= p.row < max_rows
        assert left - 0.01 <= p.left and p.right <= right + 0.01
        assert p.width == text_width(p.text) and p.text
        span = spans[p.index]
        assert p.text in span.texts or p.text.endswith("…")
    for i, a in enumerate(placed):
        for b in placed[i + 1 :]:
            if a.row == b.row:
                assert a.right + layout.LABEL_GAP <= b.left or b.right + layout.LABEL_GAP <= a.left


@hsettings(max_examples=100, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=200), min_size=1, max_size=6))
def test_direct_labels_are_spread_so_they_never_touch(wanted):
    ys = layout.spread_vertically(wanted, 10, 200, 17)
    ordered = sorted(ys)
    assert all(b - a >= 17 - 0.11 for a, b in zip(ordered, ordered[1:], strict=False))


def _polylines(svg: str, cls: str) -> list[list[tuple[float, float]]]:
    out = []
    for attrs in re.findall(r"<polyline ([^>]*)>", svg):
        if f'class="{cls}' in attrs:
            points = re.findall(r'points="([^"]*)"', attrs)[0]
            out.append([(float(p.split(",")[0]), float(p.split(",")[1])) for p in points.split()])
    return out


def test_missing_days_are_gaps_in_the_daily_line_and_no_line_crosses_them():
    values = {START + dt.timedelta(days=i): float(i % 10) for i in range(30) if i not in (10, 11, 20)}
    svg = str(charts.timeline_svg([charts.Series("Pain", values)], START, START + dt.timedelta(days=29), title="P"))
    runs = _polylines(svg, "chart-daily")
    assert [len(r) for r in runs] == [10, 8, 9]
    assert [len(s) for s in charts.segments(values, START, START + dt.timedelta(days=29))] == [10, 8, 9]


def test_the_thick_line_is_the_7_day_mean_of_at_least_4_days():
    end = START + dt.timedelta(days=20)
    values = {START + dt.timedelta(days=i): float(i % 5) for i in range(21) if i % 3}
    smooth = rolling_mean(values, START, end)
    # By hand: day 6 holds days 0..6, of which 1, 2, 4, 5 have values (1, 2, 4, 0): mean 1.75.
    assert smooth[START + dt.timedelta(days=6)] == 1.75
    assert smooth[START] is None  # a single day is not a mean
    svg = str(charts.timeline_svg([charts.Series("Pain", values, smooth)], START, end, title="P", height=180))
    top = charts.timeline.PAD_TOP
    plot_h = 180 - charts.timeline.PAD_TOP - charts.timeline.PAD_BOTTOM
    drawn = [round(10 * (1 - (y - top) / plot_h), 2) for run in _polylines(svg, "chart-mean") for _, y in run]
    expected = [round(v, 2) for d, v in sorted(smooth.items()) if v is not None]
    assert drawn == expected


def test_colours_come_only_from_classes_that_charts_css_defines():
    css = (Path(settings.BASE_DIR) / "static/css/charts.css").read_text()
    svgs = [
        str(charts.timeline_svg([charts.Series("A", {START: 1.0}, {START: 1.0}), charts.Series("B", {END: 2.0})],
                                START, END, title="t", bands=[charts.Band(START, END, "x", kind)
                                                              for kind in charts.BAND_KINDS],
                                markers=[charts.Marker(START, "m")])),
        str(charts.lanes_svg([charts.Lane("Nausea", [(START, END)], {START: 1, END: 3})], START, END, title="l")),
        str(charts.distribution_svg([("A", [1, 2, 3]), ("B", [])], y_min=0, y_max=10, title="d")),
        str(charts.dose_svg("d", START, END, {START: 1.0}, unit="mg", lanes=[charts.Lane("x", [], {START: 2})])),
        str(charts.legend_swatch(*charts.PALETTE[1])),
    ]  # fmt: skip
    for svg in svgs:
        ElementTree.fromstring(svg)  # noqa: S314 (our own output) well-formed: the PDF reads them as XML
        assert not re.search(r'(fill|stroke)="#', svg) and "style=" not in svg
        # Every painted element carries a class that charts.css colours (the <svg> itself: the background).
        for tag, classes in re.findall(r'<(\w+) [^>]*class="([^"]*)"', svg):
            assert any(re.search(rf"\.{cls}\b", css) for cls in classes.split()), (tag, classes)


def test_charts_css_has_dark_values_for_every_colour_and_light_fallbacks_for_the_pdf():
    css = (Path(settings.BASE_DIR) / "static/css/charts.css").read_text()
    light = dict(re.findall(r"(--chart-[\w-]+):\s*(#[0-9a-f]+)", css.split("@media")[0]))
    dark_media = css.split('[data-theme="light"]) {')[1].split("}")[0]
    dark_forced = css.split(':root[data-theme="dark"] {')[1].split("}")[0]
    assert dict(re.findall(r"(--chart-[\w-]+):\s*(#[0-9a-f]+)", dark_media)).keys() == light.keys()
    assert re.findall(r"(--chart-[\w-]+):\s*(#[0-9a-f]+)", dark_media) == re.findall(
        r"(--chart-[\w-]+):\s*(#[0-9a-f]+)", dark_forced
    )
    for name, fallback in re.findall(r"var\((--chart-[\w-]+),\s*(#[0-9a-f]+)\)", css):
        assert light[name] == fallback, name
    assert "var(" not in charts.print_css()


def _boxes(svg: str) -> list[tuple[float, float, float, float, str]]:
    """Estimated text boxes (left, top, right, bottom): widths rounded up, DejaVu Sans's ascent and descent."""
    out = []
    for x, y, anchor, text in _texts(svg):
        w = text_width(text)
        left = x - w / 2 if anchor == "middle" else x - w if anchor == "end" else x
        out.append((left, y - 0.93 * 13, left + w, y + 0.24 * 13, text))
    return out


@hsettings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=0, max_value=800),
    st.lists(
        st.tuples(st.integers(0, 800), st.integers(0, 120), st.sampled_from(charts.BAND_KINDS),
                  st.text(alphabet="abcdefgWM ILDN4.5:mg", min_size=1, max_size=24)),
        max_size=12,
    ),
    st.sampled_from([(0, 10), (0, 31), (0, 4), (1, 5)]),
    st.integers(min_value=1, max_value=3),
)  # fmt: skip
def test_no_two_texts_of_a_timeline_overlap_whatever_the_period_and_bands(days, raw, scale, n_series):
    end = START + dt.timedelta(days=days)
    bands = [charts.Band(START + dt.timedelta(days=a), START + dt.timedelta(days=a + n), text, kind)
             for a, n, kind, text in raw]  # fmt: skip
    series = [
        charts.Series(f"Series {i}", {START + dt.timedelta(days=d): float(scale[0] + (d * (i + 1)) % (scale[1] - scale[0] + 1))
                                      for d in range(0, days + 1, 3)}, label=f"S{i} long label")
        for i in range(n_series)
    ]  # fmt: skip
    svg = str(charts.timeline_svg(series, START, end, y_min=scale[0], y_max=scale[1], title="t", bands=bands,
                                  connect_gaps=n_series > 1, height=130))  # fmt: skip
    boxes = _boxes(svg)
    width, height = map(float, re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[2] <= width and a[1] >= 0 and a[3] <= height, a
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_a_band_of_a_kind_the_stylesheet_does_not_know_is_drawn_as_light_context():
    svg = str(charts.timeline_svg([], START, END, title="t", bands=[charts.Band(START, END, "Cold snap", "weather")]))
    assert "chart-band-context" in svg and "chart-band-weather" not in svg
