"""ACR 2016 scoring against hand-worked cases, including every boundary."""

import pytest

from fibrotrack.diary import acr2016
from fibrotrack.diary.regions import REGIONS

ALL = [r.code for r in REGIONS]
NO_SYMPTOMS = {
    "fatigue": 0,
    "unrefreshed": 0,
    "cognitive": 0,
    "headache": False,
    "abdominal": False,
    "depression": False,
}


def _score(regions, three_months=True, **sss):
    answers = {**NO_SYMPTOMS, **sss}
    return acr2016.score(regions=regions, three_months=three_months, **answers)


def test_wpi_counts_each_of_19_regions_once():
    assert acr2016.wpi(ALL) == 19
    assert acr2016.wpi(["neck", "neck"]) == 1
    assert acr2016.wpi([]) == 0


def test_unknown_regions_are_rejected():
    with pytest.raises(ValueError, match="unknown WPI regions"):
        acr2016.wpi(["tail"])


def test_sss_sums_severity_and_yes_no_items():
    assert acr2016.sss(fatigue=3, unrefreshed=3, cognitive=3, headache=True, abdominal=True, depression=True) == 12
    assert acr2016.sss(fatigue=2, unrefreshed=1, cognitive=0, headache=True, abdominal=False, depression=False) == 4


@pytest.mark.parametrize("bad", [-1, 4])
def test_sss_items_must_be_0_to_3(bad):
    with pytest.raises(ValueError):
        acr2016.sss(fatigue=bad, unrefreshed=0, cognitive=0, headache=False, abdominal=False, depression=False)


@pytest.mark.parametrize(
    ("wpi", "sss", "met"),
    [
        (7, 5, True),  # first arm, both at the boundary
        (7, 4, False),
        (6, 5, False),  # WPI 6 needs SSS 9
        (6, 9, True),
        (4, 9, True),  # second arm, lower boundary
        (4, 8, False),
        (3, 12, False),  # WPI below 4 never meets it
        (19, 5, True),
    ],
)
def test_severity_rule_boundaries(wpi, sss, met):
    assert acr2016.severity_rule(wpi, sss) is met


@pytest.mark.parametrize(
    ("psd", "band"),
    [
        (0, "none"),
        (3, "none"),
        (4, "mild"),
        (7, "mild"),
        (8, "moderate"),
        (11, "moderate"),
        (12, "severe"),
        (19, "severe"),
        (20, "very severe"),
        (31, "very severe"),
    ],
)
def test_psd_bands(psd, band):
    assert acr2016.psd_band(psd) == band


def test_jaw_chest_and_abdomen_do_not_count_for_generalized_pain():
    # Pain in jaws, chest and abdomen only: 4 WPI regions but 0 painful areas.
    assert acr2016.painful_areas(["jaw_l", "jaw_r", "chest", "abdomen"]) == 0
    assert acr2016.painful_areas(["shoulder_l", "shoulder_r", "hip_l", "neck"]) == 4


def test_hand_worked_case_meeting_all_criteria():
    # WPI 8: both shoulders, both hips, neck, lower back, left upper leg, right lower arm.
    regions = ["shoulder_l", "shoulder_r", "hip_l", "hip_r", "neck", "lower_back", "upper_leg_l", "lower_arm_r"]
    result = _score(regions, fatigue=2, unrefreshed=2, cognitive=1)
    assert (result.wpi, result.sss, result.psd) == (8, 5, 13)
    assert result.psd_band == "severe"
    assert result.painful_areas == 5
    assert result.generalized_pain and result.severity_rule_met and result.criteria_met


def test_generalized_pain_needs_four_of_five_areas():
    # WPI 7 and SSS 5 but all pain in the upper body and axial: 3 areas.
    regions = ["shoulder_l", "upper_arm_l", "shoulder_r", "upper_arm_r", "neck", "upper_back", "lower_back"]
    result = _score(regions, fatigue=3, unrefreshed=2)
    assert result.severity_rule_met
    assert result.painful_areas == 3
    assert not result.generalized_pain
    assert not result.criteria_met


def test_duration_is_required():
    regions = ["shoulder_l", "shoulder_r", "hip_l", "hip_r", "neck", "lower_back", "upper_leg_l"]
    assert _score(regions, fatigue=3, unrefreshed=2).criteria_met
    assert not _score(regions, three_months=False, fatigue=3, unrefreshed=2).criteria_met


def test_the_result_page_says_it_is_not_a_diagnosis(owner, owner_client):
    from django.urls import reverse

    response = owner_client.post(
        reverse("diary:acr_new"),
        {
            "regions": ["neck", "hip_l"],
            "fatigue": "2",
            "unrefreshed": "1",
            "cognitive": "1",
            "headache": "on",
            "three_months": "1",
        },
    )
    assert response.status_code == 302
    page = owner_client.get(response["Location"]).content.decode()
    assert acr2016.NOT_A_DIAGNOSIS in page
    assert "<strong>2</strong> of 19" in page
    assert "<strong>5</strong> of 12" in page
