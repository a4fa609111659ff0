"""Issue 16: charts a phone can read. At 390 px, in Chromium, on every page with charts
(with the demo's six months: treatments, a finished LDN trial, side effects, questionnaires;
and, issue 20, a year of weather with falling pressure and the watch's daily measures):
no chart text under 12 CSS px, and no two chart texts overlapping. Screenshots go to
$SCREENSHOT_DIR when it is set."""

import datetime as dt
import os
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from fibrotrack.diary.models import DailyMeasure
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.demo import build_demo
from fibrotrack.lib.testing.browser import log_in
from fibrotrack.lib.testing.factories import PASSWORD
from fibrotrack.treatments.models import Regimen
from fibrotrack.trials.models import Trial
from fibrotrack.weather.models import WeatherCell, WeatherDay, WeatherLocation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For every text in every chart: its font size as drawn (the computed size times the SVG's
# scale on screen) and its box as the browser laid it out.
MEASURE = """
() => [...document.querySelectorAll("svg.chart")].map((svg, chart) => {
  const box = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll("text")].map((t) => {
    const r = t.getBoundingClientRect();
    const m = t.getScreenCTM();
    const scale = Math.hypot(m.a, m.b);
    return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale,
            height: r.height, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  });
  return {chart, label: svg.getAttribute("aria-label"), width: box.width,
          box: {left: box.left, right: box.right, top: box.top, bottom: box.bottom}, texts};
})
"""


def _problems(charts):
    problems = []
    for c in charts:
        boxes = [t for t in c["texts"] if t["right"] > t["left"]]
        for t in boxes:
            if t["px"] < 12:
                problems.append(f"{c['label']!r}: {t['text']!r} is {t['px']:.1f}px")
            inside = (c["box"]["left"] - 0.5 <= t["left"] and t["right"] <= c["box"]["right"] + 0.5
                      and c["box"]["top"] - 0.5 <= t["top"] and t["bottom"] <= c["box"]["bottom"] + 0.5)  # fmt: skip
            if not inside:
                problems.append(f"{c['label']!r}: {t['text']!r} runs out of the chart")
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                apart = (a["right"] <= b["left"] + 0.5 or b["right"] <= a["left"] + 0.5
                         or a["bottom"] <= b["top"] + 0.5 or b["bottom"] <= a["top"] + 0.5)  # fmt: skip
                if not apart:
                    problems.append(f"{c['label']!r}: {a['text']!r} overlaps {b['text']!r}")
    return problems


@pytest.fixture
def demo_page(browser_context, live_server):
    cache.clear()
    user, _ = build_demo("demo@example.org", PASSWORD)
    log_in(browser_context, live_server.url, user)
    return user, browser_context.new_page()


def _weather_and_measures(user):
    """A year of weather (pressure falling sharply every week or so, some runs of two days) and of
    the watch's four measures, with days missing, as the demo's owner would have them."""
    cell = WeatherCell.objects.create(lat10=515, lon10=-1)
    WeatherLocation.objects.create(user=user, cell=cell)
    today = diary_day(user)
    days, measures = [], []
    for i in range(366):
        day = today - dt.timedelta(days=i)
        change = -6.5 if i % 8 in (0, 1) and i % 16 < 8 else 1.5
        days.append(WeatherDay(cell=cell, day=day, pressure_change=change, source="archive", fetched_at=timezone.now()))
        if i % 11 == 5:
            continue  # the watch was charging
        for kind, value in (("steps", 3000 + 97 * (i % 60)), ("resting_hr", 56 + i % 13),
                            ("hrv_sdnn", 25 + i % 40), ("sleep_hours", 5 + (i % 7) / 2)):  # fmt: skip
            measures.append(DailyMeasure(user=user, day=day, kind=kind, value=Decimal(str(value)), source="Fitbit"))
    WeatherDay.objects.bulk_create(days)
    DailyMeasure.objects.bulk_create(measures)


def test_every_chart_is_readable_at_phone_width(demo_page, live_server):
    user, page = demo_page
    _weather_and_measures(user)
    trial = Trial.objects.get(user=user)
    ldn = Regimen.objects.filter(user=user, treatment__key="naltrexone").order_by("-started_on").first()
    pregabalin = Regimen.objects.get(user=user, treatment__key="pregabalin")  # stopped for its side effects
    pages = {
        "progress details": reverse("reports:details") + "?period=365",
        "chart": reverse("diary:chart") + "?days=365",
        "treatment": reverse("treatments:detail", args=[ldn.pk]),
        "treatment-side-effects": reverse("treatments:detail", args=[pregabalin.pk]),
        "trial-result": reverse("trials:result", args=[trial.pk]),
        "report": reverse("reports:report_view") + "?period=365",
    }
    seen = {}
    for name, url in pages.items():
        page.goto(live_server.url + url)
        charts = page.evaluate(MEASURE)
        if folder := os.environ.get("SCREENSHOT_DIR"):
            page.screenshot(path=os.path.join(folder, f"charts-{name}.png"), full_page=True)
        assert charts, f"no chart on {name}"
        assert all(t for c in charts for t in [c["texts"]]), name
        seen[name] = (len(charts), sum(len(c["texts"]) for c in charts))
        assert _problems(charts) == [], name
    # The pages did draw their charts: several panels on the progress page, bands on the trial's.
    assert seen["progress details"][0] >= 4 and seen["trial-result"][0] >= 2 and seen["report"][0] >= 4
    # The chart page had the weather band (named once) and one chart per measure.
    page.goto(live_server.url + pages["chart"])
    assert page.locator("svg.chart .chart-band-context").count() > 10
    assert page.locator("svg.chart text.chart-band-label", has_text="Pressure fell").count() >= 1
    assert page.locator("figure[aria-labelledby^='chart-measure-']").count() == 4
    page.goto(live_server.url + pages["progress details"])
    assert page.locator("svg.chart .chart-band-context").count() > 10


def test_the_measure_catches_text_drawn_too_small_or_on_top_of_other_text(page, live_server):
    """The check above can fail: a chart squeezed to half width, and two labels in one place."""
    page.set_content(
        '<div style="width:170px"><svg class="chart" viewBox="0 0 340 100" width="340" height="100">'
        '<text x="10" y="20" font-size="13">5 Dec</text><text x="14" y="22" font-size="13">Placebo</text>'
        "</svg></div><style>svg.chart{width:100%;height:auto}</style>"
    )
    problems = _problems(page.evaluate(MEASURE))
    assert any("is 6.5px" in p for p in problems)
    assert any("overlaps" in p for p in problems)


COLOURS = """
() => { const svg = document.querySelector("svg.chart"), mean = svg.querySelector(".chart-mean");
        return [getComputedStyle(svg).backgroundColor, getComputedStyle(mean).stroke]; }
"""


def test_charts_follow_dark_mode_and_the_theme_switch(demo_page, live_server):
    _, page = demo_page
    page.goto(live_server.url + reverse("reports:details"))
    light = page.evaluate(COLOURS)
    assert light == ["rgb(255, 255, 255)", "rgb(0, 114, 178)"]  # Okabe–Ito blue on white
    page.emulate_media(color_scheme="dark")
    dark = page.evaluate(COLOURS)
    assert dark[0] != light[0] and dark[1] != light[1]
    page.evaluate("() => { document.documentElement.dataset.theme = 'light'; }")
    assert page.evaluate(COLOURS) == light  # "light" chosen in the app wins over the system's dark
    page.emulate_media(color_scheme="light")
    page.evaluate("() => { document.documentElement.dataset.theme = 'dark'; }")
    assert page.evaluate(COLOURS) == dark
