"""One wording for a change everywhere: a positive number, and words for the direction."""

import pytest

from fibrotrack.lib.change import improvement, improvement_range, percent_change, points_change


@pytest.mark.parametrize(
    ("value", "digits", "words"),
    [
        (20.8, 0, "21% better"),
        (-20.8, 0, "21% worse"),
        (-20.8, 1, "20.8% worse"),
        (0.3, 0, "no change"),
        (-0.04, 1, "no change"),
        (None, 0, "—"),
        (float("nan"), 0, "—"),
    ],
)
def test_an_improvement_is_worded_with_a_positive_number(value, digits, words):
    assert improvement(value, digits) == words


def test_the_direction_that_is_better_decides_the_word():
    # Pain fell by a fifth: better, because lower pain is better.
    assert percent_change(-20.0, lower_is_better=True) == "20% better"
    # Energy fell by a fifth: worse, because more energy is better.
    assert percent_change(-20.0, lower_is_better=False) == "20% worse"
    assert percent_change(21.0, lower_is_better=True) == "21% worse"


@pytest.mark.parametrize(
    ("low", "high", "words"),
    [
        (5.2, 35.0, "5% to 35% better"),
        (-35.0, -5.0, "5% to 35% worse"),
        (-12.0, 30.0, "12% worse to 30% better"),
        (30.0, -12.0, "12% worse to 30% better"),
        (0.0, 0.2, "no change"),
        (None, 3.0, "—"),
    ],
)
def test_an_interval_is_worded_from_the_lower_improvement(low, high, words):
    assert improvement_range(low, high) == words


def test_points_are_worded_the_same_way():
    assert points_change(1.24, lower_is_better=True) == "1.2 points worse"
    assert points_change(-1.24, lower_is_better=True) == "1.2 points better"
    assert points_change(-1.24, lower_is_better=False) == "1.2 points worse"
    assert points_change(0.01, lower_is_better=True) == "no change"


def test_no_word_is_ever_beside_a_minus_sign():
    for value in (-99.0, -20.8, -1.0, 1.0, 20.8):
        for text in (improvement(value), improvement(value, 1), improvement_range(value, value / 2)):
            assert "-" not in text and "−" not in text


def test_a_range_in_points_names_the_unit_once():
    assert improvement_range(0.42, 2.0, 1, points=True) == "0.4 to 2.0 points better"
    assert improvement_range(-2.0, -0.42, 1, points=True) == "0.4 to 2.0 points worse"
    assert improvement_range(-0.5, 1.0, 1, points=True) == "0.5 points worse to 1.0 points better"
