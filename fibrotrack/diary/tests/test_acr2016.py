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
    assert str(acr2016.NOT_A_DIAGNOSIS) in page
    assert "<strong>2</strong> of 19" in page
    assert "<strong>5</strong> of 12" in page


@pytest.mark.parametrize(
    ("regions", "areas", "generalized"),
    [
        # One region in each of three areas: 3 of 5, not generalized.
        (["shoulder_l", "shoulder_r", "neck"], 3, False),
        # Jaw, chest and abdomen never add an area, even when their own area is empty.
        (["shoulder_l", "shoulder_r", "neck", "jaw_l", "chest", "abdomen"], 3, False),
        (["hip_l", "hip_r", "lower_back", "jaw_r", "jaw_l"], 3, False),
        # The fourth area tips it over: exactly 4 of 5.
        (["shoulder_l", "shoulder_r", "neck", "hip_l"], 4, True),
        (["upper_arm_l", "lower_arm_r", "upper_leg_l", "lower_leg_r"], 4, True),
        (["shoulder_l", "shoulder_r", "neck", "hip_l", "lower_leg_r"], 5, True),
        # Many regions, but all in one or two areas.
        (["shoulder_l", "upper_arm_l", "lower_arm_l", "hip_l", "upper_leg_l", "lower_leg_l"], 2, False),
        ([r.code for r in REGIONS], 5, True),
        ([], 0, False),
    ],
)
def test_generalized_pain_boundaries(regions, areas, generalized):
    result = _score(regions)
    assert result.painful_areas == areas
    assert result.generalized_pain is generalized


@pytest.mark.parametrize(
    ("sss_answers", "met"),
    [
        # WPI 4 (one region in each of four areas): the second arm needs SSS >= 9.
        ({"fatigue": 3, "unrefreshed": 3, "cognitive": 3}, True),  # SSS 9
        ({"fatigue": 3, "unrefreshed": 3, "cognitive": 2}, False),  # SSS 8
        ({"fatigue": 3, "unrefreshed": 2, "cognitive": 2, "headache": True, "depression": True}, True),  # SSS 9
    ],
)
def test_hand_worked_cases_on_the_second_arm(sss_answers, met):
    result = _score(["shoulder_l", "shoulder_r", "neck", "hip_l"], **sss_answers)
    assert (result.wpi, result.painful_areas, result.generalized_pain) == (4, 4, True)
    assert result.criteria_met is met
    assert result.psd == 4 + result.sss


def test_wpi_three_with_maximal_symptoms_never_meets_the_criteria():
    result = _score(["shoulder_l", "neck", "hip_l"], fatigue=3, unrefreshed=3, cognitive=3, headache=True)
    assert (result.wpi, result.sss) == (3, 10)
    assert not result.severity_rule_met and not result.criteria_met


def test_wpi_six_and_seven_boundary_with_sss_five():
    six = ["shoulder_l", "shoulder_r", "neck", "hip_l", "hip_r", "lower_back"]
    assert not _score(six, fatigue=3, unrefreshed=2).criteria_met  # WPI 6, SSS 5
    assert _score([*six, "upper_leg_l"], fatigue=3, unrefreshed=2).criteria_met  # WPI 7, SSS 5
    assert not _score([*six, "upper_leg_l"], fatigue=2, unrefreshed=2).criteria_met  # WPI 7, SSS 4


def test_the_extremes_score_zero_and_thirty_one():
    none = _score([])
    assert (none.wpi, none.sss, none.psd, none.psd_band, none.criteria_met) == (0, 0, 0, "none", False)
    worst = _score(ALL, fatigue=3, unrefreshed=3, cognitive=3, headache=True, abdominal=True, depression=True)
    assert (worst.wpi, worst.sss, worst.psd, worst.psd_band, worst.criteria_met) == (19, 12, 31, "very severe", True)


@pytest.mark.parametrize("psd", [-1, 32])
def test_a_psd_outside_0_to_31_is_refused(psd):
    with pytest.raises(ValueError):
        acr2016.psd_band(psd)


def test_the_19_regions_and_five_areas_match_the_published_criteria():
    from fibrotrack.diary.regions import AREAS, BY_CODE

    assert len(REGIONS) == 19 and len(AREAS) == 5
    excluded = {r.code for r in REGIONS if not r.counts_for_generalized}
    assert excluded == {"jaw_l", "jaw_r", "chest", "abdomen"}
    # Each limb area holds its shoulder girdle, upper arm, lower arm (or hip, upper leg, lower leg) and jaw.
    assert {c for c, r in BY_CODE.items() if r.area == "left upper"} == {
        "jaw_l",
        "shoulder_l",
        "upper_arm_l",
        "lower_arm_l",
    }
    assert {c for c, r in BY_CODE.items() if r.area == "right lower"} == {"hip_r", "upper_leg_r", "lower_leg_r"}
    assert {c for c, r in BY_CODE.items() if r.area == "axial"} == {
        "neck",
        "upper_back",
        "lower_back",
        "chest",
        "abdomen",
    }
