"""Issue 14, item 4: the planning helper never gives a figure from too little diary, and its power,
smallest p and verdict say the same thing."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from fibrotrack.trials import planning, protocols
from fibrotrack.trials.tests.helpers import new_trial, seed_diary

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_two_diary_days_give_no_power_figure_but_the_days_still_needed(owner, owner_client, today):
    seed_diary(owner, today - dt.timedelta(days=1), today, lambda d: 6, sd=1.0, rho=0.3, seed=1)
    trial = new_trial(owner, protocols.crossover())
    helper = planning.plan(trial, today)
    assert helper.power is None and helper.power_pct is None
    assert helper.needs_days == planning.MIN_OWN_DAYS - 2
    assert any("needs at least 21 days of your diary" in w and "19 more days" in w for w in helper.warnings)
    html = owner_client.get(reverse("trials:plan", args=[trial.pk])).content.decode()
    assert 'class="tr-big"' not in html and "of 100 such trials" not in html
    assert "19 more days" in html


def test_a_crossover_power_figure_agrees_with_its_smallest_p(owner, owner_client, today):
    seed_diary(owner, today - dt.timedelta(days=60), today, lambda d: 6, sd=0.8, rho=0.3, seed=5)
    trial = new_trial(owner, protocols.crossover())
    helper = planning.plan(trial, today)
    assert helper.power_pct is not None and helper.needs_days == 0
    assert helper.min_p == pytest.approx(0.5)
    # The figure is about the model's interval; the verdict says the randomization test cannot confirm it.
    assert "cannot reach p < 0.05" in helper.min_p_text
    assert "randomization test cannot confirm it" in helper.verdict
    html = owner_client.get(reverse("trials:plan", args=[trial.pk])).content.decode()
    assert "would show it clearly" not in html
    assert "the model&#x27;s 95% interval" in html or "the model's 95% interval" in html
    assert helper.verdict in html.replace("&#x27;", "'")


def test_a_design_that_can_reach_p_005_says_both_checks_can_pass(owner, today):
    seed_diary(owner, today - dt.timedelta(days=60), today, lambda d: 6, sd=0.8, rho=0.3, seed=5)
    helper = planning.plan(new_trial(owner, protocols.pairs(k=5, n=7)), today)
    assert helper.min_p is not None and helper.min_p < 0.05
    assert "randomization test below p = 0.05" in helper.verdict
