"""The five protocol templates, and the planning helper (own variability, simulated power, smallest p)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from fibrotrack.trials import actions, planning, protocols
from fibrotrack.trials.tests.helpers import ldn_regimen, new_trial, seed_diary


def _shape(template):
    return [(p.kind, p.days, p.counts, p.blinded, p.block) for p in template.phases]


def test_the_ldn_pilot_template_is_14_baseline_14_placebo_56_ldn_14_washout():
    t = protocols.get(protocols.LDN_PILOT)
    assert _shape(t) == [
        ("baseline", 14, True, False, None),
        ("placebo", 14, True, True, None),
        ("treatment", 56, True, True, None),
        ("washout", 14, False, False, None),
    ]
    assert t.comparisons == (("placebo", "treatment"), ("baseline", "treatment"))
    assert t.blinded and t.assessment_every_days == 14
    assert "Younger J, Mackey S" in t.citation and "2009" in t.citation


def test_the_crossover_template_randomizes_12_weeks_of_ldn_and_4_of_placebo_after_a_2_week_baseline():
    t = protocols.get(protocols.CROSSOVER)
    assert _shape(t) == [
        ("baseline", 14, True, False, None),
        ("treatment", 84, True, True, 1),
        ("placebo", 28, True, True, 1),
    ]
    assert t.endpoint_last_days  # the mean of the final 3 days of each condition
    assert t.blinded and "2013" in t.citation


@pytest.mark.parametrize(("k", "n", "control"), [(4, 14, "placebo"), (3, 10, "comparison")])
def test_randomized_pairs_are_k_pairs_of_n_days_each_pair_its_own_block(k, n, control):
    t = protocols.get(protocols.PAIRS, k=k, n=n, control=control)
    assert _shape(t) == [(kind, n, True, True, pair) for pair in range(1, k + 1) for kind in ("treatment", control)]
    assert t.comparisons == ((control, "treatment"),)


def test_before_after_compares_baseline_with_treatment_and_carries_its_caveat():
    t = protocols.get(protocols.BEFORE_AFTER)
    assert _shape(t) == [("baseline", 14, True, False, None), ("treatment", 42, True, False, None)]
    assert t.comparisons == (("baseline", "treatment"),)
    assert "regression to the mean" in protocols.BEFORE_AFTER_CAVEAT and protocols.BEFORE_AFTER_CAVEAT in t.notes


def test_custom_starts_from_a_baseline_and_a_treatment_phase():
    t = protocols.get(protocols.CUSTOM)
    assert [(p.kind, p.days) for p in t.phases] == [("baseline", 14), ("treatment", 28)]
    assert [x.key for x in protocols.all_templates()] == list(protocols.TEMPLATE_NAMES)


def test_creating_a_trial_copies_the_template_phases_with_the_regimen_linked(owner, today):
    regimen = ldn_regimen(owner, today)
    trial = new_trial(owner, protocols.ldn_pilot(), regimen=regimen)
    phases = list(trial.phases.all())
    assert [(p.position, p.kind, p.days, p.counts_in_analysis) for p in phases] == [
        (1, "baseline", 14, True),
        (2, "placebo", 14, True),
        (3, "treatment", 56, True),
        (4, "washout", 14, False),
    ]
    # The blinded placebo and LDN periods take the same trial capsules.
    assert [list(p.regimens.all()) for p in phases] == [[], [regimen], [regimen], []]
    assert trial.total_days == 98 and trial.threshold_pct == 30


# The planning helper ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_without_a_diary_the_helper_uses_typical_values(owner, today):
    trial = new_trial(owner, protocols.ldn_pilot())
    var = planning.own_variability(owner, trial.primary_outcome, today)
    assert not var.own and (var.sd, var.rho, var.level) == (1.2, 0.5, 6.0)


def test_with_a_diary_the_helper_uses_the_persons_own_variability(owner, today):
    seed_diary(owner, today - dt.timedelta(days=60), today, lambda d: 5, sd=2.0, rho=0.3, seed=4)
    trial = new_trial(owner, protocols.ldn_pilot())
    var = planning.own_variability(owner, trial.primary_outcome, today)
    assert var.own and var.days == 61
    assert 1.4 < var.sd < 2.6 and 4.0 < var.level < 6.0


def test_a_calm_diary_makes_the_pilot_likely_to_detect_a_30_percent_improvement(owner, today):
    seed_diary(owner, today - dt.timedelta(days=60), today, lambda d: 6, sd=0.8, rho=0.3, seed=5)
    helper = planning.plan(new_trial(owner, protocols.ldn_pilot()), today)
    assert helper.variability.own and helper.power_pct is not None and helper.power_pct >= 80
    assert helper.comparison == "LDN 4.5 mg vs Placebo"
    assert helper.min_p is None and "no randomization test" in helper.min_p_text
    assert not any("too short to be informative" in w for w in helper.warnings)


def test_a_design_too_short_to_be_informative_is_warned_about(owner, today):
    seed_diary(owner, today - dt.timedelta(days=60), today, lambda d: 6, sd=2.5, rho=0.6, seed=6)
    trial = new_trial(owner, protocols.before_after())
    for phase in trial.phases.all():
        actions.do_update_phase(trial, phase, actions.PhaseData(phase.kind, 4, True, False, []))
    helper = planning.plan(trial, today)
    assert helper.power_pct is not None and helper.power_pct < 50
    assert any("too short to be informative" in w for w in helper.warnings)
    assert any("Phase 1 (Baseline) is only 4 days" in w for w in helper.warnings)


@pytest.mark.parametrize(
    ("template", "min_p", "phrase"),
    [
        (protocols.pairs(k=4, n=7), 1 / 16, "cannot reach p < 0.05"),
        (protocols.pairs(k=5, n=7), 1 / 32, "0.0312"),
        (protocols.crossover(), 0.5, "cannot reach p < 0.05"),
    ],
)
def test_the_smallest_attainable_p_value_of_a_randomized_design(owner, today, template, min_p, phrase):
    helper = planning.plan(new_trial(owner, template), today)
    assert helper.min_p == pytest.approx(min_p)
    assert phrase in helper.min_p_text


def test_the_plan_page_shows_the_helper(owner, owner_client, today):
    trial = new_trial(owner, protocols.pairs(k=4, n=14))
    html = owner_client.get(reverse("trials:plan", args=[trial.pk])).content.decode()
    assert "How informative would this be?" in html and "needs at least 21 days of your diary" in html
    assert "The smallest p-value this randomization can give is 0.0625" in html
