"""The screener: ACR 2016 scored by the diary's code, opioid use excludes, the protocol's rules, groups."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fibrotrack.diary import acr2016
from fibrotrack.studies import designs, screener
from fibrotrack.studies.actions import enrolment
from fibrotrack.studies.designs import Eligibility
from fibrotrack.studies.models import Participant, Screening
from fibrotrack.studies.tests.enrol_helpers import ACR_MET, eligible_answers, join, open_study

CROSSOVER = designs.ldn_crossover_2013()
SINGLE_DOSE = designs.naltrexone_single_dose_2009()


def _codes(decision):
    return [r["code"] for r in decision.reasons]


def test_someone_meeting_every_rule_is_eligible_with_the_diarys_scores():
    decision = screener.decide(CROSSOVER, eligible_answers())
    expected = acr2016.score(**ACR_MET)
    assert decision.eligible
    assert (decision.wpi, decision.sss) == (expected.wpi, expected.sss)


def test_current_opioid_use_excludes_and_says_why_plainly():
    decision = screener.decide(CROSSOVER, eligible_answers(takes_opioids=True))
    assert _codes(decision) == ["opioids"]
    assert "Naltrexone blocks opioid painkillers" in screener.reason_text(decision.reasons[0])


def test_age_sex_and_exclusion_questions_apply_the_protocols_rules():
    protocol = designs.ldn_crossover_2013()
    protocol = protocol.__class__(
        **{
            **protocol.__dict__,
            "eligibility": Eligibility(min_age=18, max_age=65, women_only=True, exclusion_questions=("Pregnant?",)),
        }
    )
    decision = screener.decide(protocol, eligible_answers(age=70, is_woman=False, exclusions_yes=(0,)))
    assert _codes(decision) == ["too_old", "women_only", "exclusion"]
    assert screener.decide(protocol, eligible_answers(age=17)).reasons[0] == {"code": "too_young", "min_age": 18}


def test_not_meeting_the_acr_criteria_screens_out_without_claiming_a_diagnosis():
    mild = {**ACR_MET, "regions": ["neck"], "fatigue": 0, "unrefreshed": 0, "cognitive": 0, "headache": False}
    decision = screener.decide(CROSSOVER, eligible_answers(acr=mild))
    assert _codes(decision) == ["acr_not_met"]
    assert "not a diagnosis" in screener.reason_text(decision.reasons[0])


def test_healthy_controls_skip_the_acr_requirement_and_patients_do_not():
    patient = screener.decide(SINGLE_DOSE, eligible_answers(group="fibromyalgia", acr=None))
    control = screener.decide(SINGLE_DOSE, eligible_answers(group="healthy_control", acr=None))
    assert control.eligible
    # The single-dose template itself does not require the criteria; a protocol that does still spares controls.
    strict = SINGLE_DOSE.__class__(**{**SINGLE_DOSE.__dict__, "eligibility": Eligibility(women_only=True)})
    assert _codes(screener.decide(strict, eligible_answers(group="fibromyalgia", acr=None))) == ["acr_missing"]
    assert screener.decide(strict, eligible_answers(group="healthy_control", acr=None)).eligible
    assert patient.eligible


@pytest.mark.django_db
def test_the_screener_page_makes_the_participant_eligible(client):
    study, pi = open_study()
    participant = join(study, pi)
    client.force_login(participant.user)
    url = reverse("studies:me_screen", args=[study.uuid])
    page = client.get(url).content.decode()
    assert "Do you take an opioid painkiller now?" in page
    data = {
        "age": "40",
        "is_woman": "1",
        "takes_opioids": "0",
        "regions": ACR_MET["regions"],
        "fatigue": "2",
        "unrefreshed": "2",
        "cognitive": "1",
        "headache": "on",
        "three_months": "1",
    }
    assert client.post(url, data).status_code == 302
    participant.refresh_from_db()
    assert participant.status == Participant.Status.ELIGIBLE
    assert Screening.objects.get(participant=participant).wpi == 8
    assert "can take part" in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_screen_failure_keeps_the_reasons_and_shows_them_kindly(client):
    study, pi = open_study()
    participant = join(study, pi)
    client.force_login(participant.user)
    url = reverse("studies:me_screen", args=[study.uuid])
    data = {"age": "40", "is_woman": "1", "takes_opioids": "1", "fatigue": "0", "unrefreshed": "0", "cognitive": "0"}
    data["three_months"] = "1"
    data["regions"] = ACR_MET["regions"]
    client.post(url, data)
    participant.refresh_from_db()
    assert participant.status == Participant.Status.SCREEN_FAILED
    assert [r["code"] for r in participant.screen_fail_reasons] == ["opioids", "acr_not_met"]
    page = client.get(reverse("studies:me", args=[study.uuid])).content.decode()
    assert "not a judgement about your health" in page
    assert "talk to your doctor first" in page


@pytest.mark.django_db
def test_the_acr_answers_are_required_only_when_the_criteria_apply(client):
    study, pi = open_study()
    participant = join(study, pi)
    client.force_login(participant.user)
    response = client.post(
        reverse("studies:me_screen", args=[study.uuid]), {"age": "40", "is_woman": "1", "takes_opioids": "0"}
    )
    assert response.status_code == 400
    assert "Choose one answer." in response.content.decode()


@pytest.mark.django_db
def test_a_group_study_asks_the_group_and_stratifies_by_it():
    study, pi = open_study(template=designs.SINGLE_DOSE_2009, short="ND")
    participant = join(study, pi)
    enrolment.do_screen(participant, eligible_answers(group="healthy_control", acr=None), {})
    participant.refresh_from_db()
    assert (participant.status, participant.group, participant.stratum) == (
        Participant.Status.ELIGIBLE,
        "healthy_control",
        "healthy_control",
    )
