"""A change is worded one way on every page that shows a trial's result: "21% worse", never "-21%"."""

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from fibrotrack.community.models import ProgressCard
from fibrotrack.trials import actions, result
from fibrotrack.trials.models import Trial
from fibrotrack.trials.report import build_report_context
from fibrotrack.trials.tests.helpers import ldn_regimen, log_doses, new_trial, seed_diary, started, with_custodian

pytestmark = pytest.mark.django_db

# A sign next to a percentage, or a word that would need one.
SIGNED = re.compile(r"[-−+]\s?\d+(\.\d+)?\s?%|worsening|Improvement %|a -?\d+(\.\d+)?% change")


def _worse_on_ldn(owner, clinician, today):
    """A finished, unblinded pilot in which pain was about a fifth higher on LDN than on placebo."""
    start = today - dt.timedelta(days=100)
    regimen = ldn_regimen(owner, start + dt.timedelta(days=14))
    trial = started(with_custodian(new_trial(owner, regimen=regimen, title="Is LDN helping?"), clinician), start)
    levels = {"baseline": 6.0, "placebo": 6.0, "treatment": 7.2, "washout": 6.0}
    sched = trial.actual_schedule()
    seed_diary(owner, start, trial.last_day, lambda d: levels[next(s.phase.kind for s in sched if s.covers(d))], sd=0.5)
    log_doses(regimen, start + dt.timedelta(days=14), start + dt.timedelta(days=83))
    actions.do_unblind(trial, owner, "participant", emergency=False, reason="", today=today)
    return Trial.objects.get(pk=trial.pk)


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_worse_result_reads_worse_in_the_verdict_the_tables_and_the_responder_line(
    owner, owner_client, clinician, today
):
    trial = _worse_on_ldn(owner, clinician, today)
    res = result.compute(trial, today)
    percent = res.key_numbers["percent"]
    assert percent < -10  # the exact, signed number is still there for clinicians
    words = f"{abs(percent):.0f}% worse"
    assert words in res.verdict and not SIGNED.search(res.verdict)
    page = _text(owner_client.get(reverse("trials:result", args=[trial.pk])).content.decode())
    assert not SIGNED.search(page), SIGNED.search(page)
    assert words in page
    assert f"{abs(percent):.1f}% worse" in page  # tables and the responder rule keep one decimal
    assert re.search(r"Responder \(30% rule, LDN 4\.5 mg vs Placebo\): no, \d+\.\d% worse", page)


def test_the_report_and_the_community_card_use_the_same_words(owner, owner_client, clinician, today):
    trial = _worse_on_ldn(owner, clinician, today)
    ctx = build_report_context(owner, trial.start_date, today)
    report = _text(render_to_string("trials/_report_section.html", ctx))
    assert not SIGNED.search(report), SIGNED.search(report)
    assert re.search(r"Change:? \d+\.\d% worse", report)
    owner_client.post(reverse("community:card_new", args=["trial"]), {"trial": trial.pk, "caption": "Mine"})
    card = _text(ProgressCard.objects.get().svg)
    assert "% worse" in card and not SIGNED.search(card)


def test_the_verdict_is_one_sentence_with_the_change_its_range_the_chance_and_a_limit(owner, clinician, today):
    trial = _worse_on_ldn(owner, clinician, today)
    res = result.compute(trial, today)
    verdict = res.short_verdict
    percent = res.key_numbers["percent"]
    assert verdict.startswith(f"Pain was {abs(percent):.0f}% worse on LDN 4.5 mg than on Placebo (")
    assert re.search(r"\(\d\.\d points worse; likely \d\.\d to \d\.\d points worse\)", verdict), verdict
    assert "the chance of at least your 30% improvement is" in verdict
    assert ", but it cannot tell whether the change will last after the trial." in verdict
    assert verdict.count(".") - len(re.findall(r"\d\.\d", verdict)) == 1, "one sentence"
    assert not SIGNED.search(verdict)


def test_a_verdict_whose_range_includes_no_change_says_so(owner, clinician, today):
    start = today - dt.timedelta(days=100)
    regimen = ldn_regimen(owner, start + dt.timedelta(days=14))
    trial = started(with_custodian(new_trial(owner, regimen=regimen, title="Same?"), clinician), start)
    seed_diary(owner, start, trial.last_day, lambda d: 6.0, sd=1.2, seed=4)
    actions.do_unblind(trial, owner, "participant", emergency=False, reason="", today=today)
    verdict = result.compute(Trial.objects.get(pk=trial.pk), today).short_verdict
    assert re.search(r"likely [\d.]+ points worse to [\d.]+ points better", verdict), verdict
    assert verdict.endswith("but it cannot rule out that there was no real difference.")
