"""Insights: plain sentences only for associations that survive the correction, each with its interval."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pytest

from fibrotrack.reports import associations, insights
from fibrotrack.reports.dashboard import DiaryData

START = dt.date(2024, 1, 1)
DAYS = 365
STRESS, COFFEE = 1, 2


def _diary(pain_symptom, *, effect, seed):
    """A year of pain with "Stress" (and optionally short nights) planted; "Coffee" never matters."""
    rng = np.random.default_rng(seed)
    days = [START + dt.timedelta(days=i) for i in range(DAYS)]
    stress = rng.uniform(size=DAYS) < 0.3
    coffee = rng.uniform(size=DAYS) < 0.4
    short = rng.uniform(size=DAYS) < 0.3
    noise = rng.normal(0, 1.0, size=DAYS)
    pain = {}
    for i, day in enumerate(days):
        value = 4.0 + noise[i] + (effect if i and stress[i - 1] else 0.0) + (effect if short[i] else 0.0)
        pain[day] = float(np.clip(round(value), 0, 10))
    tags = {day: {t for t, on in ((STRESS, stress[i]), (COFFEE, coffee[i])) if on} for i, day in enumerate(days)}
    sleep = {day: 5.0 if short[i] else 7.5 for i, day in enumerate(days)}
    return DiaryData(
        [pain_symptom],
        {pain_symptom.pk: pain},
        set(days),
        sleep,
        tags,
        {STRESS: "Stress", COFFEE: "Coffee"},
        {STRESS, COFFEE},
    )


@pytest.fixture
def pain(owner):
    return owner.symptoms.get(key="pain")


def _insights(data, pain):
    found = associations.for_symptom(data, pain, START, START + dt.timedelta(days=DAYS - 1))
    return found, insights.insights(found)


def test_a_planted_link_becomes_a_sentence_with_its_interval_and_stability(pain):
    found, result = _insights(_diary(pain, effect=2.0, seed=1), pain)
    texts = [i.text for i in result.get("found")]
    stress = next(t for t in texts if "after you tagged “Stress”" in t)
    m = re.search(r"your pain was about (\d+\.\d) points higher \(likely between (\d+\.\d) and (\d+\.\d)\)", stress)
    assert m, stress
    size, low, high = map(float, m.groups())
    assert low < size < high and 1.2 < size < 2.8
    assert re.search(r"This held in (\d+) of the last 12 months\.", stress)
    held = int(re.search(r"held in (\d+) of", stress).group(1))
    assert held >= 9
    assert any("On days after you slept under 6 hours" in t for t in texts)
    # Coffee was never linked: it is not stated, only listed as "no clear link yet".
    assert not any("Coffee" in t for t in texts)
    assert "Coffee" in result["no_clear_link"]


def test_every_sentence_has_an_interval_and_says_a_link_is_not_a_cause(pain):
    _, result = _insights(_diary(pain, effect=2.0, seed=2), pain)
    assert result["found"]
    for item in result["found"]:
        assert "(likely between" in item.text
        assert "not proof of a cause" in item.text
        assert item.row.significant


def test_without_a_real_link_nothing_is_stated(pain):
    found, result = _insights(_diary(pain, effect=0.0, seed=3), pain)
    assert found["rows"], "the predictors were tested"
    assert result["found"] == []
    assert {"Stress", "Coffee"} <= set(result["no_clear_link"])


def test_only_associations_that_survive_the_correction_are_stated(pain):
    found, result = _insights(_diary(pain, effect=0.6, seed=4), pain)
    stated = {(i.row.predictor, i.row.lag) for i in result["found"]}
    survivors = {(r.predictor, r.lag) for r in found["rows"] if r.significant}
    assert stated == survivors
    assert all(r.q_value is not None and r.q_value <= found["fdr"] for r in found["rows"] if r.significant)


def test_the_sentence_builder_takes_any_predictor_with_its_own_words(pain):
    weather = associations.Predictor(
        "pressure_drop",
        "Pressure fell by 5 hPa or more",
        "On days the pressure fell by 5 hPa or more",
        "On the day after the pressure fell by 5 hPa or more",
    )
    row = associations.AssociationRow(
        weather.label, "", 1, 200, -0.84, -1.3, -0.4, 0.01, True, None, about=weather, stability=None
    )
    text = insights.sentence(row, "Pain")
    assert text.startswith(
        "On the day after the pressure fell by 5 hPa or more, your pain was about 0.8 points lower "
        "(likely between 0.4 and 1.3)."
    )
    assert "not proof of a cause" in text
    assert "-" not in text.split("(likely")[1]


def test_the_dashboard_shows_sentences_above_the_table(owner, owner_client, today):
    from fibrotrack.reports.tests.seed import seed_diary

    seed_diary(owner, today - dt.timedelta(days=364), today, seed=5, fill=1.0)
    html = owner_client.get("/reports/details/", {"period": "365"}).content.decode()
    section = html.split('id="bad-days"')[1]
    assert section.index("On the day after you tagged “Stress”") < section.index("For clinicians")
    assert section.index("<details") < section.index("<table")
